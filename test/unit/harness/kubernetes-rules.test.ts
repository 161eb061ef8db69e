// pulumi-kubernetes' diff rules as the lifecycle harness models them (kubernetes-rules.ts), and
// the cluster model's API server and controllers (kubernetes-cluster.ts, workload-controllers.ts),
// on objects shaped like the program's.
import { ClusterModel, describeAction } from "../../support/lifecycle/kubernetes-cluster";
import { withProviderName } from "../../support/lifecycle/kubernetes-naming";
import { kubernetesDiff, KUBERNETES_PROVIDER } from "../../support/lifecycle/kubernetes-rules";
import { UNKNOWN } from "../../support/lifecycle/provider-rules";
import { deploymentActions, statefulSetActions } from "../../support/lifecycle/workload-controllers";

const T = {
  namespace: "kubernetes:core/v1:Namespace",
  configMap: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  claim: "kubernetes:core/v1:PersistentVolumeClaim",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
};
const MUTABLE = { enableConfigMapMutable: true, enableSecretMutable: true };
const labels = { app: "runner" };
const template = (image: string) => ({ metadata: { labels }, spec: { containers: [{ name: "job", image }] } });
const statefulSet = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: "runner", namespace: "ns" },
  spec: {
    replicas: 2,
    podManagementPolicy: "Parallel",
    selector: { matchLabels: labels },
    template: template("dind@sha256:1"),
    volumeClaimTemplates: [{ metadata: { name: "cache" }, spec: { storageClassName: "standard", resources: { requests: { storage: "30Gi" } } } }],
    ...spec,
  },
});
const claim = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: "data", namespace: "ns" },
  spec: { accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "50Gi" } }, ...spec },
});

