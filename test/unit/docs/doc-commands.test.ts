// Every command in the shell blocks of README.md and docs/ runs as written: the npm script it
// names exists and its arguments parse as the scripts parse them (the stack has a file, `--`
// is where npm needs it), a script or example it names exists, a Docker or Pulumi command it
// names is one the CLI has, and nothing is a placeholder or a `pulumi` that is not on PATH.
// Nothing is run and nothing reaches the network.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "../../../scripts/pulumi/cli-args";
import { listStacks } from "../../../scripts/stack-files";
import { commandsOf, DocCommand, documentationFiles, shellBlocks } from "../../support/doc-commands";
import { REPO_ROOT } from "../../support/stack-config";

const SCRIPTS = (require(path.join(REPO_ROOT, "package.json")) as { scripts: Record<string, string> }).scripts;

/** The scripts' commands that take the wrapper's arguments (scripts/pulumi/cli-args.ts). */
const WRAPPED = ["preview", "up", "destroy", "outputs", "pulumi"];

/** Top-level commands of the Pulumi CLI (pulumi/pulumi, pkg/cmd/pulumi/pulumi.go, NewPulumiCmd). */
const PULUMI_COMMANDS = ["new", "config", "stack", "console", "import", "refresh", "state", "up", "destroy", "preview", "cancel", "login", "logout", "whoami", "org", "policy", "plugin", "schema", "package", "version", "about", "gen-completion", "convert", "watch", "logs", "env"];

/** Docker CLI commands the docs may use (the docker CLI's own command names). */
const DOCKER_COMMANDS = ["build", "run", "exec", "push", "pull", "save", "load", "tag", "ps", "inspect", "logs", "login", "logout", "stop", "rm", "images", "image", "volume", "network", "info", "version", "context", "buildx", "compose"];

/** Programs the docs may name besides npm, docker and the project's scripts: standard tools of a Linux host, and kubectl for cluster stacks. */
const TOOLS = ["export", "cd", "cp", "mkdir", "tar", "curl", "sha256sum", "printf", "echo", "cat", "ss", "git", "kubectl", "openssl"];

/** What is wrong with an `npm` command, or undefined. */
function npmProblem(words: string[], stacks: string[]): string | undefined {
  const [, sub, script, ...rest] = words;
  if (sub === "ci" || sub === "test") return undefined;
  if (sub !== "run") return `npm ${sub} is not a command the docs use`;
  if (!SCRIPTS[script]) return `package.json has no script "${script}"`;
  if (!WRAPPED.includes(script)) return rest.length === 0 ? undefined : `npm run ${script} takes no arguments`;
  if (rest.length > 0 && rest[0] !== "--") return `npm keeps the arguments after "npm run ${script}" for itself: write "npm run ${script} -- ${rest.join(" ")}"`;
  try {
    parseArgs([script, ...rest.slice(1)], stacks);
  } catch (error) {
    return `the scripts refuse it: ${(error as Error).message}`;
  }
  if (script === "pulumi" && !PULUMI_COMMANDS.includes(rest[1])) return `"${rest[1]}" is not a Pulumi command`;
  return undefined;
}

/** What is wrong with one command, or undefined; `stacks` grows with the stack files a `cp` into stacks/ adds. */
function problemOf(command: DocCommand, stacks: string[]): string | undefined {
  const [program, ...args] = command.words;
  const placeholder = /<[a-z][a-z -]*>/i.exec(command.text);
  if (placeholder) return `has the placeholder ${placeholder[0]}`;
  if (program === "pulumi") return "`pulumi` is not on PATH (npm ci brings an installer): write `npm run pulumi -- ...`";
  if (program === "npm") return npmProblem(command.words, stacks);
  if (program === "docker") return DOCKER_COMMANDS.includes(args[0]) ? undefined : `"docker ${args[0]}" is not a docker command the docs use`;
  const script = program === "bash" || program === "sh" ? args[0] : program;
  if (script.startsWith("scripts/") || script.startsWith("bench/")) return fs.existsSync(path.join(REPO_ROOT, script)) ? undefined : `${script} does not exist`;
  if (program === "cp" && args[0]?.startsWith("examples/")) {
    if (!fs.existsSync(path.join(REPO_ROOT, args[0]))) return `${args[0]} does not exist`;
    const stack = /^examples\/Pulumi\.(.+)\.yaml$/.exec(args[0])?.[1];
    if (stack && /^stacks\/?$/.test(args[1])) stacks.push(stack);
    return undefined;
  }
  return TOOLS.includes(program) ? undefined : `"${program}" is neither a project script nor a tool the docs may name`;
}

const files = documentationFiles();

test("the docs have shell blocks to check, the recipes and the air-gapped checklist among them", () => {
  expect(files).toEqual(expect.arrayContaining(["README.md", "docs/air-gapped.md", "docs/cli.md", "docs/recipes/gitlab-runner.md", "docs/recipes/github-runner.md"]));
  expect(files.flatMap(shellBlocks).flatMap(commandsOf).length).toBeGreaterThan(40);
});

test.each(files)("every command in %s runs as written", (file) => {
  const stacks = listStacks();
  const problems = shellBlocks(file)
    .flatMap(commandsOf)
    .map((command) => ({ command, problem: problemOf(command, stacks) }))
    .filter(({ problem }) => problem !== undefined)
    .map(({ command, problem }) => `${command.where}: ${command.text}: ${problem}`);
  expect(problems).toEqual([]);
});

describe("the check itself", () => {
  const block = (text: string) => commandsOf({ file: "x.md", line: 1, text });
  const problems = (text: string, stacks = ["ci", "dev"]) => block(text).map((command) => problemOf(command, stacks));

  test.each([
    ["npm run up --stack ci", 'npm keeps the arguments after "npm run up" for itself: write "npm run up -- --stack ci"'],
    ["npm run up -- --stack staging", 'the scripts refuse it: stack "staging" has no config file stacks/Pulumi.staging.yaml; allowed: ci, dev (add the file to create a stack)'],
    ["pulumi stack output usage", "`pulumi` is not on PATH (npm ci brings an installer): write `npm run pulumi -- ...`"],
    ["npm run pulumi -- confg set x y", '"confg" is not a Pulumi command'],
    ["npm run deploy", 'package.json has no script "deploy"'],
    ["docker exc -it x sh", '"docker exc" is not a docker command the docs use'],
    ["scripts/export-registy.sh a b", "scripts/export-registy.sh does not exist"],
    ["npm run up -- --stack <stack>", "has the placeholder <stack>"],
    ["terraform apply", '"terraform" is neither a project script nor a tool the docs may name'],
  ])("refuses %s", (text, expected) => {
    expect(problems(text)).toEqual([expected]);
  });

  test("reads commands as the shell does: assignments, continuations, operators, comments, redirections", () => {
    expect(block("PULUMI_CONFIG_PASSPHRASE='a b' npm run up -- \\\n  --stack ci --yes && docker ps # done\nprintf 'x' > file").map((command) => command.words)).toEqual([
      ["npm", "run", "up", "--", "--stack", "ci", "--yes"],
      ["docker", "ps"],
      ["printf", "x"],
    ]);
  });

  test("a stack copied from examples/ can be used by the commands after the copy", () => {
    expect(problems("npm run up -- --stack gitlab-runner")).toEqual([expect.stringContaining('stack "gitlab-runner" has no config file')]);
    expect(problems("cp examples/Pulumi.gitlab-runner.yaml stacks/\nnpm run up -- --stack gitlab-runner")).toEqual([undefined, undefined]);
  });
});
