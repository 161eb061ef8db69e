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
])("%j is read as %j", (argv, expected) => {
  expect(parseArgs(argv, STACKS)).toEqual(expected);
});

test.each([
  [[], 'unknown command ""; allowed: preview, up, destroy, outputs'],
  [["refresh", "--stack", "dev"], 'unknown command "refresh"; allowed: preview, up, destroy, outputs'],
  [["up"], "name a stack, e.g. `npm run up -- --stack ci`; stacks: ci, dev"],
  [["up", "--yes"], "name a stack, e.g. `npm run up -- --stack ci`; stacks: ci, dev"],
  [["up", "--stack"], "--stack needs a stack name; allowed: ci, dev"],
  [["up", "--stack", "--yes"], "--stack needs a stack name; allowed: ci, dev"],
  [["up", "--stack="], "--stack needs a stack name; allowed: ci, dev"],
  [["up", "--stack", "ci", "-s", "dev"], "--stack given more than once (ci, dev); name one stack"],
  [["up", "--stack", "prod"], 'stack "prod" has no config file stacks/Pulumi.prod.yaml; allowed: ci, dev (add the file to create a stack)'],
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