describe("pulumi-kubernetes' diff, by nested path", () => {
  test("a StatefulSet: replicas and the pod template update it; its selector or claim templates replace it, delete first since it is named", () => {
    expect(kubernetesDiff(T.statefulSet, statefulSet(), statefulSet({ replicas: 3, template: template("dind@sha256:2") }))).toEqual({
      kind: "update",
      changed: ["spec.replicas", "spec.template.spec.containers[0].image"],
      replaceFields: [],
      engineFields: ["spec.replicas", "spec.template.spec.containers[0].image"],
    });
    const resized = statefulSet({ volumeClaimTemplates: [{ metadata: { name: "cache" }, spec: { storageClassName: "standard", resources: { requests: { storage: "60Gi" } } } }] });
    expect(kubernetesDiff(T.statefulSet, statefulSet(), resized)).toMatchObject({
      kind: "replace",
      replaceFields: ["spec.volumeClaimTemplates[0].spec.resources.requests.storage"],
      deleteBeforeReplace: true,
    });
    expect(kubernetesDiff(T.statefulSet, statefulSet(), statefulSet({ selector: { matchLabels: { app: "other" } } }))).toMatchObject({ kind: "replace", replaceFields: ["spec.selector.matchLabels.app"] });
  });

  test("a Deployment's template updates it; its selector replaces it", () => {
    const deployment = (spec: Record<string, unknown>) => ({ metadata: { name: "registry", namespace: "ns" }, spec: { selector: { matchLabels: labels }, template: template("registry:2"), ...spec } });
    expect(kubernetesDiff(T.deployment, deployment({}), deployment({ template: { ...template("registry:2"), metadata: { labels, annotations: { a: "1" } } } })).kind).toBe("update");
    expect(kubernetesDiff(T.deployment, deployment({}), deployment({ selector: { matchLabels: { app: "x" } } })).kind).toBe("replace");
  });

  test("a claim: another storage class or access mode replaces it, delete first; another size updates it", () => {
    expect(kubernetesDiff(T.claim, claim(), claim({ storageClassName: "fast" }))).toMatchObject({ kind: "replace", replaceFields: ["spec.storageClassName"], deleteBeforeReplace: true });
    expect(kubernetesDiff(T.claim, claim(), claim({ accessModes: ["ReadWriteMany"] }))).toMatchObject({ kind: "replace", replaceFields: ["spec.accessModes[0]"] });
    expect(kubernetesDiff(T.claim, claim(), claim({ resources: { requests: { storage: "80Gi" } } }))).toMatchObject({ kind: "update", changed: ["spec.resources.requests.storage"] });
  });

  test("ConfigMap and Secret data: replaced delete-first with the provider's defaults, updated in place when the provider makes them mutable; a Secret's type always replaces", () => {
    const configMap = (text: string) => ({ metadata: { name: "dind-daemon-json", namespace: "ns" }, data: { "daemon.json": text } });
    expect(kubernetesDiff(T.configMap, configMap("{}"), configMap('{"mtu":1300}'), {})).toMatchObject({ kind: "replace", replaceFields: ['data["daemon.json"]'], deleteBeforeReplace: true });
    expect(kubernetesDiff(T.configMap, configMap("{}"), configMap('{"mtu":1300}'), MUTABLE).kind).toBe("update");
    const secret = (password: string, type = "Opaque") => ({ metadata: { name: "registry-config", namespace: "ns" }, type, stringData: { htpasswd: password } });
    expect(kubernetesDiff(T.secret, secret("a"), secret("b"), {}).kind).toBe("replace");
    expect(kubernetesDiff(T.secret, secret("a"), secret("b"), { enableSecretMutable: "true" }).kind).toBe("update");
    expect(kubernetesDiff(T.secret, secret("a"), secret("a", "kubernetes.io/dockerconfigjson"), MUTABLE)).toMatchObject({ kind: "replace", replaceFields: ["type"] });
  });

  test("a renamed object, or one moved to another namespace, is replaced create-first: the new one has another identity", () => {
    const namespaced = (namespace: string, name = "data") => ({ ...claim(), metadata: { name, namespace } });
    expect(kubernetesDiff(T.claim, namespaced("ns"), namespaced("other"))).toMatchObject({ kind: "replace", replaceFields: ["metadata.namespace"], deleteBeforeReplace: false });
    expect(kubernetesDiff(T.namespace, { metadata: { name: "a" } }, { metadata: { name: "b" } })).toMatchObject({ kind: "replace", deleteBeforeReplace: false });
    expect(kubernetesDiff(T.namespace, { metadata: { name: "a", labels: { x: "1" } } }, { metadata: { name: "a", labels: { x: "2" } } }).kind).toBe("update");
  });

  test("a value a preview cannot know yet counts as a change at its path; a whole spec removed replaces when a force-new path had a value", () => {
    expect(kubernetesDiff(T.statefulSet, statefulSet(), statefulSet({ template: template(UNKNOWN) }))).toMatchObject({ kind: "update", changed: ["spec.template.spec.containers[0].image"] });
    expect(kubernetesDiff(T.claim, claim(), { metadata: claim().metadata })).toMatchObject({ kind: "replace", replaceFields: ["spec"] });
  });

  test("the provider: a context that selects another cluster replaces it and every object, which the harness refuses to act out", () => {
    const kubeconfig = JSON.stringify({
      clusters: [
        { name: "one", cluster: { server: "https://one.example:6443" } },
        { name: "two", cluster: { server: "https://two.example:6443" } },
      ],
      contexts: [
        { name: "a", context: { cluster: "one" } },
        { name: "a-admin", context: { cluster: "one", user: "admin" } },
        { name: "b", context: { cluster: "two" } },
      ],
      "current-context": "a",
    });
    expect(() => kubernetesDiff(KUBERNETES_PROVIDER, { kubeconfig, context: "a" }, { kubeconfig, context: "b" })).toThrow("the Kubernetes provider's context changed");
    // Another context on the same cluster only updates the provider.
    expect(kubernetesDiff(KUBERNETES_PROVIDER, { kubeconfig, context: "a" }, { kubeconfig, context: "a-admin" })).toMatchObject({ kind: "update", changed: ["context"] });
  });

  test("the provider: without a kubeconfig input there is no cluster to compare, so a new context updates it; an unknown one replaces it", () => {
    expect(kubernetesDiff(KUBERNETES_PROVIDER, { context: "a" }, { context: "b" })).toMatchObject({ kind: "update", changed: ["context"] });
    expect(() => kubernetesDiff(KUBERNETES_PROVIDER, { context: "a" }, { context: UNKNOWN })).toThrow("the Kubernetes provider's context changed");
    expect(kubernetesDiff(KUBERNETES_PROVIDER, {}, { upsertExistingObjects: true })).toMatchObject({ kind: "update", changed: ["upsertExistingObjects"] });
  });

  test("a kind without rules fails by name", () => {
    expect(() => kubernetesDiff("kubernetes:batch/v1:Job", { spec: {} }, { spec: { x: 1 } })).toThrow("no provider rules for resource type kubernetes:batch/v1:Job");
  });
});

