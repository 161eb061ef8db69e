import { containersOf } from "../../../policy/policies";
import { runProgram } from "../../support/run-program";
import { deployableStack, stackConfig, stackNames } from "../../support/stack-config";
import { asPolicyResource, packFindings } from "./support/pack-harness";

// Every stack file in stacks/ is picked up: a new stack (e.g. prod on Kubernetes) is checked
// as soon as its file exists.
describe.each(stackNames())("stack %s", (stack) => {
  test("what the program declares for it passes the whole policy pack", async () => {
    const { config, secretKeys } = deployableStack(stack);
    const run = await runProgram(stack, config, secretKeys);
    const resources = run.resources.map((resource) => asPolicyResource(stack, resource));
    // The pack saw the stack's containers (so passing means something) ...
    expect(resources.flatMap(containersOf).length).toBeGreaterThan(0);
    // ... and found nothing wrong with them.
    expect(await packFindings(resources)).toEqual([]);
  });
});

test("the DooD stack passes because its file opted in: the same resources in a stack without the opt-in are refused", async () => {
  const run = await runProgram("dev", stackConfig("dev"));
  const asIfNotOptedIn = run.resources.map((resource) => asPolicyResource("without-opt-in", resource));
  const findings = await packFindings(asIfNotOptedIn);
  expect(findings.length).toBeGreaterThan(0);
  expect(findings.every((finding) => finding.policy === "docker-socket-only-with-dood-opt-in")).toBe(true);
});
