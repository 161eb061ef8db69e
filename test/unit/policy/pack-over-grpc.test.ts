import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { POLICIES } from "../../../policy/policies";
import { ResourceInput } from "../../../policy/resource-input";
import { runProgram } from "../../support/run-program";
import { deployableStack, stackNames } from "../../support/stack-config";
import { analyze, analyzerInfo, analyzeStack, RunningPack, startPack } from "./support/analyzer-process";
import { declared } from "./support/declare-resources";
import { asPolicyResources } from "./support/pack-harness";

// The pack as the Pulumi CLI runs it: Pulumi's Node.js policy runner in policy/, spoken to over
// its gRPC analyzer interface. What the CLI adds around it (starting it, sending each resource)
// cannot run here, as no CLI can be installed on these machines.
let pack: RunningPack;

beforeAll(async () => {
  pack = await startPack(90_000);
}, 100_000);

afterAll(() => pack?.stop());

/** A resource as a preview sends it: its image not known yet (the image resource is created in the same update). */
const inPreview = (resource: ResourceInput): ResourceInput => ({ ...resource, props: { ...resource.props, image: pulumi.runtime.unknownValue } });

test("the runner loads the pack; it announces every policy, all mandatory but the engine advisories' default", async () => {
  const info = await analyzerInfo(pack);
  expect(info.map((policy) => policy.name).sort()).toEqual(POLICIES.map((policy) => policy.name).sort());
  expect(info.filter((policy) => policy.level === "advisory").map((policy) => policy.name)).toEqual(["engine-advisories"]);
});

describe("a privileged stranger next to the DinD daemon", () => {
  let resources: ResourceInput[];
  beforeAll(async () => {
    resources = await declared("ci", () => {
      const dind = new docker.Image("dind", { imageName: "dind-stack/dind:24.0.6-ci", build: { context: "." }, skipPush: true });
      const alpine = new docker.RemoteImage("alpine", { name: "alpine:3.19" });
      return [
        new docker.Container("daemon", { name: "dind-stack-ci-docker", image: dind.repoDigest, privileged: true, envs: ["DOCKER_TLS_CERTDIR=/certs"] }),
        new docker.Container("stranger", { name: "stranger", image: alpine.imageId, privileged: true, envs: ["DOCKER_TLS_CERTDIR=/certs"] }),
      ];
    });
  });

  test("the stack analysis traces each image ID to its image resource: the stranger is a mandatory violation, the daemon is not", async () => {
    // The analyzer sends the policy's description, then the message, as the CLI prints them.
    expect(await analyzeStack(pack, resources)).toEqual([
      { policy: "privileged-only-dind-daemons", message: expect.stringMatching(/\ncontainer stranger is privileged; .*it runs image alpine:3\.19, not the stack's DinD image/), level: "mandatory" },
    ]);
  });

  test("in a preview, where the image IDs are not known yet, it judges the same", async () => {
    const preview = resources.map((resource) => (resource.type === "docker:index/container:Container" ? inPreview(resource) : resource));
    expect(await analyzeStack(pack, preview)).toEqual([{ policy: "privileged-only-dind-daemons", message: expect.stringMatching(/\ncontainer stranger is privileged/), level: "mandatory" }]);
  });
});

test("a socket mount is a mandatory violation per resource; the opt-in comes from the stack's file", async () => {
  const [socket] = await declared("ci", () => [
    new docker.Container("builder", { name: "builder-1", image: "dind-stack/dind:24.0.6-dev", volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }] }),
  ]);
  expect(await analyze(pack, socket)).toEqual([{ policy: "docker-socket-only-with-dood-opt-in", message: expect.stringMatching(/\ncontainer builder-1 mounts the host's Docker socket/), level: "mandatory" }]);
  expect(await analyze(pack, { ...socket, urn: socket.urn.replace("urn:pulumi:ci::", "urn:pulumi:dev::") })).toEqual([]);
});

test.each(stackNames())("every resource of stack %s passes, one by one and as a stack; engine advisories are advisory", async (stack) => {
  const { config, secretKeys } = deployableStack(stack);
  const run = await runProgram(stack, config, secretKeys);
  const resources = asPolicyResources(stack, run.resources);
  const perResource = (await Promise.all(resources.map((resource) => analyze(pack, resource)))).flat();
  expect(perResource.filter((diagnostic) => diagnostic.level === "mandatory")).toEqual([]);
  expect(perResource.every((diagnostic) => diagnostic.policy === "engine-advisories")).toBe(true);
  expect(await analyzeStack(pack, resources)).toEqual([]);
});

test("an image not known before the update (as in a preview) makes only the image policy advisory for that container, not a failure", async () => {
  const [container] = await declared("ci", () => [new docker.Container("client", { name: "client-1", image: "dind-stack/dind:24.0.6-ci" })]);
  const diagnostics = await analyze(pack, inPreview(container));
  expect(diagnostics).toEqual([{ policy: "pinned-image-references", message: expect.stringContaining("during preview"), level: "advisory" }]);
});
