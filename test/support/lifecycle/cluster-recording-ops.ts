import { fakeRealize, RecordedResource } from "../run-program";
import { ResourceOps } from "./deployment";
import { ClusterModel, describeAction } from "./kubernetes-cluster";
import { isKubernetesType, KUBERNETES_PROVIDER, kindOf } from "./kubernetes-rules";
import { ClusterAction } from "./workload-controllers";

/** A provider under mocks for a stack on Kubernetes: it records its calls, and what the cluster does with them. */
export interface ClusterRecordingOps extends ResourceOps {
  /** The provider's calls, as `create <name>`, `update <name>`, `remove <name>`. */
  calls: string[];
  /** What the cluster did, one line per action (describeAction). */
  actions: string[];
  /** The cluster. */
  cluster: ClusterModel;
}

/**
 * The docker provider as the mocks answer (a rebuilt Image gets a new digest), and the
 * Kubernetes objects applied to a cluster model, which starts and stops pods, makes and deletes
 * claims, and refuses what the API server refuses.
 */
export function clusterRecordingOps(): ClusterRecordingOps {
  const cluster = new ClusterModel();
  const calls: string[] = [];
  const actions: string[] = [];
  let builds = 0;
  const applied = (resource: { type: string; inputs: Record<string, any> }, done: ClusterAction[]) => {
    actions.push(...done.map(describeAction));
    const { metadata } = resource.inputs;
    const stored = cluster.lookup(kindOf(resource.type), kindOf(resource.type) === "Namespace" ? "" : metadata.namespace, metadata.name);
    return { id: metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name, state: stored ?? resource.inputs };
  };
  const kubernetes = (resource: RecordedResource, create: boolean) => {
    if (resource.type === KUBERNETES_PROVIDER) {
      cluster.configure(resource.inputs);
      return { id: resource.name, state: resource.inputs };
    }
    return applied(resource, create ? cluster.create(resource.type, resource.inputs) : cluster.update(resource.type, resource.inputs));
  };
  return {
    calls,
    actions,
    cluster,
    async create(resource) {
      calls.push(`create ${resource.name}`);
      return isKubernetesType(resource.type) ? kubernetes(resource, true) : fakeRealize(resource);
    },
    async update(previous, resource) {
      calls.push(`update ${resource.name}`);
      if (isKubernetesType(resource.type)) return kubernetes(resource, false);
      if (resource.type !== "docker:index/image:Image") return { id: previous.id, state: resource.inputs };
      const digest = `sha256:${String(++builds).padStart(64, "0")}`;
      return { id: digest, state: { ...resource.inputs, repoDigest: digest } };
    },
    async remove(entry) {
      calls.push(`remove ${entry.name}`);
      if (entry.type.startsWith("kubernetes:")) actions.push(...cluster.remove(entry.type, entry.inputs).map(describeAction));
    },
    actsOnPreview: () => false,
  };
}
