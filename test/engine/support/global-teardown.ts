import { removeTestObjects } from "./engine";
import { figures } from "./figures";

/** Runs once after the engine tests: removes what the run left (images included) and prints the measured figures. */
export default async function globalTeardown(): Promise<void> {
  await removeTestObjects({ images: true });
  const rows = figures.all();
  if (rows.length === 0) return;
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`\n[figures] measured during the engine tests:\n${rows.map((row) => `  ${row.name.padEnd(width)}  ${row.value} ${row.unit}`).join("\n")}`);
}
