import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ClusterModel, describeAction } from "../../../support/lifecycle/kubernetes-cluster";
import { withProviderName } from "../../../support/lifecycle/kubernetes-naming";
import { KUBERNETES_PROVIDER, objectKindOf } from "../../../support/lifecycle/kubernetes-rules";
import { ClusterAction, ModelClaim, ModelPod } from "../../../support/lifecycle/workload-controllers";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "../engine";
import { figures } from "../figures";
import { PrivilegeMode } from "../privileges";
import { Fields, onlyFields, onlyValues } from "./fields";
import { PodHost, refreshProjectedVolumes, runPod, RunningPod, stopPod } from "./pod";

/** Outcome of realizing one object: an id and its state (inputs plus what the API server adds). */
export interface Realized {
  /** Provider id (`namespace/name`). */
  id: string;
  /** Output state. */
  state: Record<string, any>;
}

/** Where ConfigMap and Secret volumes are written on this host (the kubelet's pod directories). */
const HOST_ROOT = path.join(os.tmpdir(), "dind-stack-kubelet");

/** The provider settings the harness acts on (the rest are the provider's own business or fail by name). */
const PROVIDER_FIELDS = ["context", "version", "enableConfigMapMutable", "enableSecretMutable", "upsertExistingObjects"];

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

const clusters = new Set<EngineCluster>();

/**
 * A one-node cluster on the Docker engine, as far as the stack's objects need one. What the
 * API server keeps and what its controllers decide (which pods start and stop, in which order,
 * which claims are made, kept or deleted) comes from the cluster model the unit tests use
 * (test/support/lifecycle/kubernetes-cluster.ts); this class acts it out the way a kubelet and
 * a one-node storage provisioner would: Pod Security admission, pods run and stopped on the
 * engine, a claim as a Docker volume that outlives its pods, ConfigMap and Secret files
 * rewritten in running pods when the object changes, and a Service name resolving (through the
 * cluster network's DNS) to the pods it selects. NetworkPolicies are kept but not enforced (a
 * CNI does that, not a kubelet); every other field nobody realizes fails by name.
 */
export class EngineCluster {
  /** The pods running now, in the order they started. */
  readonly pods: RunningPod[] = [];
  /** The pods stopped, in the order they stopped. */
  readonly stoppedPods: RunningPod[] = [];
  private readonly model = new ClusterModel();
  private readonly claimVolumes = new Map<string, string>();
  private readonly id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  private readonly prefix = `k8s-${this.id}`;
  private readonly labels = { [TEST_RUN_LABEL]: TEST_RUN_ID, "org.dind-stack.test-cluster": this.id };
  private network?: Promise<string>;
  private stopping = false;

