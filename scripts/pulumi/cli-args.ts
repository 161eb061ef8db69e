/** The commands the npm scripts offer: four that act on one stack, and `pulumi`, which passes any Pulumi command through. */
export const COMMANDS = ["preview", "up", "destroy", "outputs", "pulumi"] as const;

/** One of the npm scripts' commands. */
export type Command = (typeof COMMANDS)[number];

/** What one `npm run <command> -- ...` asks for. */
export type Invocation =
  | {
      /** A command that acts on one stack. */
      command: Exclude<Command, "pulumi">;
      /** The stack, from `--stack`/`-s`. */
      stack: string;
      /** Every other argument, passed to the Pulumi CLI unchanged. */
      passThrough: string[];
    }
  | {
      /** Any Pulumi command (`npm run pulumi -- config set ...`). */
      command: "pulumi";
      /** The stack `--stack`/`-s` names, checked like the other commands'; absent when none is named. */
      stack: string | undefined;
      /** The arguments, passed to the Pulumi CLI unchanged (`--stack` included). */
      passThrough: string[];
    };

/**
 * Pulumi flags that npm keeps for itself when they come before `--`: npm 10 and 11 turn each into
 * npm_config_<name> in the script's environment ("true", or the word after `--name=`) and pass
 * the word after it on as a plain argument. Switches take no value in Pulumi; the others do.
 */
const SWITCHES_NPM_KEEPS = ["secret", "path", "yes", "diff", "json", "show-secrets", "skip-preview", "refresh", "plaintext", "non-interactive"];
const VALUED_FLAGS_NPM_KEEPS = ["stack", "policy-pack", "target"];

/** The script's environment, where npm leaves npm_config_* variables (nothing else is read). */
export type NpmEnvironment = Readonly<Record<string, string | undefined>>;

/** The variable npm sets for a flag it kept: `--policy-pack` gives npm_config_policy_pack. */
const npmVariable = (flag: string) => `npm_config_${flag.replace(/-/g, "_")}`;

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

/** The stacks named by `--stack`/`-s` before a `--`, and the other arguments in order. */
function splitStackFlags(args: readonly string[], knownStacks: readonly string[]): { stacks: string[]; others: string[] } {
  const stacks: string[] = [];
  const others: string[] = [];
  for (let index = 0; index < args.length; ) {
    if (args[index] === "--") {
      others.push(...args.slice(index));
      break;
    }
    const flag = stackFlag(args, index);
    if (flag === undefined) {
      others.push(args[index]);
      index += 1;
      continue;
    }
    if (!flag.value || flag.value.startsWith("-")) throw new UsageError(`--stack needs a stack name; allowed: ${knownStacks.join(", ")}`);
    stacks.push(flag.value);
    index += flag.used;
  }
  return { stacks, others };
}

/**
 * What went wrong when npm kept arguments for itself because no `--` came before them
 * (`npm run up --stack dev`, `npm run pulumi config set --secret ...`), with the command to write
 * instead (rebuilt when only switches and the stack were kept); undefined when npm kept none.
 * `-s` is npm's `--silent`: it is taken for a misplaced stack flag when a stack name follows.
 */
function argumentsNpmKept(command: Command, others: readonly string[], stackGiven: boolean, npm: NpmEnvironment, knownStacks: readonly string[]): string | undefined {
  const kept = [...SWITCHES_NPM_KEEPS, ...VALUED_FLAGS_NPM_KEEPS].filter((flag) => npm[npmVariable(flag)]);
  const stray = stackGiven ? undefined : others.find((arg) => knownStacks.includes(arg));
  const silent = stray !== undefined && npm.npm_config_loglevel === "silent" && !kept.includes("stack");
  if (kept.length === 0 && !silent) return undefined;
  const took = [...kept.map((flag) => `--${flag}`), ...(silent ? ["-s (its --silent)"] : [])].join(", ");
  const variables = [...kept.map(npmVariable), ...(silent ? ["npm_config_loglevel"] : [])];
  const got = [...variables.map((name) => `${name}=${npm[name]}`), ...(stray ? [`"${stray}" as a plain argument`] : [])].join(", ");
  const rebuildable = kept.every((flag) => flag === "stack" || (SWITCHES_NPM_KEEPS.includes(flag) && npm[npmVariable(flag)] === "true"));
  const stack = kept.includes("stack") || silent ? [npm.npm_config_stack !== "true" && npm.npm_config_stack ? npm.npm_config_stack : (stray ?? "<stack>")] : [];
  const args = rebuildable
    ? [...others.filter((arg) => arg !== stray), ...(stack.length ? ["--stack", ...stack] : []), ...kept.filter((flag) => flag !== "stack").map((flag) => `--${flag}`)]
    : ["<the same arguments>"];
  return `npm took ${took} for itself because no \`--\` came before (the script got ${got}); write \`${["npm run", command, "--", ...args].join(" ")}\`: npm passes on only what follows \`--\``;
}

/** Refuses a stack without a config file, so a typo never creates a new, empty stack. */
function knownStack(stacks: readonly string[], knownStacks: readonly string[]): string {
  if (new Set(stacks).size > 1) throw new UsageError(`--stack given more than once (${stacks.join(", ")}); name one stack`);
  const stack = stacks[0];
  if (!knownStacks.includes(stack)) {
    throw new UsageError(`stack "${stack}" has no config file stacks/Pulumi.${stack}.yaml; allowed: ${knownStacks.join(", ")} (add the file to create a stack)`);
  }
  return stack;
}

/**
 * Reads `<command> [--stack <name>] [pulumi arguments...]`. preview, up, destroy and outputs
 * need a stack; `pulumi` passes its arguments through unchanged and checks the stack only when
 * one is named. A named stack must have a config file (one of `knownStacks`). Arguments npm kept
 * for itself (`npm run up --stack dev`, without `--`) are found in its environment `npm` and refused.
 */
export function parseArgs(argv: readonly string[], knownStacks: readonly string[], npm: NpmEnvironment = {}): Invocation {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command "${command ?? ""}"; allowed: ${COMMANDS.join(", ")}`);
  const { stacks, others } = splitStackFlags(rest, knownStacks);
  const kept = argumentsNpmKept(command as Command, others, stacks.length > 0, npm, knownStacks);
  if (kept) throw new UsageError(kept);
  if (stacks.length === 0) {
    if (command === "pulumi") return { command, stack: undefined, passThrough: [...rest] };
    throw new UsageError(`name a stack, e.g. \`npm run ${command} -- --stack ${knownStacks[0] ?? "<stack>"}\`; stacks: ${knownStacks.join(", ")}`);
  }
  const stack = knownStack(stacks, knownStacks);
  if (command === "pulumi") return { command, stack, passThrough: [...rest] };
  return { command: command as Exclude<Command, "pulumi">, stack, passThrough: others };
}

/**
 * The Pulumi CLI runs one invocation needs, in order: preview and up select the stack and create
 * it when it does not exist yet; destroy and outputs need a stack that exists; `pulumi` runs its
 * arguments as given.
 */
export function pulumiRuns(invocation: Invocation): string[][] {
  if (invocation.command === "pulumi") return [invocation.passThrough];
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
