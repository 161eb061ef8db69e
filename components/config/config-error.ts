import { RunError } from "@pulumi/pulumi/errors";
import { Problem } from "./problem";

/**
 * Every problem found in one stack's config, thrown before any resource is declared.
 * A RunError, so Pulumi prints the message without a stack trace.
 */
export class ConfigError extends RunError {
  /** The problems, in the order they were found. */
  readonly problems: readonly Problem[];

  constructor(stack: string, problems: readonly Problem[]) {
    const count = problems.length === 1 ? "1 config problem" : `${problems.length} config problems`;
    const lines = problems.map((problem) => `  - ${problem.key}: ${problem.message}`);
    super(`stack "${stack}" has ${count}; nothing was deployed:\n${lines.join("\n")}`);
    this.problems = problems;
  }
}
