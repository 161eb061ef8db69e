// The first `up` of this version over what the previous release deployed: the state a
// `pulumi up` of commit 15d325d left (test/fixtures/lifecycle/kubernetes-states-15d325d.json,
// made by that commit's own harness from the prod stack with two runners and its DooD variant)
// and the cluster it made. Nothing the stack keeps is lost: the registry's claim and every cache
// claim stay and are mounted again; what changes is shown in the plan.
import * as fs from "node:fs";
import * as path from "node:path";
import { MockedClusterStack } from "../../support/lifecycle/mocked-cluster-stack";
import { changes } from "../../support/lifecycle/plan";
import { StackState } from "../../support/lifecycle/stack-state";
import { doodStack } from "../../support/kubernetes-fixtures";
import { deployableStack, REPO_ROOT, withOverrides } from "../../support/stack-config";

const REGISTRY = "dind-stack-prod-registry";
const RUNNERS = "dind-stack-prod-runners";
const previous: { prod: StackState; dood: StackState } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "lifecycle", "kubernetes-states-15d325d.json"), "utf8"));
const password = { "dind-stack:registryPassword": "first-password-1" };

/** A stack of this version that takes over what the previous release deployed from `state`. */
function upgraded(config: Record<string, string>, secretKeys: string[], state: StackState): MockedClusterStack {
  const stack = new MockedClusterStack("prod", withOverrides(config, password), secretKeys);
  stack.adopt(state);
  return stack;
}

describe("the prod stack (DinD, a cache claim per runner) deployed by the previous release", () => {
  let stack: MockedClusterStack;

  beforeEach(() => {
    const { config, secretKeys } = deployableStack("prod");
    stack = upgraded(withOverrides(config, { "dind-stack:workloads": { clients: [{ name: "runner", count: 2, env: { CI: "true" } }] } }), secretKeys, previous.prod);
  });

  test("the first up updates in place and adds the new objects; no claim is made or deleted, only the registry's config Secret is replaced (create first); a second up changes nothing", async () => {
    const claimsBefore = [...stack.ops.cluster.claims.values()].map((claim) => `${claim.namespace}/${claim.name} ${JSON.stringify(claim.spec)}`);
    const result = await stack.up();
    const planned = changes(result.steps);
    // The registry's config gained http.draintimeout: its Secret is replaced create-first and the registry rolls onto it.
    expect(planned.filter((change) => !change.startsWith("update "))).toEqual([
      "create prod-runners-runner-pods",
      'replace prod-registry-config [stringData["config.yml"]]',
      "create prod-runners-runner-disruption",
      "create prod-runners-egress-policy",
      "delete prod-registry-config",
    ]);
    expect(planned.map((change) => change.split(" ").slice(0, 2).join(" "))).toEqual(
      expect.arrayContaining(["update prod-registry-namespace", "update prod-runners-namespace", "update prod-runners-daemon-json", "update prod-registry-deployment", "update prod-runners-runner"]),
    );
    expect(stack.ops.actions.filter((action) => action.includes("claim"))).toEqual([]);
    expect([...stack.ops.cluster.claims.values()].map((claim) => `${claim.namespace}/${claim.name} ${JSON.stringify(claim.spec)}`)).toEqual(claimsBefore);
    expect(changes((await stack.up()).steps)).toEqual([]);
  });

  test("the registry restarts once on its claim; the runners roll one at a time from the highest ordinal, each on its own cache claim, now with the new daemon settings", async () => {
    const registryBefore = stack.pods(REGISTRY, "Deployment/registry");
    await stack.up();
    const registryAfter = stack.pods(REGISTRY, "Deployment/registry");
    expect(stack.ops.actions.filter((action) => action.includes(" pod "))).toEqual([
      `stop pod ${REGISTRY}/${registryBefore[0]}`,
      `start pod ${REGISTRY}/${registryAfter[0]}`,
      `stop pod ${RUNNERS}/runner-1`,
      `start pod ${RUNNERS}/runner-1`,
      `stop pod ${RUNNERS}/runner-0`,
      `start pod ${RUNNERS}/runner-0`,
    ]);
    const registryPod = stack.ops.cluster.podsOf(REGISTRY, "Deployment/registry")[0];
    expect(registryPod.template.spec.volumes[0]).toEqual({ name: "data", persistentVolumeClaim: { claimName: "registry-data" } });
    for (const pod of stack.ops.cluster.podsOf(RUNNERS, "StatefulSet/runner")) {
      expect(pod.template.spec.volumes.find((volume: any) => volume.name === "docker-data").persistentVolumeClaim.claimName).toBe(`docker-data-${pod.name}`);
      expect(pod.template.spec.initContainers.map((container: any) => container.name)).toEqual(["dind", "prune"]);
    }
    const daemonJson = JSON.parse(stack.ops.cluster.lookup("ConfigMap", RUNNERS, "dind-daemon-json")!.data["daemon.json"]);
    expect(daemonJson).toMatchObject({ "shutdown-timeout": 90, builder: { gc: { enabled: true } } });
    expect(daemonJson.mtu).toBeUndefined();
  });

  test("the claims keep the class and access mode they were made with (the sample's old \"standard\"); the StatefulSet keeps its claim templates and runs on without a serviceName", async () => {
    await stack.up();
    expect(stack.ops.cluster.claim(REGISTRY, "registry-data")!.spec).toMatchObject({ storageClassName: "standard", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } });
    const set = stack.ops.cluster.lookup("StatefulSet", RUNNERS, "runner")!;
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "30Gi" } } });
    expect(set.spec.serviceName).toBeUndefined();
    // Another class is refused against what the claims have, as for a stack made by this version.
    await expect(stack.up({ "dind-stack:kubernetes": { storageClassName: "gp3" } })).rejects.toThrow('dind-stack:kubernetes.storageClassName: got "gp3", but the registry\'s volume claim registry-data were made with storage class "standard"');
  });

  test("destroy after the upgrade keeps the registry's claim, the cache claims and both namespaces", async () => {
    await stack.up();
    await stack.destroy();
    expect(stack.claims(REGISTRY)).toEqual(["registry-data"]);
    expect(stack.claims(RUNNERS)).toEqual(["docker-data-runner-0", "docker-data-runner-1"]);
  });
});

describe("the DooD variant deployed by the previous release", () => {
  test("the first up rolls the runners and adds the new objects; only the registry's config Secret is replaced (create first), and the registry keeps its claim", async () => {
    const { config, secretKeys } = doodStack();
    const stack = upgraded(config, secretKeys, previous.dood);
    const result = await stack.up();
    expect(result.steps.filter((step) => step.op === "replace" || step.op === "delete").map((step) => `${step.op} ${step.name} ${step.deleteBeforeReplace ?? ""}`)).toEqual([
      "replace prod-registry-config false",
      "delete prod-registry-config ",
    ]);
    expect(changes(result.steps).filter((change) => change.startsWith("create "))).toEqual(["create prod-runners-runner-disruption", "create prod-runners-egress-policy"]);
    expect(stack.ops.actions.filter((action) => action.includes("claim"))).toEqual([]);
    expect(stack.claims(REGISTRY)).toEqual(["registry-data"]);
    expect(stack.pods(RUNNERS, "Deployment/runner")).toHaveLength(3);
    expect(changes((await stack.up()).steps)).toEqual([]);
  });
});
