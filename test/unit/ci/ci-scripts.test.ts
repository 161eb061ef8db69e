import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/stack-config";
import { workflowFiles } from "./support/ci-files";

// Every script under scripts/ci that a CI file runs exists, is executable when it is a shell
// script, and passes shellcheck; no CI file names a script that is gone.
const ciFiles = [...workflowFiles(), ".gitlab-ci.yml"];
const referenced = [
  ...new Set(ciFiles.flatMap((file) => [...fs.readFileSync(path.join(REPO_ROOT, file), "utf8").matchAll(/scripts\/ci\/[\w.-]+/g)].map((match) => match[0]))),
].sort();

test("the CI files run the scripts of scripts/ci", () => {
  expect(referenced).toEqual(expect.arrayContaining(["scripts/ci/checkout-default-branch.sh", "scripts/ci/require-env.sh", "scripts/ci/stack-matrix.ts", "scripts/ci/write-kubeconfig.sh"]));
});

test.each(referenced)("%s exists", (script) => {
  expect(fs.existsSync(path.join(REPO_ROOT, script))).toBe(true);
});

test.each(referenced.filter((script) => script.endsWith(".sh")))("%s is executable and passes shellcheck", (script) => {
  fs.accessSync(path.join(REPO_ROOT, script), fs.constants.X_OK);
  expect(execFileSync("shellcheck", ["--format=gcc", path.join(REPO_ROOT, script)], { encoding: "utf8" })).toBe("");
});
