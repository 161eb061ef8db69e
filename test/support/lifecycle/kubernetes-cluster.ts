import { quantityValue } from "../../../components/kubernetes/quantity";
import { Fields } from "../../engine/support/kubelet/fields";
import { kindOf, providerFlag } from "./kubernetes-rules";
import { ClusterAction, ControllerView, deploymentActions, ModelClaim, ModelPod, statefulSetActions, workloadDeletion } from "./workload-controllers";

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
};

/** The StatefulSet spec fields the API server lets an update change. */
const STATEFULSET_MUTABLE = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

const json = (value: unknown) => JSON.stringify(value ?? null);

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
 * A cluster as far as this project's objects need one, without running anything: what the API
 * server keeps (objects by kind, namespace and name; a create of an existing object refused
 * unless the provider upserts; the immutable parts of claims, workloads and Secrets), and what
 * the controllers and kubelets make of it, as ordered actions (pods started and stopped, claims
 * created and deleted, projected ConfigMap and Secret files rewritten, Service names routed).
 * Deleting a namespace deletes everything in it; a claim in use by a pod cannot be deleted.
 * The unit tests record the actions; the engine's kubelet realizer acts them out.
 */
export class ClusterModel implements ControllerView {
  /** Volume claims by `namespace/name`. */
  readonly claims = new Map<string, ModelClaim>();
  /** Running pods by `namespace/name`, in the order they started. */
  readonly pods = new Map<string, ModelPod>();
  private readonly objects = new Map<string, Fields>();
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
   * a server-side apply adopts it, which is an update).
   */
  create(type: string, inputs: Fields): ClusterAction[] {
    const kind = kindOf(type);
    const { namespace, name } = this.identity(kind, inputs);
    const existing = this.lookup(kind, namespace, name);
    if (existing) {
      if (!providerFlag(this.provider, "upsertExistingObjects")) {
        throw new Error(`${resourceOf(kind).plural} "${name}" already exists (pulumi-kubernetes creates objects with a client-side create unless the provider sets upsertExistingObjects)`);
      }
      return this.update(type, inputs);
    }
    const stored = kind === "Service" ? { ...inputs, spec: { ...inputs.spec, clusterIP: `10.96.0.${this.nextServiceIp++}` } } : inputs;
    this.objects.set(`${kind}/${namespace}/${name}`, stored);
    return this.reconcile(kind, namespace, name, stored);
  }

  /** Applies new inputs to an existing object, as the API server's validation allows, and what follows from them. */
  update(type: string, inputs: Fields): ClusterAction[] {
    const kind = kindOf(type);
    const { namespace, name } = this.identity(kind, inputs);
    const old = this.lookup(kind, namespace, name);
    if (!old) throw new Error(`${resourceOf(kind).plural} "${name}" not found`);
    this.validateUpdate(kind, name, old, inputs);
    const stored = kind === "Service" ? { ...inputs, spec: { ...inputs.spec, clusterIP: old.spec.clusterIP } } : inputs;
    this.objects.set(`${kind}/${namespace}/${name}`, stored);
    if (kind === "PersistentVolumeClaim") {
      this.claims.set(`${namespace}/${name}`, { namespace, name, spec: inputs.spec });
      return [];
    }
    if ((kind === "ConfigMap" || kind === "Secret") && json(old) !== json(inputs)) return [{ op: "rewrite-volumes", kind, namespace, name }];
    return this.reconcile(kind, namespace, name, stored);
  }

  /**
   * Deletes an object and what goes with it: a workload's pods (and a StatefulSet's claims when
   * its policy says so), a claim (refused while a pod uses it: kubernetes.io/pvc-protection keeps
   * it Terminating and Pulumi waits for it), or a namespace with everything in it.
   */
  remove(type: string, inputs: Fields): ClusterAction[] {
    const kind = kindOf(type);
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
    if (kind === "Service") actions.push({ op: "route-service", namespace, name });
    return this.track(actions);
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
    for (const key of [...this.objects.keys()]) if (key.split("/")[1] === name || key === `Namespace//${name}`) this.objects.delete(key);
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
