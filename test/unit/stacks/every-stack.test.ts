import { DOCKER, ofType } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { deployableStack, stackNames } from "../../support/stack-config";

describe.each(stackNames())("stack %s", (stack) => {
  test("its config file is valid and the program declares resources with unique names", async () => {
    const { config, secretKeys } = deployableStack(stack);
    const run = await runProgram(stack, config, secretKeys);
    const logical = run.resources.map((resource) => `${resource.type}::${resource.name}`);
    expect(new Set(logical).size).toBe(logical.length);
    for (const type of [DOCKER.container, DOCKER.volume, DOCKER.network]) {
      const dockerNames = ofType(run.resources, type).map((resource) => resource.inputs.name);
      expect(dockerNames.every((name) => name.startsWith(`dind-stack-${stack}`))).toBe(true);
      expect(new Set(dockerNames).size).toBe(dockerNames.length);
    }
    for (const resource of run.resources) {
      expect(resource.name === stack || resource.name.startsWith(`${stack}-`)).toBe(true);
    }
  });

  test("every container carries the stack's labels and nothing but the registry is published", async () => {
    const { config, secretKeys } = deployableStack(stack);
    const run = await runProgram(stack, config, secretKeys);
    for (const container of ofType(run.resources, DOCKER.container)) {
      expect(container.inputs.labels).toContainEqual({ label: "org.dind-stack.stack", value: stack });
      if (container.name !== `${stack}-registry-container`) expect(container.inputs.ports).toBeUndefined();
    }
  });
});

test("there are dev and ci stacks", () => {
  expect(stackNames()).toEqual(expect.arrayContaining(["ci", "dev"]));
});
