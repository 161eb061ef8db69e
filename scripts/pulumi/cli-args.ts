/** The commands the npm scripts offer, and what each runs. */
export const COMMANDS = ["preview", "up", "destroy", "outputs"] as const;

/** One of the npm scripts' commands. */
export type Command = (typeof COMMANDS)[number];

/** What one `npm run <command> -- ...` asks for. */
export interface Invocation {
  /** The command. */
  command: Command;
  /** The stack, from `--stack`/`-s`. */
  stack: string;
  /** Every other argument, passed to the Pulumi CLI unchanged. */
  passThrough: string[];
}

/** A usage mistake, reported in one line. */
export class UsageError extends Error {}

/** The value of `--stack X`, `--stack=X`, `-s X` or `-sX` at `index`, and how many arguments it took; undefined when `argv[index]` is not one. */
function stackFlag(argv: readonly string[], index: number): { value: string | undefined; used: number } | undefined {
  const arg = argv[index];
  if (arg === "--stack" || arg === "-s") return { value: argv[index + 1], used: 2 };
  if (arg.startsWith("--stack=")) return { value: arg.slice("--stack=".length), used: 1 };
  if (/^-s[^-]/.test(arg)) return { value: arg.slice(2), used: 1 };
  return undefined;
}

/**
 * Reads `<command> [--stack <name>] [pulumi flags...]`. The stack must have a config file
 * (one of `knownStacks`), so a typo never creates a new, empty stack.
 */
export function parseArgs(argv: readonly string[], knownStacks: readonly string[]): Invocation {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command "${command ?? ""}"; allowed: ${COMMANDS.join(", ")}`);
  const stacks: string[] = [];
  const passThrough: string[] = [];
  for (let index = 0; index < rest.length; ) {
    const flag = stackFlag(rest, index);
    if (flag === undefined) {
      passThrough.push(rest[index]);
      index += 1;
      continue;
    }
    if (!flag.value || flag.value.startsWith("-")) throw new UsageError(`--stack needs a stack name; allowed: ${knownStacks.join(", ")}`);
    stacks.push(flag.value);
    index += flag.used;
  }
  const example = `npm run ${command} -- --stack ${knownStacks[0] ?? "<stack>"}`;
  if (stacks.length === 0) throw new UsageError(`name a stack, e.g. \`${example}\`; stacks: ${knownStacks.join(", ")}`);
  if (new Set(stacks).size > 1) throw new UsageError(`--stack given more than once (${stacks.join(", ")}); name one stack`);
  const stack = stacks[0];
  if (!knownStacks.includes(stack)) {
    throw new UsageError(`stack "${stack}" has no config file stacks/Pulumi.${stack}.yaml; allowed: ${knownStacks.join(", ")} (add the file to create a stack)`);
  }
  return { command: command as Command, stack, passThrough };
}

/**
 * The Pulumi CLI runs one invocation needs, in order: preview and up select the stack and create
 * it when it does not exist yet; destroy and outputs need a stack that exists.
 */
export function pulumiRuns(invocation: Invocation): string[][] {
  const { command, stack, passThrough } = invocation;
  const create = ["stack", "select", "--create", stack];
  switch (command) {
    case "preview":
      return [create, ["preview", "--stack", stack, ...passThrough]];
    case "up":
      return [create, ["up", "--stack", stack, ...passThrough]];
    case "destroy":
      return [["destroy", "--stack", stack, ...passThrough]];
    case "outputs":
      return [["stack", "output", "--stack", stack, ...passThrough]];
  }
}
