import * as fs from "node:fs";
import * as path from "node:path";
import { removeTestObjects } from "./cleanup";
import { figures, FIGURES_FILE } from "./figures";

/** Where the program stages build contexts; the test stacks are named test-*. */
const BUILD_DIR = path.resolve(".dind-stack", "build");

/**
 * Runs once after the engine tests: removes what the run left (images included, and the
 * build contexts staged for the test stacks) and prints the measured figures.
 */
export default async function globalTeardown(): Promise<void> {
  await removeTestObjects({ images: true });
  for (const entry of fs.existsSync(BUILD_DIR) ? fs.readdirSync(BUILD_DIR) : []) {
    if (entry.startsWith("test-")) fs.rmSync(path.join(BUILD_DIR, entry), { recursive: true, force: true });
  }
  const rows = figures.all();
  if (rows.length === 0) return;
  // Printed once, though each engine project's teardown runs.
  fs.rmSync(FIGURES_FILE, { force: true });
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`\n[figures] measured during the engine tests:\n${rows.map((row) => `  ${row.name.padEnd(width)}  ${row.value} ${row.unit}`).join("\n")}`);
}
