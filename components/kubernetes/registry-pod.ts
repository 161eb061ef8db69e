import * as k8s from "@pulumi/kubernetes";
import { RegistrySettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { HTPASSWD_PATH, REGISTRY_HEALTHCHECK, registryEnv } from "../registry/registry-env";
import { envEntry } from "./env";
import { ContainerResources } from "./settings";

/** uid, gid and fsGroup the registry runs as (registry:2 needs no root: port 5000, data on its volume). */
export const REGISTRY_UID = 1000;

/** Where registry:2 keeps its data. */
export const REGISTRY_DATA_DIR = "/var/lib/registry";

/** Secret key of the htpasswd file, and the file's name under its mount. */
export const HTPASSWD_KEY = HTPASSWD_PATH.slice(HTPASSWD_PATH.lastIndexOf("/") + 1);

/** Secret key of the pull-through cache's upstream password. */
export const PROXY_PASSWORD_KEY = "password";

/** Secrets and claim the registry pod refers to, by name. */
export interface RegistryPodRefs {
  /** The data volume claim. */
  claim: string;
  /** Secret with the htpasswd file, when auth is on. */
  htpasswdSecret?: string;
  /** Secret with the upstream password, when the pull-through cache logs in. */
  proxySecret?: string;
}

/**
 * The registry's probes: GET /v2/ (200 when up). With auth, /v2/ answers 401, which an
 * httpGet probe counts as a failure, so the registry's own check runs instead (it accepts
 * 200 or 401), and no credentials end up in the pod spec.
 */
function registryProbe(settings: RegistrySettings, periodSeconds: number, failureThreshold: number): k8s.types.input.core.v1.Probe {
  const timing = { periodSeconds, failureThreshold, timeoutSeconds: 3 };
  if (settings.auth) return { exec: { command: ["sh", "-c", REGISTRY_HEALTHCHECK.tests[1]] }, ...timing };
  return { httpGet: { path: "/v2/", port: "http" }, ...timing };
}

/**
 * The registry pod: registry:2 as a non-root user with no privilege escalation, every
 * capability dropped, the runtime's default seccomp profile and a read-only root file
 * system (the `restricted` Pod Security profile); its data volume is writable through
 * fsGroup. Service links are off: a Service named `registry` would otherwise inject
 * REGISTRY_* variables, which distribution reads as configuration.
 */
export function registryPodSpec(settings: RegistrySettings, resources: ContainerResources, refs: RegistryPodRefs): k8s.types.input.core.v1.PodSpec {
  const env: k8s.types.input.core.v1.EnvVar[] = registryEnv(settings).map(envEntry);
  if (refs.proxySecret) env.push({ name: "REGISTRY_PROXY_PASSWORD", valueFrom: { secretKeyRef: { name: refs.proxySecret, key: PROXY_PASSWORD_KEY } } });
  const volumes: k8s.types.input.core.v1.Volume[] = [
    { name: "data", persistentVolumeClaim: { claimName: refs.claim } },
    { name: "tmp", emptyDir: {} },
  ];
  const mounts: k8s.types.input.core.v1.VolumeMount[] = [
    { name: "data", mountPath: REGISTRY_DATA_DIR },
    { name: "tmp", mountPath: "/tmp" },
  ];
  if (refs.htpasswdSecret) {
    volumes.push({ name: "htpasswd", secret: { secretName: refs.htpasswdSecret, defaultMode: 0o440 } });
    mounts.push({ name: "htpasswd", mountPath: HTPASSWD_PATH.slice(0, HTPASSWD_PATH.lastIndexOf("/")), readOnly: true });
  }
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: REGISTRY_UID,
      runAsGroup: REGISTRY_UID,
      fsGroup: REGISTRY_UID,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [
      {
        name: "registry",
        image: settings.image,
        imagePullPolicy: "IfNotPresent",
        ports: [{ name: "http", containerPort: REGISTRY_CONTAINER_PORT, protocol: "TCP" }],
        env,
        volumeMounts: mounts,
        readinessProbe: registryProbe(settings, 5, 3),
        livenessProbe: registryProbe(settings, 10, 6),
        resources,
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    volumes,
  };
}
