import * as k8s from "@pulumi/kubernetes";
import { KubernetesSettings } from "../config/schema";

/** CPU and memory of one container, as Kubernetes quantities (e.g. `500m`, `1Gi`). */
export type ContainerResources = KubernetesSettings["resources"]["registry"];

/** Where the runners' DinD image comes from: a prebuilt reference, or built by the stack and pushed to a registry the nodes pull from. */
export type ClusterImageSource =
  | { kind: "prebuilt"; reference: string }
  | { kind: "pushed"; registry: string; repository: string; username?: string };

/** The DinD image source of validated settings (the config rules guarantee exactly one is complete). */
export function clusterImageSource(kubernetes: KubernetesSettings): ClusterImageSource {
  const image = kubernetes.dindImage;
  if (image?.reference) return { kind: "prebuilt", reference: image.reference };
  if (image?.registry && image.repository) return { kind: "pushed", registry: image.registry, repository: image.repository, username: image.username };
  throw new Error("kubernetes.dindImage names no image source (the config rules report this before anything is declared)");
}

/** A container's resources as Kubernetes takes them: only the quantities that are set. */
export function resourceRequirements(resources: ContainerResources): k8s.types.input.core.v1.ResourceRequirements {
  const set = (quantities: { cpu?: string; memory?: string }) => {
    const given = Object.entries(quantities).filter((entry): entry is [string, string] => entry[1] !== undefined);
    return given.length > 0 ? Object.fromEntries(given) : undefined;
  };
  return { requests: set(resources.requests), limits: set(resources.limits) };
}
