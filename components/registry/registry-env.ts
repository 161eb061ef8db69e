import { RegistrySettings } from "../config/schema";

/** Where the htpasswd file is uploaded in the registry container. */
export const HTPASSWD_PATH = "/auth/htpasswd";

/**
 * Environment of the registry container (distribution reads REGISTRY_<PATH> overrides of
 * its config.yml). Secrets (the proxy password) are added by the component, not here.
 */
export function registryEnv(settings: RegistrySettings): string[] {
  const env = [`REGISTRY_STORAGE_DELETE_ENABLED=${settings.deleteEnabled}`];
  if (settings.auth) {
    env.push("REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM=dind-stack registry", `REGISTRY_AUTH_HTPASSWD_PATH=${HTPASSWD_PATH}`);
  }
  if (settings.proxy) {
    env.push(`REGISTRY_PROXY_REMOTEURL=${settings.proxy.remoteUrl}`);
    if (settings.proxy.username) env.push(`REGISTRY_PROXY_USERNAME=${settings.proxy.username}`);
  }
  return env;
}

/**
 * Healthcheck of the registry: /v2/ answers 200, or 401 when authentication is on.
 * Uses wget, which the registry:2 image (busybox) has.
 */
export const REGISTRY_HEALTHCHECK = {
  tests: ["CMD-SHELL", "wget -S -O /dev/null http://127.0.0.1:5000/v2/ 2>&1 | grep -Eq 'HTTP/[0-9.]+ (200|401)'"],
  interval: "2s",
  timeout: "3s",
  startPeriod: "2s",
  retries: 15,
};
