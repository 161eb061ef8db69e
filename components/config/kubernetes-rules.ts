import { quantityValue } from "../kubernetes/quantity";
import { daemonResources } from "../kubernetes/settings";
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
  if (image.username && settings.dindImagePassword === undefined) {
    problems.push({ key: key("dindImagePassword"), message: "missing; allowed: a secret of 8 to 72 bytes, required because dind-stack:kubernetes.dindImage.username is set" });
  }
  if (!image.username && settings.dindImagePassword !== undefined) {
    problems.push({ key: key("dindImagePassword"), message: "got a secret value (not shown) without dind-stack:kubernetes.dindImage.username; allowed: only together with a username" });
  }
}

/** Native sidecars and ReadWriteOncePod claims need Kubernetes 1.29 (when the cluster's version is known). */
export function checkSidecar(settings: Settings, problems: Problem[]): void {
  const { sidecar, clusterVersion, dindCache, dindCacheAccessMode } = settings.kubernetes;
  if (settings.target !== "kubernetes" || clusterVersion === undefined || Number(clusterVersion.split(".")[1]) >= 29) return;
  if (sidecar === "native") {
    problems.push({
      key: key("kubernetes.sidecar"),
      message: `got "native" with ${key("kubernetes.clusterVersion")} ${renderValue(clusterVersion)}; allowed: "classic" on clusters older than 1.29 (native sidecars, init containers with restartPolicy Always, need 1.29)`,
    });
  }
  if (settings.mode === "dind" && dindCache === "volumeClaim" && dindCacheAccessMode === "ReadWriteOncePod") {
    problems.push({
      key: key("kubernetes.dindCacheAccessMode"),
      message: `got "ReadWriteOncePod" with ${key("kubernetes.clusterVersion")} ${renderValue(clusterVersion)}; allowed: "ReadWriteOnce" on clusters older than 1.29 (ReadWriteOncePod is GA in 1.29)`,
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

/**
 * A request above its limit is refused by the API server. With the DinD cache on an emptyDir the
 * cache counts as the pod's ephemeral storage: a daemon limit below the cache's size would evict
 * the pod before the emptyDir is full, and build cache the builder GC keeps must fit in it.
 */
export function checkResources(settings: Settings, problems: Problem[]): void {
  if (settings.target !== "kubernetes") return;
  const { dataVolumeSize, dindCache, dindStorage, resources: all } = settings.kubernetes;
  const daemonLimit = all.daemon.limits.ephemeralStorage;
  if (settings.mode === "dind" && dindCache === "emptyDir" && daemonLimit !== undefined && quantityValue(daemonLimit) <= quantityValue(dataVolumeSize)) {
    problems.push({
      key: key("kubernetes.resources.daemon.limits.ephemeralStorage"),
      message: `got ${renderValue(daemonLimit)}, not above ${key("kubernetes.dataVolumeSize")} ${renderValue(dataVolumeSize)}; allowed: more than the DinD cache's size with dindCache emptyDir (the cache counts as the pod's ephemeral storage, and the pod is evicted above the limit)`,
    });
  }
  if (settings.mode === "dind" && quantityValue(dindStorage.buildCacheKeepStorage) >= quantityValue(dataVolumeSize)) {
    problems.push({
      key: key("kubernetes.dindStorage.buildCacheKeepStorage"),
      message: `got ${renderValue(dindStorage.buildCacheKeepStorage)}, not below ${key("kubernetes.dataVolumeSize")} ${renderValue(dataVolumeSize)}; allowed: less than the DinD cache's size, which also holds images and containers`,
    });
  }
  // The daemon's ephemeral-storage limit as rendered (a default derived from the cache's size when unset).
  for (const [role, resources] of Object.entries({ ...all, daemon: daemonResources(settings.kubernetes) })) {
    for (const resource of ["cpu", "memory", "ephemeralStorage"] as const) {
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

/** Node affinity and tolerations the API server would refuse. */
export function checkPlacement(settings: Settings, problems: Problem[]): void {
  if (settings.target !== "kubernetes") return;
  for (const [role, placement] of Object.entries(settings.kubernetes.placement)) {
    placement.nodeAffinity.forEach((expression, index) => {
      const at = key(`kubernetes.placement.${role}.nodeAffinity[${index}].values`);
      const count = expression.values.length;
      if ((expression.operator === "In" || expression.operator === "NotIn") && count === 0) {
        problems.push({ key: at, message: `missing with operator ${expression.operator}; allowed: at least one value` });
      } else if ((expression.operator === "Exists" || expression.operator === "DoesNotExist") && count > 0) {
        problems.push({ key: at, message: `got ${renderValue(expression.values)} with operator ${expression.operator}; allowed: no values` });
      } else if ((expression.operator === "Gt" || expression.operator === "Lt") && (count !== 1 || !/^-?\d+$/.test(expression.values[0]))) {
        problems.push({ key: at, message: `got ${renderValue(expression.values)} with operator ${expression.operator}; allowed: exactly one integer` });
      }
    });
    placement.tolerations.forEach((toleration, index) => {
      const at = (field: string) => key(`kubernetes.placement.${role}.tolerations[${index}].${field}`);
      if (toleration.operator === "Exists" && toleration.value !== undefined) {
        problems.push({ key: at("value"), message: `got ${renderValue(toleration.value)} with operator Exists; allowed: no value (Exists matches any)` });
      }
      if (toleration.operator === "Equal" && toleration.key === undefined) {
        problems.push({ key: at("key"), message: "missing with operator Equal; allowed: a taint key, or operator Exists to tolerate every taint" });
      }
      if (toleration.tolerationSeconds !== undefined && toleration.effect !== "NoExecute") {
        problems.push({ key: at("tolerationSeconds"), message: `got ${toleration.tolerationSeconds} with effect ${renderValue(toleration.effect ?? "(any)")}; allowed: only with effect NoExecute` });
      }
    });
  }
}

/** Registry TLS needs DinD: in mode dood the nodes' Docker Engine pushes, and the stack cannot make it trust the CA. */
export function checkRegistryTls(settings: Settings, problems: Problem[]): void {
  if (settings.target !== "kubernetes" || settings.mode !== "dood" || settings.kubernetes.registryTls === undefined) return;
  problems.push({
    key: key("kubernetes.registryTls"),
    message: "got a TLS secret with mode dood; allowed: only with mode dind (in mode dood the nodes' Docker Engine pushes, and trusting the CA there is the nodes' configuration, not the stack's)",
  });
}
