// Prints each suite's wall time from a jest --json report, slowest first (scripts/run-tests.sh).
const fs = require("node:fs");
const report = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const rows = report.testResults.map((result) => [(result.endTime - result.startTime) / 1000, result.name.replace(`${process.cwd()}/`, "")]);
for (const [seconds, name] of rows.sort((a, b) => b[0] - a[0])) console.error(`[test]   ${seconds.toFixed(1).padStart(6)} s  ${name}`);
