// Prints each suite's wall time from jest --json reports, slowest first (scripts/run-tests.sh);
// a report that is missing (a run that stopped early) is named.
const fs = require("node:fs");
const rows = [];
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.error(`[test]   (no report: ${file})`);
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const result of report.testResults) rows.push([(result.endTime - result.startTime) / 1000, result.name.replace(`${process.cwd()}/`, "")]);
}
for (const [seconds, name] of rows.sort((a, b) => b[0] - a[0])) console.error(`[test]   ${seconds.toFixed(1).padStart(6)} s  ${name}`);
