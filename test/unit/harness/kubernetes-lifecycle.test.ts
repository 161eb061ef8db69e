// The life of the prod stack (Kubernetes target) and its DooD variant after the first
// `pulumi up`, as the harness models it (test/support/lifecycle): the real program under Pulumi
// mocks, pulumi-kubernetes' diff rules, and a cluster model that shows what each step does to
// the pods and the volume claims (which pods stop and start, in which order, which claims are
// made, kept or deleted), and refuses what the API server refuses.
import { createHash } from "node:crypto";
import * as bcrypt from "bcryptjs";
import { MockedClusterStack } from "../../support/lifecycle/mocked-cluster-stack";
import { changes, formatPlan } from "../../support/lifecycle/plan";
import { doodStack } from "../../support/kubernetes-fixtures";
import { ProgramRun, RecordedResource } from "../../support/run-program";
import { plainDifferences, plainInputs } from "../../support/secret-envelopes";
import { deployableStack, withOverrides } from "../../support/stack-config";

const REGISTRY = "dind-stack-prod-registry";
const RUNNERS = "dind-stack-prod-runners";
const passwords = { first: "first-password-1", second: "second-password-2" };
const runners = (count: number) => ({ "dind-stack:workloads": { clients: [{ name: "runner", count, env: { CI: "true" } }] } });

/** The prod stack (its registry login set to the first password) with these changes, on the cluster model. */
function prodStack(overrides: Record<string, unknown> = {}): MockedClusterStack {
  const { config, secretKeys } = deployableStack("prod");
  return new MockedClusterStack("prod", withOverrides(config, { "dind-stack:registryPassword": passwords.first, ...overrides }), secretKeys);
}

/**
 * Everything derived from a password that could reach a resource: the password, the registry's
 * htpasswd entry (its bcrypt hash), the runners' Docker config entry (base64 of user:password),
 * and plain hashes of the password.
 */
function passwordTraces(resources: RecordedResource[], password: string): string[] {
  const htpasswd = resources.find((resource) => resource.name === "prod-registry-config")!.inputs.stringData.htpasswd as string;
  expect(bcrypt.compareSync(password, htpasswd.trimEnd().split(":")[1])).toBe(true);
  return [
    password,
    htpasswd.trimEnd().split(":")[1],
    Buffer.from(`dind-stack:${password}`).toString("base64"),
    Buffer.from(password).toString("hex"),
    Buffer.from(password).toString("base64"),
    createHash("sha256").update(password).digest("hex"),
  ];
}

const roll = (...pods: string[]) => pods.flatMap((pod) => [`stop pod ${pod}`, `start pod ${pod}`]);

