// Every example stack file the recipes point to (examples/Pulumi.<name>.yaml) is what a user
// copies into stacks/: it must be valid for editors, deploy under the program once its secrets
// are set, and pass the whole policy pack, as the stack files in stacks/ do.
import * as fs from "node:fs";
import * as path from "node:path";
import { containersOf } from "../../../policy/policies";
import { deployableExample } from "../../support/examples";
import { runProgram } from "../../support/run-program";
import { exampleNames, REPO_ROOT } from "../../support/stack-config";
import { schemaComplaints } from "../../support/stack-file-validator";
import { asPolicyResources, packFindings } from "../policy/support/pack-harness";

const text = (name: string) => fs.readFileSync(path.join(REPO_ROOT, "examples", `Pulumi.${name}.yaml`), "utf8");

test("the recipes have their example stack files", () => {
  expect(exampleNames()).toEqual(expect.arrayContaining(["client-groups", "docker-upgrade", "github-runner", "gitlab-runner", "registry-auth"]));
});

describe.each(exampleNames())("examples/Pulumi.%s.yaml", (name) => {
  test("is valid against the stack files' JSON Schema, which editors follow", () => {
    expect(schemaComplaints(text(name))).toEqual([]);
    expect(text(name)).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/stack-config\.schema\.json$/m);
  });

  test("deploys under the program once its secrets are set, and passes the whole policy pack", async () => {
    const { config, secretKeys } = deployableExample(name);
    const run = await runProgram(name, config, secretKeys);
    const resources = asPolicyResources(name, run.resources);
    expect(resources.flatMap(containersOf).length).toBeGreaterThan(0);
    const findings = await packFindings(resources);
    expect(findings.filter((finding) => finding.level === "mandatory")).toEqual([]);
  });
});

test("no two examples (nor the stacks) publish their registry on the same host port, so they can run side by side", () => {
  const ports = [...exampleNames().map((name) => text(name)), ...["ci", "dev"].map((stack) => fs.readFileSync(path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8"))].map(
    (file) => /^\s+port: (\d+)$/m.exec(file)?.[1],
  );
  expect(ports.every(Boolean)).toBe(true);
  expect(new Set(ports).size).toBe(ports.length);
});
