import { RecordedResource } from "../run-program";
import { ResourceOps } from "./deployment";
import { ClusterModel, describeAction } from "./kubernetes-cluster";
import { withProviderName } from "./kubernetes-naming";
import { isKubernetesType, KUBERNETES_PROVIDER, objectKindOf } from "./kubernetes-rules";
import { recordingOps } from "./recording-ops";
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
 * The recording provider (recordingOps: the docker provider as the mocks answer, a rebuilt
 * Image with a new digest), with the Kubernetes objects applied to a cluster model, which
 * starts and stops pods, makes and deletes claims, and refuses what the API server refuses.
 * Objects the program leaves unnamed get the provider's names (kubernetes-naming.ts); each
 * resource writes under a field manager of its own, named after it.
 */
export function clusterRecordingOps(): ClusterRecordingOps {
  const docker = recordingOps();
  const cluster = new ClusterModel();
  const actions: string[] = [];
  const applied = (type: string, object: Record<string, any>, done: ClusterAction[]) => {
    actions.push(...done.map(describeAction));
    const { metadata } = object;
    const kind = objectKindOf(type);
    return { id: metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name, state: cluster.lookup(kind, kind === "Namespace" ? "" : metadata.namespace, metadata.name)! };
  };
  const onCluster = (resource: RecordedResource, previousState: Record<string, any> | undefined) => {
    docker.calls.push(`${previousState ? "update" : "create"} ${resource.name}`);
    if (resource.type === KUBERNETES_PROVIDER) {
      cluster.configure(resource.inputs);
      return { id: resource.name, state: resource.inputs };
    }
    const object = withProviderName(resource.name, resource.inputs, previousState);
    return applied(resource.type, object, previousState ? cluster.update(resource.type, object, resource.name) : cluster.create(resource.type, object, resource.name));
  };
  return {
    calls: docker.calls,
    actions,
    cluster,
    create: async (resource) => (isKubernetesType(resource.type) ? onCluster(resource, undefined) : docker.create(resource)),
    update: async (previous, resource, diff) => (isKubernetesType(resource.type) ? onCluster(resource, previous.outputs) : docker.update(previous, resource, diff)),
    async remove(entry) {
      await docker.remove(entry);
      if (entry.type.startsWith("kubernetes:")) actions.push(...cluster.remove(entry.type, withProviderName(entry.name, entry.inputs, entry.outputs), entry.name).map(describeAction));
    },
    actsOnPreview: () => false,
  };
}
