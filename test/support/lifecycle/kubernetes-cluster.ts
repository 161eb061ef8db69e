import { quantityValue } from "../../../components/kubernetes/quantity";
import { Fields, onlyFields } from "../../engine/support/kubelet/fields";
import { isPatchType, objectKindOf, providerFlag } from "./kubernetes-rules";
import { ClusterAction, ControllerView, deploymentActions, MODEL_DEFAULT_STORAGE_CLASS, ModelClaim, ModelPod, statefulSetActions, workloadDeletion } from "./workload-controllers";

/** How the API server names a kind in its messages (`<resource>.<group>`). */
const RESOURCE: Readonly<Record<string, { plural: string; group: string }>> = {
  Namespace: { plural: "namespaces", group: "" },
  ConfigMap: { plural: "configmaps", group: "" },
  Secret: { plural: "secrets", group: "" },
  PersistentVolumeClaim: { plural: "persistentvolumeclaims", group: "" },
  Service: { plural: "services", group: "" },
  Deployment: { plural: "deployments", group: "apps" },
  StatefulSet: { plural: "statefulsets", group: "apps" },
  NetworkPolicy: { plural: "networkpolicies", group: "networking.k8s.io" },
  PodDisruptionBudget: { plural: "poddisruptionbudgets", group: "policy" },
};



/** The StatefulSet spec fields the API server lets an update change. */
const STATEFULSET_MUTABLE = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

const json = (value: unknown) => JSON.stringify(value ?? null);

/** The field manager of a write whose caller names none: the one pulumi-kubernetes uses for client-side writes. */
const DEFAULT_MANAGER = "pulumi-kubernetes";

function resourceOf(kind: string): { plural: string; group: string } {
  const found = RESOURCE[kind];
  if (!found) throw new Error(`kubelet: kind ${kind} is not realized by the harness`);
  return found;
}

/** `<Kind>.<group> "<name>" is invalid: <why>`, as the API server refuses an update. */
function invalid(kind: string, name: string, why: string): Error {
  const group = resourceOf(kind).group;
  return new Error(`${kind}${group ? `.${group}` : ""} "${name}" is invalid: ${why}`);
}

/**
 * The API server's message for an apply that meets fields another manager holds with other
 * values (k8s.io/apimachinery pkg/util/managedfields/internal/conflict.go, `NewConflictError`;
 * the operation and API version after a manager's name left out), as pulumi-kubernetes passes
 * it on (provider/pkg/await/await.go `handleSSAErr`).
 */
