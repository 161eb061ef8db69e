import * as fs from "node:fs";
import { removeTestObjects } from "./cleanup";
import { figures, FIGURES_FILE } from "./figures";
import { removeStagedContexts } from "./staged-stacks";

/**
 * Runs once after the engine tests: removes what the run left (images included, and the
 * build contexts staged for this run's test stacks) and prints the measured figures.
 */
export default async function globalTeardown(): Promise<void> {
  await removeTestObjects({ images: true });
  removeStagedContexts();
  const rows = figures.all();
  if (rows.length === 0) return;
  // Printed once, though each engine project's teardown runs.
  fs.rmSync(FIGURES_FILE, { force: true });
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`\n[figures] measured during the engine tests:\n${rows.map((row) => `  ${row.name.padEnd(width)}  ${row.value} ${row.unit}`).join("\n")}`);
}
