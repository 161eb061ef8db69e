// Namespaces the stack does not own, through its life on the cluster model (test/support/lifecycle):
// an existing namespace the config names, with a team's objects and a running pod in it, gets
// the stack's Pod Security labels and its objects, and is never adopted: destroy and a rename
// give back exactly the stack's labels and leave the namespace and everything else in it.
// The stack's own namespaces keep their life as before (kubernetes-lifecycle.test.ts).
import { podSecurityLabels } from "../../../components/kubernetes/pod-security";
import { K8S } from "../../support/kubernetes-objects";
import { MockedClusterStack } from "../../support/lifecycle/mocked-cluster-stack";
import { changes } from "../../support/lifecycle/plan";
import { deployableStack, withOverrides } from "../../support/stack-config";

const TEAM = "team-builds";
const OWN_RUNNERS = "dind-stack-prod-runners";
const TEAM_LABELS = { team: "builds" };

/** The prod stack with its runners' cache on an emptyDir (so nothing in their namespace is kept) and these kubernetes settings. */
function prodStack(kubernetes: Record<string, unknown>): MockedClusterStack {
  const { config, secretKeys } = deployableStack("prod");
  return new MockedClusterStack("prod", withOverrides(config, { "dind-stack:kubernetes": { dindCache: "emptyDir", ...kubernetes } }), secretKeys);
}

/** The team's namespace as someone else made it: labelled, with a ConfigMap and a Deployment whose pod runs. */
function createTeamNamespace(stack: MockedClusterStack, labels: Record<string, string> = TEAM_LABELS, manager?: string): void {
  const cluster = stack.ops.cluster;
  cluster.createOutside(K8S.namespace, { metadata: { name: TEAM, labels } }, manager);
  cluster.createOutside(K8S.configMap, { metadata: { name: "team-settings", namespace: TEAM }, data: { owner: "team" } });
  const app = { app: "team" };
  cluster.createOutside(K8S.deployment, {
    metadata: { name: "team-app", namespace: TEAM },
    spec: { replicas: 1, selector: { matchLabels: app }, template: { metadata: { labels: app }, spec: { containers: [{ name: "app", image: "team/app:1" }] } } },
  });
}

/** What a user sees of the team's namespace: whether it exists, its labels, its ConfigMaps and Secrets, and who runs pods in it. */
function teamNamespace(stack: MockedClusterStack) {
  const cluster = stack.ops.cluster;
  const namespace = cluster.lookup("Namespace", "", TEAM);
  return {
    exists: namespace !== undefined,
    labels: namespace?.metadata.labels,
    configMaps: cluster.objectsOf("ConfigMap", TEAM).map((object) => object.metadata.name),
    secrets: cluster.objectsOf("Secret", TEAM).map((object) => object.metadata.name),
    teamPods: cluster.podsOf(TEAM, "Deployment/team-app").length,
    runnerPods: cluster.podsOf(TEAM, "Deployment/runner").length,
  };
}

const namespaceSteps = (steps: { type: string; op: string; name: string }[]) =>
  steps.filter((step) => step.type === K8S.namespace || step.type === K8S.namespacePatch).map((step) => `${step.op} ${step.name}`);