function applyConflict(manager: string, conflicts: { label: string; owner: string }[]): Error {
  const owners = [...new Set(conflicts.map((conflict) => conflict.owner))].sort();
  const server =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: conflict with "${conflicts[0].owner}": .metadata.labels.${conflicts[0].label}`
      : `Apply failed with ${conflicts.length} conflicts: ${owners
          .map((owner) => [`conflicts with "${owner}":`, ...conflicts.filter((conflict) => conflict.owner === owner).map((conflict) => `- .metadata.labels.${conflict.label}`)].join("\n"))
          .join("\n")}`;
  return new Error(`server-side apply field conflict detected\nThe resource managed by field manager "${manager}" had an apply conflict: ${server}`);
}

/**
 * A cluster as far as this project's objects need one, without running anything: what the API
 * server keeps (objects by kind, namespace and name; a create of an existing object refused
 * unless the provider upserts; the immutable parts of claims, workloads and Secrets), and what
 * the controllers and kubelets make of it, as ordered actions (pods started and stopped, claims
 * created and deleted, projected ConfigMap and Secret files rewritten, Service names routed).
 * Deleting a namespace deletes everything in it; a claim in use by a pod cannot be deleted.
 * Every write of the stack is a server-side apply under the field manager of its resource
 * (pulumi-kubernetes 4.x applies server-side by default): labels are owned per manager, a label
 * another manager holds with another value is a conflict, and a Patch resource (NamespacePatch)
 * adds only its labels and gives back only those. Objects made outside the stack (createOutside)
 * stand for what the cluster already holds. The unit tests record the actions; the engine's
 * kubelet realizer acts them out.
 */
export class ClusterModel implements ControllerView {
  /** Volume claims by `namespace/name`. */
  readonly claims = new Map<string, ModelClaim>();
  /** Running pods by `namespace/name`, in the order they started. */
  readonly pods = new Map<string, ModelPod>();
  private readonly objects = new Map<string, Fields>();
  /** Per object (`kind/namespace/name`), the field managers that hold each of its labels. */
  private readonly labelOwners = new Map<string, Map<string, Set<string>>>();
  private provider: Fields = {};
  private nextServiceIp = 1;

  /** An object as the API server holds it. */
  lookup(kind: string, namespace: string, name: string): Fields | undefined {
    return this.objects.get(`${kind}/${namespace}/${name}`);
  }

  /** Every object of a kind in a namespace. */
  objectsOf(kind: string, namespace: string): Fields[] {
    return [...this.objects.entries()].filter(([key]) => key.startsWith(`${kind}/${namespace}/`)).map(([, object]) => object);
  }

  /** The running pods a workload owns, oldest first. */
  podsOf(namespace: string, owner: string): ModelPod[] {
    return [...this.pods.values()].filter((pod) => pod.namespace === namespace && pod.owner === owner);
  }

  /** A volume claim, if it exists. */
  claim(namespace: string, name: string): ModelClaim | undefined {
    return this.claims.get(`${namespace}/${name}`);
  }

  /** The provider's config (its inputs), which decides what a create of an existing object does. */
  configure(provider: Fields): void {
    this.provider = provider;
  }

  /**
   * Creates an object, as pulumi-kubernetes does: a client-side create, refused with
   * AlreadyExists when the object exists, unless the provider sets upsertExistingObjects (then
   * a server-side apply adopts it, which is an update). A Patch resource's create is an apply of
   * its fields (see patch). `manager` is the resource's field manager (pulumi-kubernetes gives
   * each resource one of its own).
   */
  create(type: string, inputs: Fields, manager = DEFAULT_MANAGER): ClusterAction[] {
    if (isPatchType(type)) return this.patch(type, inputs, manager);
    const kind = objectKindOf(type);
    const { namespace, name } = this.identity(kind, inputs);
    const existing = this.lookup(kind, namespace, name);
    if (existing) {
      if (!providerFlag(this.provider, "upsertExistingObjects")) {
        throw new Error(`${resourceOf(kind).plural} "${name}" already exists (pulumi-kubernetes creates objects with a client-side create unless the provider sets upsertExistingObjects)`);
      }
      return this.update(type, inputs, manager);
    }
    return this.store(kind, namespace, name, inputs, manager);
  }

  /**
   * Creates an object the way someone else would (`kubectl create`, another tool): what exists in
   * the cluster before the stack, under another field manager.
   */
  createOutside(type: string, inputs: Fields, manager = "kubectl-create"): ClusterAction[] {
    const kind = objectKindOf(type);
    const { namespace, name } = this.identity(kind, inputs);
    if (this.lookup(kind, namespace, name)) throw new Error(`${resourceOf(kind).plural} "${name}" already exists`);
    return this.store(kind, namespace, name, inputs, manager);
  }

  /** Applies new inputs to an existing object, as the API server's validation allows, and what follows from them. */
  update(type: string, applied: Fields, manager = DEFAULT_MANAGER): ClusterAction[] {
    if (isPatchType(type)) return this.patch(type, applied, manager);
    const kind = objectKindOf(type);
    const { namespace, name } = this.identity(kind, applied);
    const old = this.lookup(kind, namespace, name);
    if (!old) throw new Error(`${resourceOf(kind).plural} "${name}" not found`);
    const inputs = this.defaulted(kind, applied, old);
    this.validateUpdate(kind, name, old, inputs);
    const labeled = this.withAppliedLabels(kind, namespace, name, inputs, manager);
    const stored = kind === "Service" ? { ...labeled, spec: { ...labeled.spec, clusterIP: old.spec.clusterIP } } : labeled;
    this.objects.set(`${kind}/${namespace}/${name}`, stored);
    if (kind === "PersistentVolumeClaim") {
      this.claims.set(`${namespace}/${name}`, { namespace, name, spec: stored.spec });
      return [];
    }
    if ((kind === "ConfigMap" || kind === "Secret") && json(old) !== json(inputs)) return [{ op: "rewrite-volumes", kind, namespace, name }];
    return this.reconcile(kind, namespace, name, stored);
  }

  /**
   * Deletes an object and what goes with it: a workload's pods (and a StatefulSet's claims when
   * its policy says so), a claim (refused while a pod uses it: kubernetes.io/pvc-protection keeps
   * it Terminating and Pulumi waits for it), or a namespace with everything in it. Deleting a
   * Patch resource deletes nothing: it gives back its fields (see patch).
   */
  remove(type: string, inputs: Fields, manager = DEFAULT_MANAGER): ClusterAction[] {
    if (isPatchType(type)) return this.patch(type, { metadata: { name: inputs.metadata?.name, namespace: inputs.metadata?.namespace } }, manager);
    const kind = objectKindOf(type);
    const { namespace, name } = this.identity(kind, inputs, false);
    if (!this.lookup(kind, namespace, name)) return [];
    if (kind === "Namespace") return this.removeNamespace(name);
    let actions: ClusterAction[] = [];
    if (kind === "PersistentVolumeClaim") {
      const user = [...this.pods.values()].find((pod) => pod.namespace === namespace && (pod.template.spec.volumes ?? []).some((volume: Fields) => volume.persistentVolumeClaim?.claimName === name));
      if (user) {
        throw new Error(`persistentvolumeclaims "${name}" is used by pod ${namespace}/${user.name}: kubernetes.io/pvc-protection keeps it Terminating until the pod is gone, and Pulumi waits for the deletion until it times out`);
      }
      actions = [{ op: "delete-claim", claim: this.claim(namespace, name)! }];
    } else if (kind === "Deployment" || kind === "StatefulSet") {
      actions = workloadDeletion(kind, namespace, name, this.lookup(kind, namespace, name)!.spec, this, [...this.claims.values()]);
    }
    this.objects.delete(`${kind}/${namespace}/${name}`);
    this.labelOwners.delete(`${kind}/${namespace}/${name}`);
    if (kind === "Service") actions.push({ op: "route-service", namespace, name });
    return this.track(actions);
  }

  /**
   * A Patch resource's server-side apply (its create, update, and, with no labels, its delete):
   * the object gets the patch's labels under the patch's field manager, the labels that manager
   * applied before and applies no more are taken away unless another manager holds them too, and
   * nothing else of the object changes. An object that does not exist is created by the apply
   * (as the API server does for an apply patch). The harness models label patches of namespaces
   * only: any other field, or kind, fails by name.
   */
  private patch(type: string, inputs: Fields, manager: string): ClusterAction[] {
    const kind = objectKindOf(type);
    if (kind !== "Namespace") throw new Error(`lifecycle: ${type} is not modelled (only NamespacePatch)`);
    // provider.go `Check` refuses Patch resources when the provider turns server-side apply off.
    if (this.provider.enableServerSideApply === false || this.provider.enableServerSideApply === "false") {
      throw new Error("patch resources require Server-Side Apply mode, which is enabled using the `enableServerSideApply` Provider config");
    }
    onlyFields(`${type} ${inputs.metadata?.name}`, inputs, ["apiVersion", "kind", "metadata"]);
    onlyFields(`${type} ${inputs.metadata?.name}.metadata`, inputs.metadata, ["name", "labels"]);
    const { namespace, name } = this.identity(kind, inputs);
    const existing = this.lookup(kind, namespace, name) ?? { metadata: { name } };
    const labels = this.applyLabels(`${kind}/${namespace}/${name}`, existing.metadata.labels, inputs.metadata.labels ?? {}, manager);
    this.objects.set(`${kind}/${namespace}/${name}`, { ...existing, metadata: { ...existing.metadata, labels } });
    return [];
  }

  /**
   * What the API server stores of `inputs`: a claim without a class gets the default class on
   * create, and keeps the class it has when an apply leaves the field out (the defaulted field
   * is not the applier's to remove).
   */
  private defaulted(kind: string, inputs: Fields, old?: Fields): Fields {
    if (kind !== "PersistentVolumeClaim" || inputs.spec?.storageClassName !== undefined) return inputs;
    return { ...inputs, spec: { ...inputs.spec, storageClassName: old ? old.spec.storageClassName : MODEL_DEFAULT_STORAGE_CLASS } };
  }

  /** Stores a new object under its manager and starts what its controller starts. */
  private store(kind: string, namespace: string, name: string, applied: Fields, manager: string): ClusterAction[] {
    const inputs = this.defaulted(kind, applied);
    const labeled = this.withAppliedLabels(kind, namespace, name, inputs, manager);
    // A Service gets a virtual IP unless it is headless (clusterIP None).
    const stored = kind === "Service" && labeled.spec.clusterIP !== "None" ? { ...labeled, spec: { ...labeled.spec, clusterIP: `10.96.0.${this.nextServiceIp++}` } } : labeled;
    this.objects.set(`${kind}/${namespace}/${name}`, stored);
    return this.reconcile(kind, namespace, name, stored);
  }

  /** The object as a server-side apply of `inputs` by `manager` leaves it: its labels merged with those other managers hold. */
  private withAppliedLabels(kind: string, namespace: string, name: string, inputs: Fields, manager: string): Fields {
    const current = this.lookup(kind, namespace, name)?.metadata?.labels;
    const labels = this.applyLabels(`${kind}/${namespace}/${name}`, current, inputs.metadata?.labels ?? {}, manager);
    return Object.keys(labels).length === 0 ? inputs : { ...inputs, metadata: { ...inputs.metadata, labels } };
  }

  /**
   * Applies `applied` as `manager`'s labels of an object whose labels are `current`: refused when
   * a label another manager holds has another value (no force); labels `manager` held before and
   * no longer applies are dropped unless another manager holds them too. Returns the labels.
   */
  private applyLabels(key: string, current: Readonly<Record<string, string>> | undefined, applied: Readonly<Record<string, string>>, manager: string): Record<string, string> {
    const owners = this.labelOwners.get(key) ?? new Map<string, Set<string>>();
    const conflicts = Object.entries(applied).flatMap(([label, value]) =>
      current?.[label] !== undefined && current[label] !== value ? [...(owners.get(label) ?? [])].filter((owner) => owner !== manager).map((owner) => ({ label, owner })) : [],
    );
    if (conflicts.length > 0) throw applyConflict(manager, conflicts);
    const labels: Record<string, string> = { ...current };
    for (const [label, holders] of owners) {
      if (!holders.has(manager) || label in applied) continue;
      holders.delete(manager);
      if (holders.size > 0) continue;
      owners.delete(label);
      delete labels[label];
    }
    for (const [label, value] of Object.entries(applied)) {
      labels[label] = value;
      owners.set(label, (owners.get(label) ?? new Set<string>()).add(manager));
    }
    this.labelOwners.set(key, owners);
    return labels;
  }

  /** An object's namespace and name; for a create or an update its namespace must exist. */
  private identity(kind: string, inputs: Fields, inExistingNamespace = true): { namespace: string; name: string } {
    const name: string = inputs.metadata?.name;
    if (!name) throw new Error(`kubelet: a ${kind} without metadata.name is not realized by the harness`);
    const namespace: string = kind === "Namespace" ? "" : (inputs.metadata.namespace ?? "");
    if (inExistingNamespace && kind !== "Namespace" && !this.lookup("Namespace", "", namespace)) throw new Error(`namespaces "${namespace}" not found`);
    return { namespace, name };
  }

  private validateUpdate(kind: string, name: string, old: Fields, next: Fields): void {
    if (kind === "PersistentVolumeClaim") {
      const { resources: oldResources, ...oldRest } = old.spec;
      const { resources: newResources, ...newRest } = next.spec;
      if (json(oldRest) !== json(newRest)) throw invalid(kind, name, "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
      if (quantityValue(newResources.requests.storage) < quantityValue(oldResources.requests.storage)) {
        throw invalid(kind, name, "spec.resources.requests.storage: Forbidden: field can not be less than previous value");
      }
    }
    if (kind === "StatefulSet") {
      const changed = [...new Set([...Object.keys(old.spec), ...Object.keys(next.spec)])].filter((field) => json(old.spec[field]) !== json(next.spec[field]));
      if (changed.some((field) => !STATEFULSET_MUTABLE.includes(field))) {
        throw invalid(kind, name, `spec: Forbidden: updates to statefulset spec for fields other than ${STATEFULSET_MUTABLE.map((field) => `'${field}'`).join(", ")} are forbidden`);
      }
    }
    if (kind === "Deployment" && json(old.spec.selector) !== json(next.spec.selector)) throw invalid(kind, name, "spec.selector: Invalid value: field is immutable");
    if (kind === "Secret" && json(old.type) !== json(next.type)) throw invalid(kind, name, "type: Invalid value: field is immutable");
    // An immutable Secret keeps its data and stays immutable (pkg/apis/core/validation ValidateSecretUpdate).
    if (kind === "Secret" && old.immutable === true) {
      if (next.immutable !== true) throw invalid(kind, name, "immutable: Forbidden: field is immutable when `immutable` is set");
      if (json(old.data) !== json(next.data) || json(old.stringData) !== json(next.stringData)) throw invalid(kind, name, "data: Forbidden: field is immutable when `immutable` is set");
    }
  }

  /** What the controllers do with an object as it now is. */
  private reconcile(kind: string, namespace: string, name: string, object: Fields): ClusterAction[] {
    switch (kind) {
      case "PersistentVolumeClaim": {
        const claim = { namespace, name, spec: object.spec };
        return this.track([{ op: "create-claim", claim }]);
      }
      case "Service":
        return [{ op: "route-service", namespace, name }];
      case "Deployment":
        return this.track(deploymentActions(namespace, name, object.spec, this));
      case "StatefulSet":
        return this.track(statefulSetActions(namespace, name, object.spec, this));
      default:
        resourceOf(kind);
        return [];
    }
  }

  private removeNamespace(name: string): ClusterAction[] {
    const actions: ClusterAction[] = [
      ...[...this.pods.values()].filter((pod) => pod.namespace === name).map((pod) => ({ op: "stop-pod" as const, pod })),
      ...[...this.claims.values()].filter((claim) => claim.namespace === name).map((claim) => ({ op: "delete-claim" as const, claim })),
    ];
    for (const key of [...this.objects.keys()]) {
      if (key.split("/")[1] !== name && key !== `Namespace//${name}`) continue;
      this.objects.delete(key);
      this.labelOwners.delete(key);
    }
    return this.track(actions);
  }

  /** Keeps the pods and claims in step with the actions, checking that a pod's volumes can be mounted when it starts. */
  private track(actions: ClusterAction[]): ClusterAction[] {
    for (const action of actions) {
      if (action.op === "create-claim") this.claims.set(`${action.claim.namespace}/${action.claim.name}`, action.claim);
      if (action.op === "delete-claim") this.claims.delete(`${action.claim.namespace}/${action.claim.name}`);
      if (action.op === "stop-pod") this.pods.delete(`${action.pod.namespace}/${action.pod.name}`);
      if (action.op === "start-pod") {
        this.checkVolumes(action.pod);
        this.pods.set(`${action.pod.namespace}/${action.pod.name}`, action.pod);
      }
    }
    return actions;
  }

  /** A pod whose ConfigMap, Secret or claim does not exist never starts (ContainerCreating, Pending): refused by name. */
  private checkVolumes(pod: ModelPod): void {
    for (const volume of pod.template.spec.volumes ?? []) {
      const missing =
        (volume.configMap && !this.lookup("ConfigMap", pod.namespace, volume.configMap.name) && `ConfigMap "${volume.configMap.name}"`) ||
        (volume.secret && !this.lookup("Secret", pod.namespace, volume.secret.secretName) && `Secret "${volume.secret.secretName}"`) ||
        (volume.persistentVolumeClaim && !this.claim(pod.namespace, volume.persistentVolumeClaim.claimName) && `claim "${volume.persistentVolumeClaim.claimName}"`);
      if (missing) throw new Error(`kubelet: pod ${pod.namespace}/${pod.name} cannot mount volume "${volume.name}": ${missing} does not exist (the pod would never start)`);
    }
  }
}

/** One action as a line of a log: `start pod ns/runner-0`, `delete claim ns/docker-data-runner-2`, `rewrite Secret ns/registry-config in its pods`. */
export function describeAction(action: ClusterAction): string {
  switch (action.op) {
    case "start-pod":
    case "stop-pod":
      return `${action.op.replace("-", " ")} ${action.pod.namespace}/${action.pod.name}`;
    case "create-claim":
    case "delete-claim":
      return `${action.op.replace("-", " ")} ${action.claim.namespace}/${action.claim.name}`;
    case "rewrite-volumes":
      return `rewrite ${action.kind} ${action.namespace}/${action.name} in its pods`;
    case "route-service":
      return `route Service ${action.namespace}/${action.name}`;
  }
}
