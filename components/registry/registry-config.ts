import { RegistrySettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "./addresses";

/** How long the registry lets requests in flight finish after SIGTERM (distribution's `http.draintimeout`). */
export const REGISTRY_DRAIN_TIMEOUT = "5s";

/** Where the htpasswd file is uploaded in the registry container. */
export const HTPASSWD_PATH = "/etc/dind-stack/registry/htpasswd";

/**
 * Where the stack's registry configuration is uploaded; the container's command points the
 * image's entrypoint at it (an argument ending in .yml is served as the config file).
 */
export const REGISTRY_CONFIG_PATH = "/etc/dind-stack/registry/config.yml";

/**
 * Mode of the files uploaded into the registry container: they carry the htpasswd hashes and
 * the upstream password, and registry:2 runs as root, so nobody else needs to read them.
 */
export const REGISTRY_FILE_MODE = "0600";

/**
 * The registry's whole configuration (distribution's config.yml), as an object. It is written
 * as JSON, which YAML parsers read as YAML. Everything is in this one file, the upstream
 * password included, instead of REGISTRY_* environment variables: `docker inspect` shows a
 * container's environment to anyone who may inspect it, but not the files uploaded into it.
 * `tls` names the certificate and key files when the registry serves HTTPS.
 */
export function registryConfig(settings: RegistrySettings, proxyPassword?: string, tls?: { certificate: string; key: string }): Record<string, unknown> {
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { fields: { service: "registry" } },
    storage: {
      filesystem: { rootdirectory: "/var/lib/registry" },
      cache: { blobdescriptor: "inmemory" },
      delete: { enabled: settings.deleteEnabled },
    },
    // On SIGTERM the registry waits this long for requests in flight before it exits (without it, it exits at once).
    http: { addr: `:${REGISTRY_CONTAINER_PORT}`, headers: { "X-Content-Type-Options": ["nosniff"] }, draintimeout: REGISTRY_DRAIN_TIMEOUT, ...(tls ? { tls } : {}) },
    health: { storagedriver: { enabled: true, interval: "10s", threshold: 3 } },
  };
  if (settings.auth) config.auth = { htpasswd: { realm: "dind-stack registry", path: HTPASSWD_PATH } };
  if (settings.proxy) {
    config.proxy = {
      remoteurl: settings.proxy.remoteUrl,
      ...(settings.proxy.username ? { username: settings.proxy.username, password: proxyPassword ?? "" } : {}),
    };
  }
  return config;
}

/**
 * The configuration of a registry that only serves: distribution's read-only maintenance mode
 * refuses every push and delete (405), and nothing is purged, so its storage may be mounted
 * read-only. The stack's mirror registry runs with it.
 */
export function readOnlyRegistryConfig(): Record<string, unknown> {
  return {
    version: 0.1,
    log: { fields: { service: "mirror" } },
    storage: {
      filesystem: { rootdirectory: "/var/lib/registry" },
      cache: { blobdescriptor: "inmemory" },
      maintenance: { readonly: { enabled: true }, uploadpurging: { enabled: false } },
    },
    http: { addr: `:${REGISTRY_CONTAINER_PORT}`, headers: { "X-Content-Type-Options": ["nosniff"] } },
  };
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
