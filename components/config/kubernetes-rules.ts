import { quantityValue } from "../kubernetes/quantity";
import { namespaceNames } from "../kubernetes/labels";
import { CLUSTER_REGISTRY_USER, registryAuthByDefault } from "./cluster-defaults";
import { Problem, renderValue } from "./problem";
import { NAMESPACE, Settings } from "./schema";

// Cross-key rules of the Kubernetes target (target: kubernetes); each is a no-op on Docker.

const key = (path: string) => `${NAMESPACE}:${path}`;

/** Where the runners' image comes from must be said, and said once: the cluster cannot use this engine's images. */
export function checkClusterImage(settings: Settings, problems: Problem[]): void {
  if (settings.target !== "kubernetes") return;
  const image = settings.kubernetes.dindImage;
  const pushed = image?.registry !== undefined || image?.repository !== undefined;
  if (!image || (!image.reference && !pushed)) {
    problems.push({
      key: key("kubernetes.dindImage"),
      message:
        "missing; allowed: reference (a prebuilt image the nodes can pull) or registry and repository (the stack builds the image and pushes it there), " +
        "required with target kubernetes because a cluster cannot use an image built on this machine's engine",
    });
    return;
  }
  if (image.reference && pushed) {
    problems.push({ key: key("kubernetes.dindImage.reference"), message: `got ${renderValue(image.reference)} together with registry/repository; allowed: either a prebuilt reference or registry and repository` });
  }
  if (pushed && (!image.registry || !image.repository)) {
    const absent = image.registry ? "repository" : "registry";
    problems.push({ key: key(`kubernetes.dindImage.${absent}`), message: `missing; allowed: ${absent === "registry" ? "a registry host[:port]" : "an image repository"}, required together with kubernetes.dindImage.${absent === "registry" ? "repository" : "registry"}` });
  }
  if (image.username && !pushed) {
    problems.push({ key: key("kubernetes.dindImage.username"), message: `got ${renderValue(image.username)} without registry and repository; allowed: only for an image the stack pushes` });
  }
  if (image.username && settings.dindImagePassword === undefined) {
    problems.push({ key: key("dindImagePassword"), message: "missing; allowed: a secret of 8 to 72 bytes, required because dind-stack:kubernetes.dindImage.username is set" });
  }
  if (!image.username && settings.dindImagePassword !== undefined) {
    problems.push({ key: key("dindImagePassword"), message: "got a secret value (not shown) without dind-stack:kubernetes.dindImage.username; allowed: only together with a username" });
  }
}

/** Native sidecars need Kubernetes 1.29 (when the cluster's version is known). */
export function checkSidecar(settings: Settings, problems: Problem[]): void {
  const { sidecar, clusterVersion } = settings.kubernetes;
  if (settings.target !== "kubernetes" || sidecar !== "native" || clusterVersion === undefined) return;
  if (Number(clusterVersion.split(".")[1]) < 29) {
    problems.push({
      key: key("kubernetes.sidecar"),
      message: `got "native" with ${key("kubernetes.clusterVersion")} ${renderValue(clusterVersion)}; allowed: "classic" on clusters older than 1.29 (native sidecars, init containers with restartPolicy Always, need 1.29)`,
    });
  }
}

/**
 * Namespaces of Kubernetes itself: `default` holds whatever is created without a namespace, and
 * the `kube-` prefix is reserved for the cluster's own (kube-system, kube-public,
 * kube-node-lease; the Kubernetes documentation on namespaces asks not to create others).
 */
function isClusterNamespace(name: string): boolean {
  return name === "default" || name.startsWith("kube-");
}

