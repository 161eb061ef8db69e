import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Summary } from "./stats";

/** Where every benchmark writes its latest result. */
export const RESULTS_DIR = path.join(__dirname, "..", "results");

/** The machine and engine a result was taken on. */
export interface Machine {
  /** CPU model and count. */
  cpu: string;
  /** Memory in GiB. */
  memoryGiB: number;
  /** Kernel release. */
  kernel: string;
  /** Engine version, storage driver and cgroup version, when an engine was used. */
  engine?: string;
}

/** Describes this machine; `engine` is the Docker engine's own description, if the benchmark used one. */
export function describeMachine(engine?: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} x ${cpus[0]?.model.trim() ?? "unknown"}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    engine,
  };
}

/** One row of a printed table. */
export type Row = Record<string, string>;

/** Prints rows as an aligned table under a title. */
export function printTable(title: string, rows: readonly Row[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join("  ").trimEnd();
  const text = [title, line(columns), line(widths.map((width) => "-".repeat(width))), ...rows.map((row) => line(columns.map((column) => row[column] ?? "")))];
  process.stdout.write(`\n${text.join("\n")}\n`);
}

/** A summary as "median (min-max)" with `digits` decimals. */
export function spread(summary: Summary, digits = 2): string {
  return `${summary.median.toFixed(digits)} (${summary.min.toFixed(digits)}-${summary.max.toFixed(digits)})`;
}

/**
 * Writes a benchmark's result, with the machine and the time, to bench/results/<name>.json (or
 * DIND_STACK_BENCH_RESULTS/<name>.json, as CI does, leaving the committed figures alone); returns the path.
 */
export function writeResult(name: string, machine: Machine, result: object): string {
  const dir = process.env.DIND_STACK_BENCH_RESULTS ?? RESULTS_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ benchmark: name, takenAt: new Date().toISOString(), machine, ...result }, null, 2)}\n`);
  process.stdout.write(`\n[bench] ${name}: result written to ${path.relative(process.cwd(), file)}\n`);
  return file;
}
