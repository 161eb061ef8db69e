import { parseFamiliarName } from "@swimlane/docker-reference";
import * as k8s from "@pulumi/kubernetes";
import { KubernetesSettings } from "../config/schema";
import { quantityValue } from "./quantity";

/** CPU, memory and ephemeral storage of one container, as Kubernetes quantities (e.g. `500m`, `1Gi`). */
export type ContainerResources = KubernetesSettings["resources"]["registry"];

/** Where the runners' DinD image comes from: a prebuilt reference, or built by the stack and pushed to a registry the nodes pull from. */
export type ClusterImageSource =
  | { kind: "prebuilt"; reference: string; registry: string; username?: string }
  | { kind: "pushed"; registry: string; repository: string; username?: string };

/** The key Docker Hub's credentials have in a Docker config.json, as `docker login` writes it and the kubelet reads it. */
export const DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/";

/** The DinD image source of validated settings (the config rules guarantee exactly one is complete). */
export function clusterImageSource(kubernetes: KubernetesSettings): ClusterImageSource {
  const image = kubernetes.dindImage;
  if (image?.reference) return { kind: "prebuilt", reference: image.reference, registry: parseFamiliarName(image.reference).domain ?? "docker.io", username: image.username };
  if (image?.registry && image.repository) return { kind: "pushed", registry: image.registry, repository: image.repository, username: image.username };
  throw new Error("kubernetes.dindImage names no image source (the config rules report this before anything is declared)");
}

/** Kubernetes' resource names of the config's quantity keys. */
const RESOURCE_NAMES: Readonly<Record<string, string>> = { cpu: "cpu", memory: "memory", ephemeralStorage: "ephemeral-storage" };

/** A container's resources as Kubernetes takes them: only the quantities that are set. */
export function resourceRequirements(resources: ContainerResources): k8s.types.input.core.v1.ResourceRequirements {
  const set = (quantities: Record<string, string | undefined>) => {
    const given = Object.entries(quantities).flatMap(([name, value]) => (value === undefined ? [] : [[RESOURCE_NAMES[name], value] as const]));
    return given.length > 0 ? Object.fromEntries(given) : undefined;
  };
  return { requests: set(resources.requests), limits: set(resources.limits) };
}

/** Ephemeral storage a DinD daemon needs besides its cache: its writable layer, logs and the daemon's own files. */
export const DAEMON_STORAGE_HEADROOM = "2Gi";

/**
 * The DinD daemon's resources, its ephemeral-storage limit filled in when the config leaves it
 * to the default: with the cache on an emptyDir, which counts as the pod's ephemeral storage,
 * the cache's size plus the headroom (so the emptyDir's sizeLimit, not the container's limit,
 * is what evicts a pod whose cache overflows); else the headroom.
 */
export function daemonResources(kubernetes: KubernetesSettings): ContainerResources {
  const resources = kubernetes.resources.daemon;
  if (resources.limits.ephemeralStorage !== undefined) return resources;
  const gibibytes = (quantity: string) => Math.ceil(quantityValue(quantity) / 2 ** 30);
  const limit = kubernetes.dindCache === "emptyDir" ? `${gibibytes(kubernetes.dataVolumeSize) + gibibytes(DAEMON_STORAGE_HEADROOM)}Gi` : DAEMON_STORAGE_HEADROOM;
  return { ...resources, limits: { ...resources.limits, ephemeralStorage: limit } };
}