/** The registry and the runners need namespaces of their own, with valid names, and never one of Kubernetes itself. */
export function checkNamespaces(settings: Settings, stack: string, problems: Problem[]): void {
  if (settings.target !== "kubernetes") return;
  const names = namespaceNames(stack, settings.kubernetes.namespaces);
  for (const role of ["registry", "runners"] as const) {
    if (names[role].length > 63) {
      problems.push({ key: key(`kubernetes.namespaces.${role}`), message: `missing, and the default ${renderValue(names[role])} is longer than 63 characters; allowed: a DNS label, required for this stack's name` });
    }
    if (isClusterNamespace(names[role])) {
      problems.push({
        key: key(`kubernetes.namespaces.${role}`),
        message:
          `got ${renderValue(names[role])}, a namespace of Kubernetes itself; allowed: any other DNS label, neither default nor starting with kube- ` +
          "(kube-system, kube-public and kube-node-lease belong to the cluster, default holds what is created without a namespace): " +
          `leave the key unset for the stack's own namespace, or name an existing one dedicated to the stack's ${role}`,
      });
    }
  }
  if (names.registry === names.runners) {
    problems.push({
      key: key("kubernetes.namespaces.runners"),
      message: `got ${renderValue(names.runners)}, the registry's namespace too; allowed: a namespace of its own (the registry's enforces Pod Security restricted, the runners' may need privileged)`,
    });
  }
}

/** DooD on a cluster: the nodes' Docker Engine pushes, so the registry's NetworkPolicy must admit the nodes; a RuntimeClass has nothing to sandbox. */
export function checkClusterDood(settings: Settings, problems: Problem[]): void {
  if (settings.target !== "kubernetes" || settings.mode !== "dood") return;
  if (settings.kubernetes.nodeCidrs.length === 0) {
    problems.push({
      key: key("kubernetes.nodeCidrs"),
      message: "missing; allowed: a list of CIDRs, required with mode dood because the nodes' Docker Engine pushes to the registry and its NetworkPolicy admits only the runner pods and these ranges",
    });
  }
  if (settings.kubernetes.runtimeClassName !== undefined) {
    problems.push({ key: key("kubernetes.runtimeClassName"), message: `got ${renderValue(settings.kubernetes.runtimeClassName)} with mode dood; allowed: only with mode dind (it lets the DinD daemon run unprivileged)` });
  }
}

/** A request above its limit is refused by the API server. */
export function checkResources(settings: Settings, problems: Problem[]): void {
  if (settings.target !== "kubernetes") return;
  for (const [role, resources] of Object.entries(settings.kubernetes.resources)) {
    for (const resource of ["cpu", "memory"] as const) {
      const request = resources.requests[resource];
      const limit = resources.limits[resource];
      if (request !== undefined && limit !== undefined && quantityValue(request) > quantityValue(limit)) {
        problems.push({
          key: key(`kubernetes.resources.${role}.requests.${resource}`),
          message: `got ${renderValue(request)}, above the limit ${renderValue(limit)}; allowed: at most the limit (the API server refuses the pod otherwise)`,
        });
      }
    }
  }
}

/**
 * On a cluster the registry needs a password unless the stack opts out of authentication: its
 * Service is reachable from every pod, and its NetworkPolicy keeps other pods out only where the
 * CNI enforces NetworkPolicy.
 */
export function checkClusterRegistryAuth(settings: Settings, stack: string, problems: Problem[]): void {
  if (!registryAuthByDefault(settings) || settings.registryPassword !== undefined) return;
  problems.push({
    key: key("registryPassword"),
    message:
      `missing; allowed: a secret of 8 to 72 bytes, required because with target kubernetes the registry requires authentication ` +
      `(user ${renderValue(CLUSTER_REGISTRY_USER)} unless ${key("registry.auth.username")} names another): ` +
      `set it with \`npm run pulumi -- config set --secret ${key("registryPassword")} "$(openssl rand -base64 32)" --stack ${stack}\`. ` +
      `Only for a registry without authentication, set ${key("registry.allowUnauthenticatedExposure")}: true instead: ` +
      "then its NetworkPolicy alone keeps other pods out, which needs a CNI that enforces NetworkPolicy " +
      "(the EKS VPC CNI does not by default, nor GKE Standard without Dataplane V2, nor flannel)",
  });
}