describe("the cluster model: the API server and the workload controllers", () => {
  const cluster = (upsert: boolean) => {
    const model = new ClusterModel();
    model.configure({ upsertExistingObjects: upsert });
    model.create(T.namespace, { metadata: { name: "ns" } });
    return model;
  };

  test("a create of an existing object is refused with AlreadyExists, unless the provider upserts (then it is adopted as an update)", () => {
    const strict = cluster(false);
    strict.create(T.claim, claim());
    expect(() => strict.create(T.claim, claim())).toThrow('persistentvolumeclaims "data" already exists');
    const upserting = cluster(true);
    upserting.create(T.claim, claim());
    expect(upserting.create(T.claim, claim({ resources: { requests: { storage: "60Gi" } } }))).toEqual([]);
    expect(() => upserting.create(T.claim, claim({ storageClassName: "fast" }))).toThrow(
      'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests',
    );
  });

  test("an object needs its namespace; deleting a namespace deletes its pods and claims, whatever their retention", () => {
    const model = cluster(false);
    expect(() => model.create(T.claim, { ...claim(), metadata: { name: "data", namespace: "missing" } })).toThrow('namespaces "missing" not found');
    model.create(T.statefulSet, statefulSet());
    expect(model.remove(T.namespace, { metadata: { name: "ns" } }).map(describeAction)).toEqual(["stop pod ns/runner-0", "stop pod ns/runner-1", "delete claim ns/cache-runner-0", "delete claim ns/cache-runner-1"]);
  });

  test("a claim in use by a pod cannot be deleted; the StatefulSet's forbidden fields and a Deployment's selector are refused on update", () => {
    const model = cluster(false);
    model.create(T.claim, claim());
    model.create(T.deployment, { metadata: { name: "registry", namespace: "ns" }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] } } } });
    expect(() => model.remove(T.claim, claim())).toThrow(/persistentvolumeclaims "data" is used by pod ns\/registry-.*kubernetes.io\/pvc-protection/);
    model.create(T.statefulSet, statefulSet());
    expect(() => model.update(T.statefulSet, statefulSet({ podManagementPolicy: "OrderedReady" }))).toThrow("spec: Forbidden: updates to statefulset spec for fields other than 'replicas'");
  });

  test("a pod whose ConfigMap does not exist is refused by name (it would never start)", () => {
    const model = cluster(false);
    const spec = { ...statefulSet().spec, template: { metadata: { labels }, spec: { containers: [], volumes: [{ name: "cfg", configMap: { name: "dind-daemon-json" } }] } } };
    expect(() => model.create(T.statefulSet, { metadata: { name: "runner", namespace: "ns" }, spec })).toThrow('cannot mount volume "cfg": ConfigMap "dind-daemon-json" does not exist');
  });

  test("StatefulSet claims: kept when scaled down or deleted by default; deleted with policy Delete", () => {
    const model = cluster(false);
    model.create(T.statefulSet, statefulSet({ persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete", whenDeleted: "Delete" } }));
    expect(model.update(T.statefulSet, statefulSet({ replicas: 1, persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete", whenDeleted: "Delete" } })).map(describeAction)).toEqual([
      "stop pod ns/runner-1",
      "delete claim ns/cache-runner-1",
    ]);
    expect(model.remove(T.statefulSet, statefulSet()).map(describeAction)).toEqual(["stop pod ns/runner-0", "delete claim ns/cache-runner-0"]);
  });

  test("controllers: pods and claims named as Kubernetes names them; a selector that does not select the template is refused", () => {
    const none = { podsOf: () => [], claim: () => undefined };
    expect(() => deploymentActions("ns", "d", { replicas: 1, selector: { matchLabels: { app: "b" } }, template: template("x") }, none)).toThrow("`selector` does not match template `labels` (app)");
    expect(deploymentActions("ns", "d", { replicas: 2, selector: { matchLabels: labels }, template: template("x") }, none).map(describeAction)).toEqual([
      expect.stringMatching(/^start pod ns\/d-[0-9a-f]{10}-0$/),
      expect.stringMatching(/^start pod ns\/d-[0-9a-f]{10}-1$/),
    ]);
    expect(statefulSetActions("ns", "s", statefulSet().spec, none).map(describeAction)).toEqual([
      "create claim ns/cache-s-0",
      "start pod ns/s-0",
      "create claim ns/cache-s-1",
      "start pod ns/s-1",
    ]);
  });

  test("a Deployment with Recreate stops every old pod before a new one starts", () => {
    const model = cluster(false);
    const deployment = (image: string) => ({ metadata: { name: "registry", namespace: "ns" }, spec: { replicas: 2, strategy: { type: "Recreate" }, selector: { matchLabels: labels }, template: template(image) } });
    model.create(T.deployment, deployment("registry:2"));
    expect(model.update(T.deployment, deployment("registry:2.8")).map((action) => action.op)).toEqual(["stop-pod", "stop-pod", "start-pod", "start-pod"]);
  });
});

describe("Patch resources, field managers, immutable Secrets and the provider's names", () => {
  const patch = "kubernetes:core/v1:NamespacePatch";
  const enforce = (level: string) => ({ "pod-security.kubernetes.io/enforce": level });
  const withTeam = () => {
    const model = new ClusterModel();
    model.createOutside(T.namespace, { metadata: { name: "team", labels: { team: "a" } } }, "kubectl");
    return model;
  };

  test("a NamespacePatch is updated in place for anything but its name, and replaced create first for another name", () => {
    const olds = { metadata: { name: "team", labels: enforce("privileged") } };
    expect(kubernetesDiff(patch, olds, { metadata: { name: "team", labels: enforce("baseline") } })).toMatchObject({ kind: "update" });
    expect(kubernetesDiff(patch, olds, { metadata: { name: "other", labels: enforce("privileged") } })).toMatchObject({ kind: "replace", deleteBeforeReplace: false });
  });

  test("its apply adds its labels next to the others' and its delete gives back exactly those; a missing namespace is created by the apply", () => {
    const model = withTeam();
    model.create(patch, { metadata: { name: "team", labels: enforce("privileged") } }, "stack-patch");
    expect(model.lookup("Namespace", "", "team")!.metadata.labels).toEqual({ team: "a", ...enforce("privileged") });
    model.remove(patch, { metadata: { name: "team", labels: enforce("privileged") } }, "stack-patch");
    expect(model.lookup("Namespace", "", "team")!.metadata.labels).toEqual({ team: "a" });
    model.create(patch, { metadata: { name: "fresh", labels: enforce("baseline") } }, "stack-patch");
    expect(model.lookup("Namespace", "", "fresh")!.metadata.labels).toEqual(enforce("baseline"));
  });

  test("a label another manager holds with another value is a conflict, not taken over; with the same value it is shared and stays when the patch goes", () => {
    const model = withTeam();
    expect(() => model.create(patch, { metadata: { name: "team", labels: { team: "b" } } }, "stack-patch")).toThrow('Apply failed with 1 conflict: conflict with "kubectl": .metadata.labels.team');
    model.create(patch, { metadata: { name: "team", labels: { team: "a", extra: "1" } } }, "stack-patch");
    model.remove(patch, { metadata: { name: "team" } }, "stack-patch");
    expect(model.lookup("Namespace", "", "team")!.metadata.labels).toEqual({ team: "a" });
  });

  test("an update of the patch drops the labels it no longer applies, only its own", () => {
    const model = withTeam();
    model.create(patch, { metadata: { name: "team", labels: { ...enforce("privileged"), "pod-security.kubernetes.io/warn": "privileged" } } }, "stack-patch");
    model.update(patch, { metadata: { name: "team", labels: enforce("privileged") } }, "stack-patch");
    expect(model.lookup("Namespace", "", "team")!.metadata.labels).toEqual({ team: "a", ...enforce("privileged") });
  });

  test("a patch of anything but a namespace's labels is not modelled and fails by name", () => {
    const model = withTeam();
    expect(() => model.create(patch, { metadata: { name: "team", annotations: { a: "1" } } }, "stack-patch")).toThrow("metadata.annotations is set");
    expect(() => model.create("kubernetes:apps/v1:DeploymentPatch", { metadata: { name: "d", namespace: "team" } }, "stack-patch")).toThrow("DeploymentPatch is not modelled");
  });

  test("a patch needs the provider's server-side apply mode", () => {
    const model = withTeam();
    model.configure({ enableServerSideApply: "false" });
    expect(() => model.create(patch, { metadata: { name: "team", labels: enforce("privileged") } }, "stack-patch")).toThrow("patch resources require Server-Side Apply mode");
  });

  test("an immutable Secret's data cannot change, nor can it become mutable (the API server's words)", () => {
    const model = new ClusterModel();
    model.create(T.namespace, { metadata: { name: "ns" } });
    const secret = (password: string, immutable = true) => ({ metadata: { name: "registry-config-1", namespace: "ns" }, type: "Opaque", immutable, stringData: { htpasswd: password } });
    model.create(T.secret, secret("a"));
    expect(() => model.update(T.secret, secret("b"))).toThrow('Secret "registry-config-1" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    expect(() => model.update(T.secret, secret("a", false))).toThrow('Secret "registry-config-1" is invalid: immutable: Forbidden: field is immutable when `immutable` is set');
    // ... so the provider's diff replaces it, whatever the provider's enableSecretMutable says.
    expect(kubernetesDiff(T.secret, secret("a"), secret("b"), MUTABLE)).toMatchObject({ kind: "replace", replaceFields: ["stringData.htpasswd"] });
  });

  test("an unnamed object gets `<resource name>-<suffix>` on create, keeps it on update and delete; a named one keeps its name", () => {
    const created = withProviderName("prod-registry-config", { metadata: { namespace: "ns" } }, undefined, () => "0a1b2c3d");
    expect(created.metadata).toEqual({ namespace: "ns", name: "prod-registry-config-0a1b2c3d", annotations: { "pulumi.com/autonamed": "true" } });
    expect(withProviderName("prod-registry-config", { metadata: { namespace: "ns" } }, created).metadata.name).toBe("prod-registry-config-0a1b2c3d");
    expect(withProviderName("x", { metadata: { name: "fixed" } }, undefined).metadata).toEqual({ name: "fixed" });
    expect(withProviderName("x", {}, undefined).metadata.name).toMatch(/^x-[0-9a-f]{8}$/);
  });
});