describe("the runners in an existing namespace the config names", () => {
  let stack: MockedClusterStack;

  beforeEach(async () => {
    stack = prodStack({ namespaces: { runners: TEAM } });
    createTeamNamespace(stack);
    await stack.up();
  });

  test("up adds only the Pod Security labels (no Namespace of the stack's) and runs the runners there, next to the team's pod", () => {
    expect(namespaceSteps(stack.state.resources.map((entry) => ({ ...entry, op: "create" }))).sort()).toEqual(["create prod-registry-namespace", "create prod-runners-namespace-labels"]);
    expect(teamNamespace(stack)).toEqual({
      exists: true,
      labels: { ...TEAM_LABELS, ...podSecurityLabels("privileged", "1.30") },
      configMaps: ["team-settings", "dind-daemon-json"],
      secrets: ["registry-credentials"],
      teamPods: 1,
      runnerPods: 3,
    });
  });

  test("destroy deletes the stack's objects in it and gives back its labels; the namespace, the team's ConfigMap and pod stay", async () => {
    const steps = await stack.destroy();
    expect(namespaceSteps(steps).sort()).toEqual(["delete prod-runners-namespace-labels", "retain prod-registry-namespace"]);
    expect(teamNamespace(stack)).toEqual({ exists: true, labels: TEAM_LABELS, configMaps: ["team-settings"], secrets: [], teamPods: 1, runnerPods: 0 });
  });

  test("the stack's own namespace in its place, with the same emptyDir cache, is deleted on destroy with everything in it, as before", async () => {
    const own = prodStack({});
    await own.up();
    const steps = await own.destroy();
    expect(namespaceSteps(steps)).toEqual(["delete prod-runners-namespace", "retain prod-registry-namespace"]);
    expect(own.ops.cluster.lookup("Namespace", "", OWN_RUNNERS)).toBeUndefined();
  });

  test("renaming the runners back to the stack's own namespace creates that one and moves the runners; the team's namespace stays, without the stack's labels or objects", async () => {
    const result = await stack.up({ "dind-stack:kubernetes": { dindCache: "emptyDir", namespaces: {} } });
    expect(namespaceSteps(result.steps.filter((step) => step.op !== "same"))).toEqual(["create prod-runners-namespace", "delete prod-runners-namespace-labels"]);
    expect(stack.pods(OWN_RUNNERS, "Deployment/runner")).toHaveLength(3);
    expect(teamNamespace(stack)).toEqual({ exists: true, labels: TEAM_LABELS, configMaps: ["team-settings"], secrets: [], teamPods: 1, runnerPods: 0 });
  });

  test("renaming the runners from the team's namespace to another existing one labels the new one first and leaves the old one as it was", async () => {
    stack.ops.cluster.createOutside(K8S.namespace, { metadata: { name: "other-builds" } });
    const result = await stack.up({ "dind-stack:kubernetes": { dindCache: "emptyDir", namespaces: { runners: "other-builds" } } });
    expect(changes(result.steps)).toContain("replace prod-runners-namespace-labels [metadata.name]");
    expect(result.steps.find((step) => step.name === "prod-runners-namespace-labels")!.deleteBeforeReplace).toBe(false);
    expect(stack.ops.cluster.lookup("Namespace", "", "other-builds")!.metadata.labels).toEqual(podSecurityLabels("privileged", "1.30"));
    expect(teamNamespace(stack)).toEqual({ exists: true, labels: TEAM_LABELS, configMaps: ["team-settings"], secrets: [], teamPods: 1, runnerPods: 0 });
  });
});

describe("the registry in an existing namespace the config names", () => {
  test("destroy keeps the registry's claim (retainDataOnDelete) and gives back the restricted labels; the next up uses the namespace and the claim again", async () => {
    const stack = prodStack({ namespaces: { registry: TEAM } });
    createTeamNamespace(stack);
    await stack.up();
    expect(teamNamespace(stack).labels).toEqual({ ...TEAM_LABELS, ...podSecurityLabels("restricted", "1.30") });
    const steps = await stack.destroy();
    expect(namespaceSteps(steps)).toEqual(["delete prod-runners-namespace", "delete prod-registry-namespace-labels"]);
    expect(stack.claims(TEAM)).toEqual(["registry-data"]);
    expect(teamNamespace(stack)).toMatchObject({ exists: true, labels: TEAM_LABELS, configMaps: ["team-settings"], teamPods: 1 });
    const again = await stack.up();
    expect(again.steps.every((step) => step.op === "create")).toBe(true);
    expect(stack.ops.actions.filter((action) => action.includes("claim"))).toEqual([]);
  });
});

describe("Pod Security labels someone else set on an existing namespace", () => {
  test("at the same level, they are shared, and stay when the stack gives back its own", async () => {
    const stack = prodStack({ namespaces: { runners: TEAM } });
    createTeamNamespace(stack, { ...TEAM_LABELS, "pod-security.kubernetes.io/enforce": "privileged" }, "kubectl");
    await stack.up();
    expect(teamNamespace(stack).labels).toEqual({ ...TEAM_LABELS, ...podSecurityLabels("privileged", "1.30") });
    await stack.destroy();
    expect(teamNamespace(stack).labels).toEqual({ ...TEAM_LABELS, "pod-security.kubernetes.io/enforce": "privileged" });
  });

  // Last in the file: a deployment that fails this early leaves registrations of its program in
  // flight (under mocks nothing cancels them), and they would reach the next program run.
  test("at another level, they are not taken over: up fails with the API server's conflict naming the label and its manager, and the label keeps its value", async () => {
    const stack = prodStack({ namespaces: { runners: TEAM } });
    createTeamNamespace(stack, { ...TEAM_LABELS, "pod-security.kubernetes.io/enforce": "baseline" }, "kubectl");
    await expect(stack.up()).rejects.toThrow('Apply failed with 1 conflict: conflict with "kubectl": .metadata.labels.pod-security.kubernetes.io/enforce');
    expect(teamNamespace(stack).labels).toEqual({ ...TEAM_LABELS, "pod-security.kubernetes.io/enforce": "baseline" });
  });
});
