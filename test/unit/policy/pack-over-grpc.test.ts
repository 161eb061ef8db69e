import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { POLICIES } from "../../../policy/policies";
import { runProgram } from "../../support/run-program";
import { deployableStack, stackNames } from "../../support/stack-config";
import { analyze, analyzerInfo, analyzeStack, RunningPack, startPack } from "./support/analyzer-process";
import { declared } from "./support/declare-resources";
import { asPolicyResource } from "./support/pack-harness";

// The pack as the Pulumi CLI runs it: Pulumi's Node.js policy runner in policy/, spoken to over
// its gRPC analyzer interface. What the CLI adds around it (starting it, sending each resource)
// cannot run here, as no CLI can be installed on these machines.
let pack: RunningPack;

beforeAll(async () => {
  pack = await startPack(90_000);
}, 100_000);

afterAll(() => pack?.stop());

test("the runner loads the pack; it announces every policy, all mandatory", async () => {
  const info = await analyzerInfo(pack);
  expect(info.map((policy) => policy.name).sort()).toEqual(POLICIES.map((policy) => policy.name).sort());
  expect(info.every((policy) => policy.level === "mandatory")).toBe(true);
});

test("a privileged client is a mandatory violation; the socket opt-in comes from the stack's file", async () => {
  const resources = await declared("ci", () => [
    new docker.Container("client", { name: "client-1", image: "dind-stack/dind:24.0.6-ci", privileged: true, envs: ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1"] }),
    new docker.Container("builder", { name: "builder-1", image: "dind-stack/dind:24.0.6-dev", volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }] }),
  ]);
  const client = resources.find((resource) => resource.name === "client")!;
  const socket = resources.find((resource) => resource.name === "builder")!;
  // The analyzer sends the policy's description, then the message, as the CLI prints them.
  expect(await analyze(pack, client)).toEqual([{ policy: "privileged-only-dind-daemons", message: expect.stringMatching(/\ncontainer client-1 is privileged/), level: "mandatory" }]);
  expect(await analyze(pack, socket)).toEqual([{ policy: "docker-socket-only-with-dood-opt-in", message: expect.stringMatching(/\ncontainer builder-1 mounts the host's Docker socket/), level: "mandatory" }]);
  expect(await analyze(pack, { ...socket, urn: socket.urn.replace("urn:pulumi:ci::", "urn:pulumi:dev::") })).toEqual([]);
});

test.each(stackNames())("every resource of stack %s passes, one by one and as a stack", async (stack) => {
  const { config, secretKeys } = deployableStack(stack);
  const run = await runProgram(stack, config, secretKeys);
  const resources = run.resources.map((resource) => asPolicyResource(stack, resource));
  const perResource = await Promise.all(resources.map((resource) => analyze(pack, resource)));
  expect(perResource.flat()).toEqual([]);
  expect(await analyzeStack(pack, resources)).toEqual([]);
});

test("an image not known before the update (as in a preview) makes only the image policy advisory for that container, not a failure", async () => {
  const [container] = await declared("ci", () => [new docker.Container("client", { name: "client-1", image: "dind-stack/dind:24.0.6-ci" })]);
  const diagnostics = await analyze(pack, { ...container, props: { ...container.props, image: pulumi.runtime.unknownValue } });
  expect(diagnostics).toEqual([{ policy: "pinned-image-references", message: expect.stringContaining("during preview"), level: "advisory" }]);
});
