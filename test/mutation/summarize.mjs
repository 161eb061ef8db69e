// Summarizes Stryker's last results (bench/results/mutation-incremental.json, kept by `npm run mutate`) into
// bench/results/mutation.json: the score of each covered folder and every mutant that was not
// detected, with where it is and what it changed. The scores are computed by Stryker's own
// metrics package (mutation-testing-metrics), as in its HTML report.
import * as fs from "node:fs";
import { calculateMetrics } from "mutation-testing-metrics";

const REPORT = "bench/results/mutation-incremental.json";
const SUMMARY = "bench/results/mutation.json";

/** The folder a mutated file belongs to: components/<module> or policy. */
const folderOf = (file) => (file.startsWith("components/") ? file.split("/").slice(0, 2).join("/") : file.split("/")[0]);

/** The folders stryker.config.json mutates now; the incremental file may keep results of others from earlier runs. */
const scope = new Set(JSON.parse(fs.readFileSync("stryker.config.json", "utf8")).mutate.filter((glob) => !glob.startsWith("!")).map(folderOf));

const report = JSON.parse(fs.readFileSync(REPORT, "utf8"));
report.files = Object.fromEntries(Object.entries(report.files).filter(([file]) => scope.has(folderOf(file))));
const byFolder = new Map();
for (const [file, result] of Object.entries(report.files)) {
  const folder = folderOf(file);
  if (!byFolder.has(folder)) byFolder.set(folder, {});
  byFolder.get(folder)[file] = result;
}

const folders = {};
for (const [folder, files] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
  const { killed, timeout, survived, noCoverage, ignored, compileErrors, runtimeErrors, mutationScore } = calculateMetrics(files).metrics;
  folders[folder] = { score: Math.round(mutationScore * 10) / 10, killed, timeout, survived, noCoverage, ignored, compileErrors, runtimeErrors };
}

const undetected = Object.entries(report.files).flatMap(([file, result]) =>
  result.mutants
    .filter((mutant) => mutant.status === "Survived" || mutant.status === "NoCoverage")
    .map((mutant) => ({
      at: `${file}:${mutant.location.start.line}:${mutant.location.start.column}`,
      status: mutant.status,
      mutator: mutant.mutatorName,
      replacement: mutant.replacement,
    })),
);

fs.writeFileSync(SUMMARY, `${JSON.stringify({ folders, undetected }, null, 2)}\n`);
console.log("folder                  score  killed timeout survived noCoverage ignored");
for (const [folder, m] of Object.entries(folders)) {
  console.log(`${folder.padEnd(22)} ${String(m.score).padStart(6)} ${String(m.killed).padStart(7)} ${String(m.timeout).padStart(7)} ${String(m.survived).padStart(8)} ${String(m.noCoverage).padStart(10)} ${String(m.ignored).padStart(7)}`);
}
console.log(`${undetected.length} mutants not detected; listed in ${SUMMARY}`);
