import * as fs from "node:fs";
import * as path from "node:path";
import { standinEngine } from "./standins";

/** Where measured figures of a test run are appended (one JSON object per line). */
export const FIGURES_FILE = process.env.DIND_STACK_FIGURES ?? path.resolve(".dind-stack", "test-figures.jsonl");

/** One measured figure. */
export interface Figure {
  /** What was measured. */
  name: string;
  /** The value. */
  value: number;
  /** Its unit. */
  unit: string;
}

/** Measured figures of the engine tests, printed at the end of the run (never asserted on). */
export const figures = {
  /** Records a figure (named after the stand-in engine too, when it is not the default one). */
  record(name: string, value: number, unit: string): void {
    const engine = standinEngine();
    fs.mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
    fs.appendFileSync(FIGURES_FILE, `${JSON.stringify({ name: engine === "bookworm" ? name : `[${engine}] ${name}`, value: Math.round(value * 1000) / 1000, unit })}\n`);
  },
  /** Times an async step and records it in seconds. */
  async time<T>(name: string, step: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await step();
    this.record(name, (Date.now() - started) / 1000, "s");
    return result;
  },
  /** Every figure recorded so far. */
  all(): Figure[] {
    if (!fs.existsSync(FIGURES_FILE)) return [];
    return fs.readFileSync(FIGURES_FILE, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Figure);
  },
};
