import { containersOf } from "../../../policy/policies";
import { judgeStack } from "../../../policy/stack-containers";
import { readTrustedImages } from "../../../policy/trusted-images";
import { runProgram } from "../../support/run-program";
import { deployableStack, stackConfig, stackNames, withOverrides } from "../../support/stack-config";
import { asPolicyResources, packFindings } from "./support/pack-harness";

/** Each container of what the program declares for a stack, with the role the pack gives it (`-` for none). */
async function rolesOf(stack: string): Promise<string[]> {
  const { config, secretKeys } = deployableStack(stack);
  const run = await runProgram(stack, config, secretKeys);
  const judged = judgeStack(asPolicyResources(stack, run.resources), readTrustedImages(stack));
  return judged.flatMap((resource) => resource.containers.map((container) => `${container.view.label}: ${container.role?.kind ?? "-"}`)).sort();
}

// Every stack file in stacks/ is picked up: a new stack (e.g. prod on Kubernetes) is checked
// as soon as its file exists.
describe.each(stackNames())("stack %s", (stack) => {
  test("what the program declares for it passes the whole policy pack; the only advisories are the engine's", async () => {
    const { config, secretKeys } = deployableStack(stack);
    const run = await runProgram(stack, config, secretKeys);
    const resources = asPolicyResources(stack, run.resources);
    // The pack saw the stack's containers (so passing means something) ...
    expect(resources.flatMap(containersOf).length).toBeGreaterThan(0);
    // ... and found nothing wrong with them.
    const findings = await packFindings(resources);
    expect(findings.filter((finding) => finding.level === "mandatory")).toEqual([]);
    const advisories = findings.filter((finding) => finding.level === "advisory");
    expect(advisories.every((finding) => finding.policy === "engine-advisories")).toBe(true);
    // The stack files that keep the default docker 24.0.6 hear about its advisories; prod (25.0.5) does not.
    const dockerVersion = run.resources.find((resource) => resource.type === "docker:index/image:Image")?.inputs.build.args.DOCKER_VERSION;
    expect(advisories.length > 0).toBe(dockerVersion === "24.0.6");
  });
});

test("the pack recognizes each container of the program for what it is: the DinD daemons, the registries, and clients that are neither", async () => {
  expect(await rolesOf("ci")).toEqual([
    "container dind-stack-ci-docker: dind-daemon",
    "container dind-stack-ci-registry: registry",
    "container dind-stack-ci-runner-1: -",
    "container dind-stack-ci-runner-2: -",
  ]);
  expect(await rolesOf("dev")).toEqual(["container dind-stack-dev-builder-1: -", "container dind-stack-dev-registry: registry"]);
  expect(await rolesOf("prod")).toEqual([
    "Deployment dind-stack-prod-registry/registry, container registry: registry",
    "StatefulSet dind-stack-prod-runners/runner, container dind: dind-daemon",
    "StatefulSet dind-stack-prod-runners/runner, container job: -",
    "StatefulSet dind-stack-prod-runners/runner, container prune: -",
  ]);
});

test("the DooD stack passes because its file opted in: the same resources in a stack without the opt-in are refused", async () => {
  const run = await runProgram("dev", stackConfig("dev"));
  const findings = await packFindings(asPolicyResources("without-opt-in", run.resources));
  const mandatory = findings.filter((finding) => finding.level === "mandatory");
  expect(mandatory.length).toBeGreaterThan(0);
  expect(mandatory.every((finding) => finding.policy === "docker-socket-only-with-dood-opt-in")).toBe(true);
});

test("a DinD stack with a mirror list passes too, and its read-only mirror registry counts as a registry", async () => {
  const config = withOverrides(stackConfig("ci"), { "dind-stack:mirror": [{ source: "mysql:5.7" }] });
  const run = await runProgram("ci", config);
  const resources = asPolicyResources("ci", run.resources);
  expect((await packFindings(resources)).filter((finding) => finding.level === "mandatory")).toEqual([]);
  const roles = judgeStack(resources, readTrustedImages("ci")).flatMap((resource) => resource.containers.map((container) => `${container.view.label}: ${container.role?.kind ?? "-"}`));
  expect(roles).toContain("container dind-stack-ci-mirror: registry");
});