describe("the prod stack on Kubernetes (DinD, a cache claim per runner) through its life", () => {
  let stack: MockedClusterStack;
  let firstRun: ProgramRun;
  let registryPod: string;

  beforeEach(async () => {
    stack = prodStack(runners(2));
    firstRun = (await stack.up()).run;
    registryPod = `${REGISTRY}/${stack.pods(REGISTRY, "Deployment/registry")[0]}`;
  });

  test("the first up starts the registry on its claim and one runner pod per count, each with a cache claim of its own; a second up changes nothing", async () => {
    expect(stack.pods(RUNNERS, "StatefulSet/runner")).toEqual(["runner-0", "runner-1"]);
    expect(stack.claims(RUNNERS)).toEqual(["docker-data-runner-0", "docker-data-runner-1"]);
    expect(stack.claims(REGISTRY)).toEqual(["registry-data"]);
    const again = await stack.up();
    expect(changes(again.steps)).toEqual([]);
    expect(stack.ops.calls).toEqual([]);
  });

  test("an MTU change rolls the runners (the daemons get it as DIND_MTU when they start) from the highest ordinal down, each on its own claim", async () => {
    const result = await stack.up({ "dind-stack:daemon": { mtu: 1300 } });
    expect(changes(result.steps)).toEqual(["update prod-runners-runner [spec.template.spec.initContainers[0].env[1].value]"]);
    expect(stack.ops.actions).toEqual(roll(`${RUNNERS}/runner-1`, `${RUNNERS}/runner-0`));
    for (const pod of stack.ops.cluster.podsOf(RUNNERS, "StatefulSet/runner")) expect(pod.template.spec.initContainers[0].env).toContainEqual({ name: "DIND_MTU", value: "1300" });
    expect(stack.claims(RUNNERS)).toEqual(["docker-data-runner-0", "docker-data-runner-1"]);
    expect(stack.ops.cluster.podsOf(RUNNERS, "StatefulSet/runner").map((pod) => pod.template.spec.volumes.find((volume: any) => volume.name === "docker-data").persistentVolumeClaim.claimName)).toEqual([
      "docker-data-runner-1",
      "docker-data-runner-0",
    ]);
  });

  test("a new build cache bound updates the daemon.json ConfigMap in place, then rolls the runners (a daemon reads it only when it starts)", async () => {
    const result = await stack.up({ "dind-stack:kubernetes": { dindStorage: { buildCacheKeepStorage: "5Gi" } } });
    expect(changes(result.steps)).toEqual([
      'update prod-runners-daemon-json [data["daemon.json"]]',
      'update prod-runners-runner [spec.template.metadata.annotations["org.dind-stack.daemon-json-sha256"]]',
    ]);
    expect(stack.ops.actions).toEqual([`rewrite ConfigMap ${RUNNERS}/dind-daemon-json in its pods`, ...roll(`${RUNNERS}/runner-1`, `${RUNNERS}/runner-0`)]);
    expect(JSON.parse(stack.ops.cluster.lookup("ConfigMap", RUNNERS, "dind-daemon-json")!.data["daemon.json"]).builder.gc.defaultKeepStorage).toBe("5Gi");
  });

  test("a preview of the MTU change lists the same steps and touches nothing", async () => {
    const before = stack.state;
    const planned = await stack.preview({ "dind-stack:daemon": { mtu: 1300 } });
    expect(changes(planned.steps)).toHaveLength(1);
    expect(formatPlan(planned.steps)).toContain("~ kubernetes:apps/v1:StatefulSet prod-runners-runner update [spec.template.spec.initContainers[0].env[1].value]");
    expect(stack.ops.calls).toEqual([]);
    expect(stack.ops.actions).toEqual([]);
    expect(planned.state).toBe(before);
  });

  test("a rebuilt DinD image is built and pushed again, and the runners roll to the new reference", async () => {
    const result = await stack.up({ "dind-stack:dindImage": { extraPackages: ["git", "jq"] } });
    expect(changes(result.steps)).toEqual([
      "update prod-dind-image-image [build]",
      "update prod-runners-runner [spec.template.spec.containers[0].image,spec.template.spec.initContainers[0].image,spec.template.spec.initContainers[1].image]",
    ]);
    expect(stack.ops.actions).toEqual(roll(`${RUNNERS}/runner-1`, `${RUNNERS}/runner-0`));
    const ref = (result.run.outputs.dindImage as { ref: string }).ref;
    for (const pod of stack.ops.cluster.podsOf(RUNNERS, "StatefulSet/runner")) {
      expect([pod.template.spec.initContainers[0].image, pod.template.spec.initContainers[1].image, pod.template.spec.containers[0].image]).toEqual([ref, ref, ref]);
    }
  });

  test("a rotated registry password replaces the registry's immutable config Secret by one of a new name, which rolls the registry (its old pod stops first); the runners' credentials Secret is updated in place, the runners keep running", async () => {
    const secretName = () => stack.ops.cluster.podsOf(REGISTRY, "Deployment/registry")[0].template.spec.volumes.find((volume: any) => volume.name === "config").secret.secretName;
    const before = secretName();
    const result = await stack.up({ "dind-stack:registryPassword": passwords.second });
    expect(changes(result.steps)).toEqual([
      'update prod-runners-registry-credentials [stringData["config.json"]]',
      "replace prod-registry-config [stringData.htpasswd]",
      "update prod-registry-deployment [spec.template.spec.volumes[1].secret.secretName]",
      "delete prod-registry-config",
    ]);
    // The new Secret exists before the registry's pod is told to use it; the old one goes last.
    expect(result.steps.find((step) => step.op === "replace")!.deleteBeforeReplace).toBe(false);
    const newRegistryPod = `${REGISTRY}/${stack.pods(REGISTRY, "Deployment/registry")[0]}`;
    expect(newRegistryPod).not.toBe(registryPod);
    expect(secretName()).not.toBe(before);
    expect(stack.ops.actions).toEqual([`rewrite Secret ${RUNNERS}/registry-credentials in its pods`, `stop pod ${registryPod}`, `start pod ${newRegistryPod}`]);
    expect(stack.ops.cluster.lookup("Secret", REGISTRY, before)).toBeUndefined();
    const htpasswd: string = stack.ops.cluster.lookup("Secret", REGISTRY, secretName())!.stringData.htpasswd;
    expect(bcrypt.compareSync(passwords.second, htpasswd.trimEnd().split(":")[1])).toBe(true);
    const config = JSON.parse(stack.ops.cluster.lookup("Secret", RUNNERS, "registry-credentials")!.stringData["config.json"]);
    expect(Buffer.from(Object.values<{ auth: string }>(config.auths)[0].auth, "base64").toString()).toBe(`dind-stack:${passwords.second}`);
  });

  test("nothing derived from the password is registered outside a secret envelope: both runs differ in plain text only by the provider's name of the new config Secret", async () => {
    const rotated = (await stack.up({ "dind-stack:registryPassword": passwords.second })).run;
    expect(plainDifferences(firstRun.resources, rotated.resources)).toEqual(["prod-registry-deployment: spec.template.spec.volumes.1.secret.secretName"]);
    const plainText = (run: ProgramRun) => JSON.stringify(run.resources.map(plainInputs));
    for (const [run, password] of [
      [firstRun, passwords.first],
      [rotated, passwords.second],
    ] as const) {
      const traces = passwordTraces(run.resources, password);
      // The registry's hash and the runners' credentials are in the program's registrations (inside envelopes) ...
      for (const trace of traces.slice(1, 3)) expect(JSON.stringify(run.resources.map((resource) => resource.inputs))).toContain(trace);
      // ... and none of them outside.
      for (const trace of traces) expect(plainText(run)).not.toContain(trace);
    }
  });

  test("a preview of the rotation lists the same steps: the registry's restart shows before it happens", async () => {
    const planned = await stack.preview({ "dind-stack:registryPassword": passwords.second });
    expect(changes(planned.steps).filter((change) => change.includes("prod-registry"))).toEqual([
      "replace prod-registry-config [stringData.htpasswd]",
      "update prod-registry-deployment [spec.template.spec.volumes[1].secret.secretName]",
      "delete prod-registry-config",
    ]);
    expect(stack.ops.actions).toEqual([]);
  });

  test("scaling 2 → 3 → 1 → 2 updates replicas in place; a new ordinal gets a claim, a removed one leaves its claim, which the ordinal uses again", async () => {
    expect(changes((await stack.up(runners(3))).steps)).toEqual(["update prod-runners-runner [spec.replicas]"]);
    expect(stack.ops.actions).toEqual([`create claim ${RUNNERS}/docker-data-runner-2`, `start pod ${RUNNERS}/runner-2`]);

    await stack.up(runners(1));
    expect(stack.ops.actions).toEqual([`stop pod ${RUNNERS}/runner-2`, `stop pod ${RUNNERS}/runner-1`]);
    expect(stack.pods(RUNNERS, "StatefulSet/runner")).toEqual(["runner-0"]);
    expect(stack.claims(RUNNERS)).toEqual(["docker-data-runner-0", "docker-data-runner-1", "docker-data-runner-2"]);

    await stack.up(runners(2));
    expect(stack.ops.actions).toEqual([`start pod ${RUNNERS}/runner-1`]);
  });

  test("a larger registry size updates its claim in place (an expansion); a smaller one is refused by the API server, naming the claim and the field", async () => {
    expect(changes((await stack.up({ "dind-stack:kubernetes": { registryStorageSize: "80Gi" } })).steps)).toEqual(["update prod-registry-data [spec.resources.requests.storage]"]);
    expect(stack.ops.actions).toEqual([]);
    expect(stack.ops.cluster.claim(REGISTRY, "registry-data")!.spec.resources.requests.storage).toBe("80Gi");
    await expect(stack.up({ "dind-stack:kubernetes": { registryStorageSize: "40Gi" } })).rejects.toThrow(
      'PersistentVolumeClaim "registry-data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value',
    );
  });

  test("another storage class is refused, naming the key and the class the claims have, in a preview and in an up; nothing changes, and every claim keeps its class", async () => {
    const refusal = 'dind-stack:kubernetes.storageClassName: got "fast-ssd", but the registry\'s volume claim registry-data were made with storage class "standard"';
    await expect(stack.preview({ "dind-stack:kubernetes": { storageClassName: "fast-ssd" } })).rejects.toThrow(refusal);
    await expect(stack.up({ "dind-stack:kubernetes": { storageClassName: "fast-ssd" } })).rejects.toThrow(refusal);
    expect(stack.ops.actions).toEqual([]);
    for (const claim of stack.ops.cluster.claims.values()) expect(claim.spec.storageClassName).toBe("standard");
  });

  test("naming the class the claims already have is no change; the cache claims' template, made without a class, refuses a named one", async () => {
    // The registry's claim got the cluster's default class ("standard" on the model cluster).
    const stackWithoutRunners = prodStack({ "dind-stack:workloads": { clients: [] } });
    await stackWithoutRunners.up();
    expect(changes((await stackWithoutRunners.up({ "dind-stack:kubernetes": { storageClassName: "standard" } })).steps)).toEqual([]);
    await expect(stack.up({ "dind-stack:kubernetes": { storageClassName: "standard" } })).rejects.toThrow(
      "dind-stack:kubernetes.storageClassName: got \"standard\", but the DinD cache claims of client group runner were made with the cluster's default storage class",
    );
  });

  test("another cache size replaces nothing: the claims keep the size they were made with, and so does a new ordinal's", async () => {
    expect(changes((await stack.up({ "dind-stack:kubernetes": { dataVolumeSize: "60Gi" } })).steps)).toEqual([]);
    await stack.up(runners(3));
    expect(stack.ops.cluster.claim(RUNNERS, "docker-data-runner-2")!.spec).toMatchObject({ storageClassName: "standard", resources: { requests: { storage: "30Gi" } } });
  });

  test("moving the runners to a namespace the config names labels it (its label patch creates it when missing) and starts the runners there first, then deletes the old objects; the stack's old namespace and its cache claims stay", async () => {
    const result = await stack.up({ "dind-stack:kubernetes": { namespaces: { runners: "build-runners" } } });
    expect(changes(result.steps).filter((change) => !change.startsWith("update") && !change.startsWith("delete")).sort()).toEqual([
      "create prod-runners-namespace-labels",
      "replace prod-runners-daemon-json [metadata.namespace]",
      "replace prod-runners-egress-policy [metadata.namespace]",
      "replace prod-runners-network-policy [metadata.namespace]",
      "replace prod-runners-registry-credentials [metadata.namespace]",
      "replace prod-runners-runner [metadata.namespace]",
      "replace prod-runners-runner-disruption [metadata.namespace]",
      "replace prod-runners-runner-pods [metadata.namespace]",
      "retain prod-runners-namespace",
    ]);
    expect(stack.ops.cluster.lookup("Namespace", "", "build-runners")!.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged" });
    expect(result.steps.filter((step) => step.op === "replace").every((step) => step.deleteBeforeReplace === false)).toBe(true);
    expect(result.steps.filter((step) => step.op === "retain").map((step) => step.name)).toEqual(["prod-runners-namespace"]);
    expect(stack.pods("build-runners", "StatefulSet/runner")).toEqual(["runner-0", "runner-1"]);
    expect(stack.pods(RUNNERS, "StatefulSet/runner")).toEqual([]);
    expect(stack.claims(RUNNERS)).toEqual(["docker-data-runner-0", "docker-data-runner-1"]);
    expect(stack.claims("build-runners")).toEqual(["docker-data-runner-0", "docker-data-runner-1"]);
    expect(stack.ops.actions.indexOf(`start pod build-runners/runner-0`)).toBeLessThan(stack.ops.actions.indexOf(`stop pod ${RUNNERS}/runner-0`));
  });

  test("destroy keeps the registry's claim, the cache claims and both namespaces; the next up adopts them, and the pods mount the same claims", async () => {
    const steps = await stack.destroy();
    expect(steps.filter((step) => step.op === "retain").map((step) => step.name)).toEqual(["prod-registry-data", "prod-runners-namespace", "prod-registry-namespace"]);
    expect(stack.ops.actions.filter((action) => !action.startsWith("stop pod "))).toEqual([`route Service ${REGISTRY}/registry`, `route Service ${RUNNERS}/runner`]);
    expect([...stack.ops.cluster.pods.keys()]).toEqual([]);
    expect(stack.claims(REGISTRY)).toEqual(["registry-data"]);
    expect(stack.claims(RUNNERS)).toEqual(["docker-data-runner-0", "docker-data-runner-1"]);

    const again = await stack.up();
    expect(again.steps.every((step) => step.op === "create")).toBe(true);
    expect(stack.ops.actions.filter((action) => action.includes("claim"))).toEqual([]);
    expect(stack.pods(RUNNERS, "StatefulSet/runner")).toEqual(["runner-0", "runner-1"]);
  });
});

describe("the DooD variant (a Deployment of job containers on the nodes' Docker socket)", () => {
  let stack: MockedClusterStack;

  beforeEach(async () => {
    const { config, secretKeys } = doodStack();
    stack = new MockedClusterStack("prod", withOverrides(config, { "dind-stack:registryPassword": passwords.first }), secretKeys);
    await stack.up();
  });

  test("an MTU change changes nothing: the nodes' daemons are not the stack's", async () => {
    expect(changes((await stack.up({ "dind-stack:daemon": { mtu: 1300 } })).steps)).toEqual([]);
  });

  test("a rebuilt image rolls the runners: a new pod starts before an old one stops, one at a time", async () => {
    const [first, second, third] = stack.pods(RUNNERS, "Deployment/runner");
    await stack.up({ "dind-stack:dindImage": { extraPackages: ["git", "jq"] } });
    const started = stack.pods(RUNNERS, "Deployment/runner");
    expect(stack.ops.actions).toEqual(
      [first, second, third].flatMap((old, index) => [`start pod ${RUNNERS}/${started[index]}`, `stop pod ${RUNNERS}/${old}`]),
    );
  });

  test("a rotated password restarts the registry and rewrites the runners' credentials; the runners keep running", async () => {
    await stack.up({ "dind-stack:registryPassword": passwords.second });
    expect(stack.ops.actions.filter((action) => action.includes(RUNNERS))).toEqual([`rewrite Secret ${RUNNERS}/registry-credentials in its pods`]);
    expect(stack.ops.actions.filter((action) => action.includes("pod "))).toEqual([expect.stringMatching(`^stop pod ${REGISTRY}/registry-`), expect.stringMatching(`^start pod ${REGISTRY}/registry-`)]);
  });

  test("scaling 3 → 1 stops two runner pods; there are no claims to keep", async () => {
    await stack.up(runners(1));
    expect(stack.ops.actions.map((action) => action.replace(/runner-.*/, "runner-..."))).toEqual([`stop pod ${RUNNERS}/runner-...`, `stop pod ${RUNNERS}/runner-...`]);
    expect(stack.pods(RUNNERS, "Deployment/runner")).toHaveLength(1);
    expect(stack.claims(RUNNERS)).toEqual([]);
  });

  test("destroy deletes the runners' namespace with everything in it, and keeps the registry's namespace and claim", async () => {
    const steps = await stack.destroy();
    expect(steps.filter((step) => step.op === "retain").map((step) => step.name)).toEqual(["prod-registry-data", "prod-registry-namespace"]);
    expect(stack.ops.cluster.lookup("Namespace", "", RUNNERS)).toBeUndefined();
    expect(stack.claims(REGISTRY)).toEqual(["registry-data"]);
    expect(changes((await stack.up()).steps).every((change) => change.startsWith("create "))).toBe(true);
  });
});
