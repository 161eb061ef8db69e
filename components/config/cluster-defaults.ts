import { Settings } from "./schema";

// Defaults that depend on the stack's target, applied once the config has passed the rules.

/** The user of the registry's authentication on Kubernetes when registry.auth names none. */
export const CLUSTER_REGISTRY_USER = "dind-stack";

/**
 * True when the registry gets authentication although registry.auth is not set: on Kubernetes,
 * where its Service is reachable from the whole pod network and only a NetworkPolicy (which not
 * every CNI enforces) would keep other pods out, unless the stack opts out with
 * registry.allowUnauthenticatedExposure.
 */
export function registryAuthByDefault(settings: Settings): boolean {
  return settings.target === "kubernetes" && settings.registry.auth === undefined && !settings.registry.allowUnauthenticatedExposure;
}

/** The settings with the target's defaults filled in (registry.auth on Kubernetes, see registryAuthByDefault). */
export function withTargetDefaults(settings: Settings): Settings {
  if (!registryAuthByDefault(settings)) return settings;
  return { ...settings, registry: { ...settings.registry, auth: { username: CLUSTER_REGISTRY_USER } } };
}
