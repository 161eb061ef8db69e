// One engine for everything: a Docker context would send the bridged resources (containers,
// volumes, networks) to another engine than the Image and the local docker commands, so the
// program refuses one before it declares anything, naming the key or the variable.
import { dockerContextProblems } from "../../../components/docker-cli";
import { runProgram } from "../../support/run-program";
import { stackConfig } from "../../support/stack-config";

/** Runs the program and returns its error message and what it declared. */
async function attempt(config: Record<string, string>): Promise<{ message: string; declared: string[] }> {
  const declared: string[] = [];
  const message = await runProgram("ci", config, [], {
    realize: async ({ name, inputs }) => {
      declared.push(name);
      return { id: name, state: inputs };
    },
  }).then(
    () => "the program ran",
    (error: Error) => error.message,
  );
  return { message, declared };
}

test("docker:context is refused by name, with what to use instead, before anything is declared", async () => {
  const { message, declared } = await attempt({ ...stackConfig("ci"), "docker:context": "remote" });
  expect(message).toContain('stack "ci" has 1 config problem; nothing was deployed:');
  expect(message).toContain('  - docker:context: got "remote"; allowed: unset');
  expect(message).toContain("use docker:host");
  expect(declared).toEqual([]);
});

test("DOCKER_CONTEXT in the environment is refused by name; an empty one is fine", async () => {
  const before = process.env.DOCKER_CONTEXT;
  try {
    process.env.DOCKER_CONTEXT = "remote";
    const refused = await attempt(stackConfig("ci"));
    expect(refused.message).toContain('  - DOCKER_CONTEXT (environment variable): got "remote"; allowed: unset or empty');
    expect(refused.declared).toEqual([]);
    process.env.DOCKER_CONTEXT = "";
    expect((await attempt(stackConfig("ci"))).message).toBe("the program ran");
  } finally {
    if (before === undefined) delete process.env.DOCKER_CONTEXT;
    else process.env.DOCKER_CONTEXT = before;
  }
});

test("even the CLI's own name for the default engine is refused: the bridged provider looks every context up in ~/.docker/contexts", () => {
  expect(dockerContextProblems(undefined, { DOCKER_CONTEXT: "default" }).map((problem) => problem.key)).toEqual(["DOCKER_CONTEXT (environment variable)"]);
  expect(dockerContextProblems(undefined, { DOCKER_HOST: "tcp://10.0.0.5:2376" })).toEqual([]);
});
