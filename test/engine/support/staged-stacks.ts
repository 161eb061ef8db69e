import * as fs from "node:fs";
import * as path from "node:path";
import { TEST_RUN_ID } from "./engine";

/** Where the program stages build contexts, one folder per stack (components/build-environment.ts). */
const BUILD_DIR = path.resolve(".dind-stack", "build");

/** The file listing the stacks this test run deployed (whose staged contexts its teardown removes). */
const listFile = () => path.resolve(".dind-stack", `staged-stacks-${TEST_RUN_ID}.txt`);

/** Notes that this run deploys `stack`, so its teardown removes that stack's build contexts and no other run's. */
export function noteStagedStack(stack: string): void {
  fs.mkdirSync(path.dirname(listFile()), { recursive: true });
  fs.appendFileSync(listFile(), `${stack}\n`);
}

/** Removes the build contexts of the stacks this run deployed; a run going on beside it keeps its own. */
export function removeStagedContexts(): void {
  const stacks = fs.existsSync(listFile()) ? new Set(fs.readFileSync(listFile(), "utf8").split("\n").filter(Boolean)) : new Set<string>();
  for (const stack of stacks) fs.rmSync(path.join(BUILD_DIR, stack), { recursive: true, force: true });
  fs.rmSync(listFile(), { force: true });
}
