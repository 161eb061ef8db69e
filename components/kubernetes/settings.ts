/** CPU and memory of one container, as Kubernetes quantities (e.g. `500m`, `1Gi`). */
export interface ContainerResources {
  /** What the scheduler reserves. */
  requests: { cpu?: string; memory?: string };
  /** What the container may use at most. */
  limits: { cpu?: string; memory?: string };
}

/** A prebuilt DinD image the cluster can pull. */
export interface PrebuiltClusterImage {
  /** Image reference, pinned by tag or digest. */
  reference: string;
}

/** The DinD image built by the stack and pushed to a registry the cluster pulls from. */
export interface PushedClusterImage {
  /** Registry host[:port] the stack pushes to and the nodes pull from. */
  registry: string;
  /** Repository inside that registry, without tag. */
  repository: string;
  /** User for push and pull; its password is the secret dind-stack:dindImagePassword. */
  username?: string;
}

/** Settings of the Kubernetes target (`dind-stack:kubernetes`), every default applied. */
export interface KubernetesSettings {
  /** kubeconfig context; the current one when absent. */
  context?: string;
  /** The cluster's Kubernetes version (major.minor), when known; used to check version-dependent choices. */
  clusterVersion?: string;
  /** Namespaces of the registry and of the runners; derived from the stack when absent. */
  namespaces: { registry?: string; runners?: string };
  /** Storage class of every volume claim; the cluster's default when absent. */
  storageClassName?: string;
  /** Size of the registry's volume claim. */
  registryStorageSize: string;
  /** native: the DinD daemon is an init container with restartPolicy Always (Kubernetes >= 1.29); classic: a second regular container. */
  sidecar: "native" | "classic";
  /** RuntimeClass of the runner pods (e.g. sysbox-runc), which lets the daemon run unprivileged. */
  runtimeClassName?: string;
  /** Where /var/lib/docker of each DinD daemon lives: an emptyDir, or a volume claim per pod (StatefulSet). */
  dindCache: "emptyDir" | "volumeClaim";
  /** Size of each DinD cache volume claim. */
  dataVolumeSize: string;
  /** Where the runners' DinD image comes from; required on this target. */
  dindImage?: PrebuiltClusterImage | PushedClusterImage;
  /** Node address ranges the registry admits besides the runner pods (DooD pushes come from the nodes' Docker Engine). */
  nodeCidrs: string[];
  /** Resources of the registry, the DinD daemons and the runners' job containers. */
  resources: { registry: ContainerResources; daemon: ContainerResources; runner: ContainerResources };
}

/** True when the image is built by the stack and pushed (rather than a prebuilt reference). */
export function isPushedImage(image: PrebuiltClusterImage | PushedClusterImage): image is PushedClusterImage {
  return "registry" in image;
}
