import { parseArgs, pulumiRuns, UsageError } from "../../../scripts/pulumi/cli-args";

const STACKS = ["ci", "dev"];

test.each([
  [["preview", "--stack", "dev"], { command: "preview", stack: "dev", passThrough: [] }],
  [["up", "--stack=ci", "--yes", "--skip-preview"], { command: "up", stack: "ci", passThrough: ["--yes", "--skip-preview"] }],
  [["destroy", "-s", "dev", "--yes"], { command: "destroy", stack: "dev", passThrough: ["--yes"] }],
  [["outputs", "-sci", "--json"], { command: "outputs", stack: "ci", passThrough: ["--json"] }],
  [["preview", "--diff", "--stack", "dev", "--policy-pack", "policy"], { command: "preview", stack: "dev", passThrough: ["--diff", "--policy-pack", "policy"] }],
  [["up", "--stack", "dev", "--stack", "dev"], { command: "up", stack: "dev", passThrough: [] }],
  [["preview", "--stack", "dev", "--", "--not-a-stack"], { command: "preview", stack: "dev", passThrough: ["--", "--not-a-stack"] }],
  [["preview", "--stack", "dev", "--skip-preview"], { command: "preview", stack: "dev", passThrough: ["--skip-preview"] }],
  [["pulumi", "plugin", "ls"], { command: "pulumi", stack: undefined, passThrough: ["plugin", "ls"] }],
  [
    ["pulumi", "config", "set", "--secret", "--path", "dind-stack:workloads.clients[0].env.RUNNER_TOKEN", "--stack", "ci"],
    { command: "pulumi", stack: "ci", passThrough: ["config", "set", "--secret", "--path", "dind-stack:workloads.clients[0].env.RUNNER_TOKEN", "--stack", "ci"] },
  ],
  [["pulumi", "refresh", "-s", "dev", "--yes"], { command: "pulumi", stack: "dev", passThrough: ["refresh", "-s", "dev", "--yes"] }],
  [["pulumi", "config", "set", "--", "-s", "value"], { command: "pulumi", stack: undefined, passThrough: ["config", "set", "--", "-s", "value"] }],
])("%j is read as %j", (argv, expected) => {
  expect(parseArgs(argv, STACKS)).toEqual(expected);
});

test.each([
  [[], 'unknown command ""; allowed: preview, up, destroy, outputs, pulumi'],
  [["refresh", "--stack", "dev"], 'unknown command "refresh"; allowed: preview, up, destroy, outputs, pulumi'],
  [["up"], "name a stack, e.g. `npm run up -- --stack ci`; stacks: ci, dev"],
  [["up", "--yes"], "name a stack, e.g. `npm run up -- --stack ci`; stacks: ci, dev"],
  [["up", "--stack"], "--stack needs a stack name; allowed: ci, dev"],
  [["up", "--stack", "--yes"], "--stack needs a stack name; allowed: ci, dev"],
  [["up", "--stack="], "--stack needs a stack name; allowed: ci, dev"],
  [["up", "--stack", "ci", "-s", "dev"], "--stack given more than once (ci, dev); name one stack"],
  [["up", "--stack", "prod"], 'stack "prod" has no config file stacks/Pulumi.prod.yaml; allowed: ci, dev (add the file to create a stack)'],
  [["pulumi", "stack", "output", "--stack", "prod"], 'stack "prod" has no config file stacks/Pulumi.prod.yaml; allowed: ci, dev (add the file to create a stack)'],
  [["pulumi", "up", "--stack"], "--stack needs a stack name; allowed: ci, dev"],
])("%j is refused: %s", (argv, message) => {
  expect(() => parseArgs(argv, STACKS)).toThrow(new UsageError(message));
});

