import { parseFamiliarName } from "@swimlane/docker-reference";
import { namespaceNames } from "../kubernetes/labels";
import { Problem, renderValue } from "./problem";
import { NAMESPACE, Settings } from "./schema";

// On a cluster the kubelet pulls every image of a pod through the node's container runtime, with
// the node's own DNS resolver and over HTTPS. An image on a host only pods can resolve (a
// Service name), or on the stack's own registry (plain HTTP, a Service), renders fine and ends in
// ImagePullBackOff; these rules refuse such references before anything is declared.

const key = (path: string) => `${NAMESPACE}:${path}`;

/** The registry host of an image reference as Docker reads it (`docker.io` for Hub names), without port. */
function registryHostOf(reference: string): string {
  return (parseFamiliarName(reference).domain ?? "docker.io").replace(/:\d+$/, "");
}

/** Why the nodes cannot pull from `host`, or undefined when they may. */
function unpullableReason(host: string, settings: Settings, stack: string): string | undefined {
  const { clusterDomain } = settings.kubernetes;
  const alias = settings.registry.alias;
  const registryNamespace = namespaceNames(stack, settings.kubernetes.namespaces).registry;
  const ownNames = [alias, `${alias}.${registryNamespace}`, `${alias}.${registryNamespace}.svc`, `${alias}.${registryNamespace}.svc.${clusterDomain}`];
  if (ownNames.includes(host)) {
    return "the stack's own registry is a Service (the nodes do not resolve its name) and serves plain HTTP (the nodes' container runtime pulls over HTTPS)";
  }
  if (host.endsWith(".svc") || host.includes(".svc.") || host.endsWith(`.${clusterDomain}`)) {
    return "it is a Service name, which only pods resolve: the kubelet pulls with the node's own DNS";
  }
  return undefined;
}

/** Every image reference a node pulls, with its key. */
function pulledReferences(settings: Settings): { path: string; reference: string }[] {
  const found: { path: string; reference: string }[] = [{ path: "registry.image", reference: settings.registry.image }];
  const image = settings.kubernetes.dindImage;
  if (image?.reference) found.push({ path: "kubernetes.dindImage.reference", reference: image.reference });
  if (image?.registry) found.push({ path: "kubernetes.dindImage.registry", reference: `${image.registry}/${image.repository ?? "dind"}` });
  settings.workloads.clients.forEach((client, index) => {
    if (client.image) found.push({ path: `workloads.clients[${index}].image`, reference: client.image });
  });
  return found;
}

/** Images the nodes must pull are never on a Service host or the stack's own registry. */
export function checkNodePullable(settings: Settings, stack: string, problems: Problem[]): void {
  if (settings.target !== "kubernetes") return;
  for (const { path, reference } of pulledReferences(settings)) {
    const given = path === "kubernetes.dindImage.registry" ? settings.kubernetes.dindImage!.registry : reference;
    const reason = unpullableReason(registryHostOf(reference), settings, stack);
    if (!reason) continue;
    problems.push({
      key: key(path),
      message: `got ${renderValue(given)}, which the nodes cannot pull: ${reason}; allowed: an image on a registry the nodes reach by their own DNS over HTTPS (or one their container runtime is configured to trust)`,
    });
  }
}
