import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "../engine";
import { figures } from "../figures";
import { PrivilegeMode } from "../privileges";
import { Fields, onlyFields } from "./fields";
import { runPod, RunningPod } from "./pod";
import { PodPlan, deploymentPods, statefulSetPods } from "./workloads";

/** Outcome of realizing one object: an id and its state (inputs plus what the API server adds). */
export interface Realized {
  /** Provider id (`namespace/name`). */
  id: string;
  /** Output state. */
  state: Record<string, any>;
}

/** Where ConfigMap and Secret volumes are written on this host (the kubelet's pod directories). */
const HOST_ROOT = path.join(os.tmpdir(), "dind-stack-kubelet");

/** The kind of a @pulumi/kubernetes type token, e.g. `kubernetes:apps/v1:Deployment` → Deployment. */
function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

const clusters = new Set<EngineCluster>();

/**
 * A one-node cluster on the Docker engine, as far as the stack's objects need one: objects are
 * kept as the API server would keep them, Pod Security admission is applied, workloads become
 * pods run the way a kubelet runs them, and a Service name resolves (through the cluster
 * network's DNS) to the pods it selects. NetworkPolicies are kept but not enforced (a CNI does
 * that, not a kubelet); every other field nobody realizes fails by name.
 */
export class EngineCluster {
  /** Every pod started, in order. */
  readonly pods: RunningPod[] = [];
  private readonly objects = new Map<string, Fields>();
  private readonly claims = new Map<string, string>();
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

  /** Realizes one object the program declared. */
  async realize(type: string, name: string, inputs: Fields): Promise<Realized> {
    if (type === "pulumi:providers:kubernetes") {
      onlyFields(`provider ${name}`, inputs, ["context", "version"]);
      return { id: name, state: inputs };
    }
    const kind = kindOf(type);
    onlyFields(`${kind} ${name}`, inputs, ["apiVersion", "kind", "metadata", "spec", "data", "stringData", "type"]);
    onlyFields(`${kind} ${name}.metadata`, inputs.metadata, ["name", "namespace", "labels", "annotations"]);
    const namespace: string = inputs.metadata?.namespace ?? "";
    const objectName: string = inputs.metadata.name;
    if (kind !== "Namespace" && !this.objects.has(`Namespace//${namespace}`)) throw new Error(`kubelet: ${kind} ${objectName}: namespaces "${namespace}" not found`);
    this.objects.set(`${kind}/${namespace}/${objectName}`, inputs);
    const state: Fields = { ...inputs };
    switch (kind) {
      case "Namespace":
      case "ConfigMap":
      case "Secret":
        break;
      case "NetworkPolicy":
        process.stderr.write(`[kubelet] NetworkPolicy ${namespace}/${objectName} kept, not enforced: a CNI enforces policies, not the kubelet\n`);
        break;
      case "PersistentVolumeClaim":
        await this.createClaim(namespace, objectName, inputs.spec);
        break;
      case "Service":
        state.spec = { ...inputs.spec, clusterIP: await this.exposeService(namespace, objectName, inputs.spec) };
        break;
      case "Deployment":
        state.status = await this.runWorkload(namespace, deploymentPods(objectName, inputs.spec));
        break;
      case "StatefulSet":
        state.status = await this.runWorkload(namespace, statefulSetPods(objectName, inputs.spec));
        break;
      default:
        throw new Error(`kubelet: kind ${kind} (${type} ${name}) is not realized by the harness`);
    }
    return { id: namespace ? `${namespace}/${objectName}` : objectName, state };
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

  private async createClaim(namespace: string, name: string, spec: Fields): Promise<void> {
    onlyFields(`PersistentVolumeClaim ${namespace}/${name}.spec`, spec, ["accessModes", "storageClassName", "resources"]);
    // A one-node provisioner like local-path: any storage class, the size not enforced.
    const volume = `${this.prefix}-pvc-${namespace}-${name}`;
    await engine.createVolume({ Name: volume, Labels: this.labels });
    this.claims.set(`${namespace}/${name}`, volume);
  }

  /** DNS names of a Service, which resolve from every pod of the cluster network. */
  private static serviceNames(namespace: string, service: string): string[] {
    return [`${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
  }

  /** Makes a Service's names resolve to the pods it selects (pods started later get them at their start); its "cluster IP" is the first pod's. */
  private async exposeService(namespace: string, name: string, spec: Fields): Promise<string> {
    onlyFields(`Service ${namespace}/${name}.spec`, spec, ["type", "selector", "ports"]);
    if ((spec.type ?? "ClusterIP") !== "ClusterIP") throw new Error(`kubelet: Service ${namespace}/${name}: type ${spec.type} is not realized`);
    const network = await this.clusterNetwork();
    const selected = this.pods.filter((pod) => pod.namespace === namespace && matches(spec.selector ?? {}, pod.labels));
    for (const pod of selected) {
      // A running pod gets the new names by reconnecting its sandbox with the same IP.
      const aliases = this.aliasesOf(namespace, pod.labels);
      await engine.getNetwork(network).disconnect({ Container: pod.sandbox, Force: true });
      await engine.getNetwork(network).connect({ Container: pod.sandbox, EndpointConfig: { Aliases: aliases, IPAMConfig: { IPv4Address: pod.ip } } });
    }
    return selected[0]?.ip ?? "";
  }

  private aliasesOf(namespace: string, labels: Record<string, string>): string[] {
    return [...this.objects.entries()]
      .filter(([key, service]) => key.startsWith(`Service/${namespace}/`) && matches(service.spec?.selector ?? {}, labels))
      .flatMap(([, service]) => EngineCluster.serviceNames(namespace, service.metadata.name));
  }

  /** Runs a workload's pods one after the other and waits until each is Ready (as Pulumi awaits a rollout); returns the workload's status. */
  private async runWorkload(namespace: string, plans: PodPlan[]): Promise<Fields> {
    const network = await this.clusterNetwork();
    for (const plan of plans) {
      for (const claim of plan.claims) if (!this.claims.has(`${namespace}/${claim.name}`)) await this.createClaim(namespace, claim.name, claim.spec);
      const pod = await runPod(
        {
          network,
          prefix: this.prefix,
          hostRoot: path.join(HOST_ROOT, this.id),
          labels: this.labels,
          serviceNames: (ns, labels) => this.aliasesOf(ns, labels),
          lookup: (kind, ns, objectName) => this.objects.get(`${kind}/${ns}/${objectName}`),
          claimVolume: (ns, claim) => this.claims.get(`${ns}/${claim}`),
          privilegeMode: this.privilegeMode,
          stopped: () => this.stopping,
        },
        namespace,
        plan.name,
        plan.template,
      );
      this.pods.push(pod);
      figures.record(`k8s: pod ${namespace}/${pod.name} ready after`, (pod.times.ready - pod.times.created) / 1000, "s");
    }
    return { replicas: plans.length, readyReplicas: plans.length };
  }
}

/** Every pod of the clusters still running, in the order they started. */
export function runningPods(): RunningPod[] {
  return [...clusters].flatMap((cluster) => cluster.pods);
}

/** Stops every cluster still running (background probes end, Docker objects go). */
export async function stopClusters(): Promise<void> {
  await Promise.all([...clusters].map((cluster) => cluster.stop()));
}