test("preview and up create the stack when it is missing; destroy and outputs need it to exist; flags go to the command", () => {
  const runs = (argv: string[]) => pulumiRuns(parseArgs(argv, STACKS));
  expect(runs(["preview", "--stack", "dev", "--diff"])).toEqual([
    ["stack", "select", "--create", "dev"],
    ["preview", "--stack", "dev", "--diff"],
  ]);
  expect(runs(["up", "-s", "ci", "--yes"])).toEqual([
    ["stack", "select", "--create", "ci"],
    ["up", "--stack", "ci", "--yes"],
  ]);
  expect(runs(["destroy", "--stack", "ci", "--yes"])).toEqual([["destroy", "--stack", "ci", "--yes"]]);
  expect(runs(["outputs", "--stack", "dev", "--json", "usage"])).toEqual([["stack", "output", "--stack", "dev", "--json", "usage"]]);
});

// What npm 10.9 and 11.19 hand the script when the `--` is missing (seen with both): each flag
// becomes npm_config_<name>, the word after it a plain argument; `-s` is npm's --silent.
test.each([
  ["npm run up --stack dev", ["up", "dev"], { npm_config_stack: "true" }, "npm took --stack for itself because no `--` came before (the script got npm_config_stack=true, \"dev\" as a plain argument); write `npm run up -- --stack dev`: npm passes on only what follows `--`"],
  ["npm run up --stack=dev", ["up"], { npm_config_stack: "dev" }, "npm took --stack for itself because no `--` came before (the script got npm_config_stack=dev); write `npm run up -- --stack dev`: npm passes on only what follows `--`"],
  ["npm run up -s dev", ["up", "dev"], { npm_config_loglevel: "silent" }, "npm took -s (its --silent) for itself because no `--` came before (the script got npm_config_loglevel=silent, \"dev\" as a plain argument); write `npm run up -- --stack dev`: npm passes on only what follows `--`"],
  ["npm run up --stack ci --yes", ["up", "ci"], { npm_config_stack: "true", npm_config_yes: "true" }, "npm took --yes, --stack for itself because no `--` came before (the script got npm_config_yes=true, npm_config_stack=true, \"ci\" as a plain argument); write `npm run up -- --stack ci --yes`: npm passes on only what follows `--`"],
  [
    "npm run pulumi config set --secret k --stack ci",
    ["pulumi", "config", "set", "k", "ci"],
    { npm_config_secret: "true", npm_config_stack: "true" },
    "npm took --secret, --stack for itself because no `--` came before (the script got npm_config_secret=true, npm_config_stack=true, \"ci\" as a plain argument); write `npm run pulumi -- config set k --stack ci --secret`: npm passes on only what follows `--`",
  ],
  [
    "npm run preview -- --stack dev (but --policy-pack policy before the --)",
    ["preview", "policy", "--stack", "dev"],
    { npm_config_policy_pack: "true" },
    "npm took --policy-pack for itself because no `--` came before (the script got npm_config_policy_pack=true); write `npm run preview -- <the same arguments>`: npm passes on only what follows `--`",
  ],
])("%s is diagnosed", (_typed, argv, npm, message) => {
  expect(() => parseArgs(argv, STACKS, { npm_config_yes: "", npm_config_loglevel: "notice", ...npm })).toThrow(new UsageError(message));
});

test("npm's own settings in the environment are no stray flags", () => {
  const npm = { npm_config_yes: "", npm_config_loglevel: "silent", npm_config_cache: "/root/.npm", npm_config_user_agent: "npm/11.19.1" };
  expect(parseArgs(["up", "--stack", "dev"], STACKS, npm)).toEqual({ command: "up", stack: "dev", passThrough: [] });
  expect(parseArgs(["pulumi", "version"], STACKS, npm)).toEqual({ command: "pulumi", stack: undefined, passThrough: ["version"] });
});

test("`pulumi` runs its arguments as given, once, with no stack selected first", () => {
  expect(pulumiRuns(parseArgs(["pulumi", "stack", "output", "--stack", "ci", "--json"], STACKS))).toEqual([["stack", "output", "--stack", "ci", "--json"]]);
  expect(pulumiRuns(parseArgs(["pulumi", "plugin", "install", "resource", "docker", "5.2.0", "--file", "x.tar.gz"], STACKS))).toEqual([
    ["plugin", "install", "resource", "docker", "5.2.0", "--file", "x.tar.gz"],
  ]);
});