  constructor(private readonly privilegeMode: () => Promise<PrivilegeMode>) {
    clusters.add(this);
    // Pod directories of runs that were aborted (older than two hours) go.
    for (const entry of fs.existsSync(HOST_ROOT) ? fs.readdirSync(HOST_ROOT) : []) {
      const dir = path.join(HOST_ROOT, entry);
      if (Date.now() - fs.statSync(dir).mtimeMs > 2 * 3600 * 1000) fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Creates one object the program declared (or the provider, whose settings decide what a create
   * of an existing object does); an unnamed one gets the provider's name. `name` is the
   * resource's, and its field manager's.
   */
  async realize(type: string, name: string, inputs: Fields): Promise<Realized> {
    if (type === KUBERNETES_PROVIDER) return this.configure(name, inputs);
    const object = withProviderName(name, inputs, undefined);
    this.checkFields(type, name, object);
    await this.act(this.model.create(type, object, name));
    return this.realized(type, object);
  }

  /** Applies new inputs to an existing object (`state`: what the last deployment left): pods roll or scale, files in running pods are rewritten. */
  async update(type: string, name: string, inputs: Fields, state: Fields): Promise<Realized> {
    if (type === KUBERNETES_PROVIDER) return this.configure(name, inputs);
    const object = withProviderName(name, inputs, state);
    this.checkFields(type, name, object);
    await this.act(this.model.update(type, object, name));
    return this.realized(type, object);
  }

  /** Deletes an object and what goes with it (a workload's pods, a namespace's contents, a claim's volume); a Patch gives back its fields. */
  async remove(type: string, name: string, inputs: Fields, state: Fields): Promise<void> {
    if (type !== KUBERNETES_PROVIDER) await this.act(this.model.remove(type, withProviderName(name, inputs, state), name));
  }

  /** The Docker volume standing for a volume claim, if it exists. */
  claimVolume(namespace: string, claim: string): string | undefined {
    return this.claimVolumes.get(`${namespace}/${claim}`);
  }

  /** Stops background probing and removes every Docker object and host directory of the cluster. */
  async stop(): Promise<void> {
    this.stopping = true;
    clusters.delete(this);
    const filters = { label: [`org.dind-stack.test-cluster=${this.id}`] };
    for (const info of await engine.listContainers({ all: true, filters })) await engine.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
    for (const info of (await engine.listVolumes({ filters })).Volumes ?? []) await engine.getVolume(info.Name).remove({ force: true }).catch(() => undefined);
    for (const info of await engine.listNetworks({ filters })) await engine.getNetwork(info.Id).remove().catch(() => undefined);
    fs.rmSync(path.join(HOST_ROOT, this.id), { recursive: true, force: true });
  }

  private configure(name: string, inputs: Fields): Realized {
    onlyFields(`provider ${name}`, inputs, PROVIDER_FIELDS);
    this.model.configure(inputs);
    return { id: name, state: inputs };
  }

  private checkFields(type: string, name: string, inputs: Fields): void {
    const kind = objectKindOf(type);
    onlyFields(`${kind} ${name}`, inputs, ["apiVersion", "kind", "metadata", "spec", "data", "stringData", "type", "immutable"]);
    onlyFields(`${kind} ${name}.metadata`, inputs.metadata, ["name", "namespace", "labels", "annotations"]);
    if (kind === "Service") {
      onlyFields(`Service ${name}.spec`, inputs.spec, ["type", "selector", "ports", "clusterIP"]);
      if ((inputs.spec.type ?? "ClusterIP") !== "ClusterIP") throw new Error(`kubelet: Service ${name}: type ${inputs.spec.type} is not realized`);
      onlyValues(`Service ${name}.spec.clusterIP`, inputs.spec.clusterIP, ["None"], "a headless Service; the harness has no virtual IPs to choose from");
    }
    if (kind === "NetworkPolicy") process.stderr.write(`[kubelet] NetworkPolicy ${inputs.metadata.namespace}/${inputs.metadata.name} kept, not enforced: a CNI enforces policies, not the kubelet\n`);
    if (kind === "PodDisruptionBudget") process.stderr.write(`[kubelet] PodDisruptionBudget ${inputs.metadata.namespace}/${inputs.metadata.name} kept: it limits evictions (node drains), which the harness never makes\n`);
  }

  /** The object's state as the API server answers: what it keeps (of a patched object, all of it), a Service's address, a workload's ready pods. */
  private realized(type: string, inputs: Fields): Realized {
    const kind = objectKindOf(type);
    const namespace: string = kind === "Namespace" ? "" : inputs.metadata.namespace;
    const name: string = inputs.metadata.name;
    const state: Fields = { ...this.model.lookup(kind, namespace, name)! };
    if (kind === "Service" && inputs.spec.clusterIP !== "None") {
      // No virtual IP: the Service's "cluster IP" is its first pod's address.
      const selected = this.pods.filter((pod) => pod.namespace === namespace && matches(inputs.spec.selector ?? {}, pod.labels));
      state.spec = { ...state.spec, clusterIP: selected[0]?.ip ?? "" };
    }
    if (kind === "Deployment" || kind === "StatefulSet") {
      const ready = this.model.podsOf(namespace, `${kind}/${name}`).length;
      state.status = { replicas: ready, readyReplicas: ready };
    }
    return { id: namespace ? `${namespace}/${name}` : name, state };
  }

  /** Acts out what the model decided, in order, as kubelets and the provisioner would. */
  private async act(actions: ClusterAction[]): Promise<void> {
    for (const action of actions) {
      process.stderr.write(`[kubelet] ${describeAction(action)}\n`);
      switch (action.op) {
        case "create-claim":
          await this.createClaim(action.claim);
          break;
        case "delete-claim":
          await engine.getVolume(this.claimVolume(action.claim.namespace, action.claim.name)!).remove();
          this.claimVolumes.delete(`${action.claim.namespace}/${action.claim.name}`);
          break;
        case "start-pod":
          await this.startPod(action.pod);
          break;
        case "stop-pod":
          await this.stopPod(action.pod);
          break;
        case "rewrite-volumes":
          for (const pod of this.pods.filter((running) => running.namespace === action.namespace)) refreshProjectedVolumes(this.host(), pod, action.kind, action.name);
          break;
        case "route-service":
          await this.routeServices(action.namespace);
          break;
      }
    }
  }

  /** A claim as a Docker volume, as a one-node provisioner like local-path makes it: any storage class, the size not enforced. */
  private async createClaim(claim: ModelClaim): Promise<void> {
    onlyFields(`PersistentVolumeClaim ${claim.namespace}/${claim.name}.spec`, claim.spec, ["accessModes", "storageClassName", "resources"]);
    const volume = `${this.prefix}-pvc-${claim.namespace}-${claim.name}`;
    await engine.createVolume({ Name: volume, Labels: this.labels });
    this.claimVolumes.set(`${claim.namespace}/${claim.name}`, volume);
  }

  /** What a pod needs from this cluster. */
  private host(): PodHost {
    return {
      network: this.prefix,
      prefix: this.prefix,
      hostRoot: path.join(HOST_ROOT, this.id),
      labels: this.labels,
      serviceNames: (ns, labels) => this.aliasesOf(ns, labels),
      lookup: (kind, ns, objectName) => this.model.lookup(kind, ns, objectName),
      claimVolume: (ns, claim) => this.claimVolume(ns, claim),
      privilegeMode: this.privilegeMode,
      stopped: () => this.stopping,
    };
  }

  /** Runs a pod and waits until it is Ready (as Pulumi awaits a rollout). */
  private async startPod(plan: ModelPod): Promise<void> {
    await this.clusterNetwork();
    const pod = await runPod(this.host(), plan.namespace, plan.name, plan.template);
    this.pods.push(pod);
    figures.record(`k8s: pod ${plan.namespace}/${pod.name} ready after`, (pod.times.ready - pod.times.created) / 1000, "s");
  }

  private async stopPod(plan: ModelPod): Promise<void> {
    const index = this.pods.findIndex((pod) => pod.namespace === plan.namespace && pod.name === plan.name);
    if (index < 0) throw new Error(`kubelet: pod ${plan.namespace}/${plan.name} is not running`);
    const [pod] = this.pods.splice(index, 1);
    const seconds = await stopPod(this.host(), pod);
    this.stoppedPods.push(pod);
    figures.record(`k8s: pod ${plan.namespace}/${plan.name} stopped after`, seconds, "s");
  }

  /** The cluster network, made on first use with a subnet of its own (so pods keep their IP when they are reconnected). */
  private clusterNetwork(): Promise<string> {
    this.network ??= (async () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.0/24`;
        try {
          await engine.createNetwork({ Name: this.prefix, Driver: "bridge", Labels: this.labels, IPAM: { Config: [{ Subnet: subnet }] } });
          return this.prefix;
        } catch (error) {
          if (!/overlap/i.test(String(error))) throw error;
        }
      }
      throw new Error("kubelet: no free /24 for the cluster network");
    })();
    return this.network;
  }

  /** DNS names of a Service, which resolve from every pod of the cluster network. */
  private static serviceNames(namespace: string, service: string): string[] {
    return [`${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
  }

  private aliasesOf(namespace: string, labels: Record<string, string>): string[] {
    return this.model
      .objectsOf("Service", namespace)
      .filter((service) => service.spec?.selector && matches(service.spec.selector, labels))
      .flatMap((service) => EngineCluster.serviceNames(namespace, service.metadata.name));
  }

  /** Gives the namespace's running pods the names of the Services that now select them, reconnecting their sandboxes with the same IP. */
  private async routeServices(namespace: string): Promise<void> {
    const network = await this.clusterNetwork();
    for (const pod of this.pods.filter((running) => running.namespace === namespace)) {
      const aliases = this.aliasesOf(namespace, pod.labels);
      if (JSON.stringify(aliases) === JSON.stringify(pod.aliases)) continue;
      await engine.getNetwork(network).disconnect({ Container: pod.sandbox, Force: true });
      await engine.getNetwork(network).connect({ Container: pod.sandbox, EndpointConfig: { Aliases: aliases, IPAMConfig: { IPv4Address: pod.ip } } });
      pod.aliases = aliases;
    }
  }
}

/** Every pod of the clusters still running, in the order they started. */
export function runningPods(): RunningPod[] {
  return [...clusters].flatMap((cluster) => cluster.pods);
}

/** Every pod the clusters still running have stopped, in the order they stopped. */
export function stoppedPods(): RunningPod[] {
  return [...clusters].flatMap((cluster) => cluster.stoppedPods);
}

/** Stops every cluster still running (background probes end, Docker objects go). */
export async function stopClusters(): Promise<void> {
  await Promise.all([...clusters].map((cluster) => cluster.stop()));
}
