import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { KubernetesSettings, RegistrySettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { HTPASSWD_PATH, REGISTRY_CONFIG_PATH, REGISTRY_HEALTHCHECK } from "../registry/registry-config";
import { podPlacement } from "./placement";
import { resourceRequirements } from "./settings";
import { REGISTRY_GC_MARKER, registryGcCommand } from "./registry-gc";

/** uid, gid and fsGroup the registry runs as (registry:2 needs no root: port 5000, data on its volume). */
export const REGISTRY_UID = 1000;

/** Where registry:2 keeps its data. */
export const REGISTRY_DATA_DIR = "/var/lib/registry";

/** Secret keys of the registry's config.yml and htpasswd: their file names, mounted together in one directory. */
export const REGISTRY_SECRET_KEYS = { config: path.basename(REGISTRY_CONFIG_PATH), htpasswd: path.basename(HTPASSWD_PATH) } as const;

/** Where the registry's TLS Secret (tls.crt, tls.key) is mounted. */
export const REGISTRY_TLS_DIR = "/etc/dind-stack/registry-tls";

/** The registry's TLS files, as its config names them. */
export const REGISTRY_TLS_FILES = { certificate: `${REGISTRY_TLS_DIR}/tls.crt`, key: `${REGISTRY_TLS_DIR}/tls.key` } as const;

/** Names of the objects the registry pod mounts: its claim, and its config Secret (named by the provider). */
export interface RegistryRefs {
  /** The data volume claim (once its storage class is checked). */
  claim: pulumi.Input<string>;
  /** The config Secret. */
  configSecret: pulumi.Input<string>;
}

/** What the registry pod needs from the Kubernetes settings. */
export type RegistryPodSettings = Pick<KubernetesSettings, "registryTls" | "registryGarbageCollect" | "placement" | "resources">;

/** The registry's own check (200, or 401 with auth), over HTTPS when it serves TLS (its certificate is not checked on localhost). */
function healthCommand(tls: boolean): string {
  const check = REGISTRY_HEALTHCHECK.tests[1];
  return tls ? check.replace("wget ", "wget --no-check-certificate ").replace("http://", "https://") : check;
}

/**
 * The registry's readiness: GET /v2/ (200 when up). With auth, /v2/ answers 401, which an
 * httpGet probe counts as a failure, and with TLS the certificate names the Service, so the
 * registry's own check runs instead (it accepts 200 or 401), and no credentials end up in the
 * pod spec. It fails while garbage-collect runs: the Service sends nobody then.
 */
function readinessProbe(settings: RegistrySettings, tls: boolean): k8s.types.input.core.v1.Probe {
  const timing = { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 };
  if (settings.auth || tls) return { exec: { command: ["sh", "-c", healthCommand(tls)] }, ...timing };
  return { httpGet: { path: "/v2/", port: "http" }, ...timing };
}

/** The registry's liveness: the same check, passed while garbage-collect runs (the registry is stopped on purpose then). */
function livenessProbe(tls: boolean): k8s.types.input.core.v1.Probe {
  return { exec: { command: ["sh", "-c", `[ -e ${REGISTRY_GC_MARKER} ] || { ${healthCommand(tls)}; }`] }, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 3 };
}

/**
 * The registry pod: registry:2 serving the stack's config.yml (and htpasswd) from a Secret,
 * as a non-root user with no privilege escalation, every capability dropped, the runtime's
 * default seccomp profile and a read-only root file system (the `restricted` Pod Security
 * profile); its data volume and the Secret's files are reachable through fsGroup. Service
 * links are off: a Service named `registry` would otherwise inject REGISTRY_* variables,
 * which distribution reads as configuration. Its main process is registry-gc.sh, which runs
 * distribution's garbage-collect with the registry stopped, as distribution requires.
 */
export function registryPodSpec(settings: RegistrySettings, kubernetes: RegistryPodSettings, refs: RegistryRefs): k8s.types.input.core.v1.PodSpec {
  const tls = kubernetes.registryTls !== undefined;
  const gc = kubernetes.registryGarbageCollect;
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...podPlacement(kubernetes.placement.registry),
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
        command: registryGcCommand(REGISTRY_CONFIG_PATH, gc.intervalHours * 3600, gc.deleteUntagged),
        ports: [{ name: "http", containerPort: REGISTRY_CONTAINER_PORT, protocol: "TCP" }],
        volumeMounts: [
          { name: "data", mountPath: REGISTRY_DATA_DIR },
          { name: "config", mountPath: path.dirname(REGISTRY_CONFIG_PATH), readOnly: true },
          { name: "tmp", mountPath: "/tmp" },
          ...(tls ? [{ name: "tls", mountPath: REGISTRY_TLS_DIR, readOnly: true }] : []),
        ],
        readinessProbe: readinessProbe(settings, tls),
        livenessProbe: livenessProbe(tls),
        resources: resourceRequirements(kubernetes.resources.registry),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    volumes: [
      { name: "data", persistentVolumeClaim: { claimName: refs.claim } },
      // Readable by the owner (root) and the fsGroup, which the registry runs in.
      { name: "config", secret: { secretName: refs.configSecret, defaultMode: 0o440 } },
      { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
      ...(kubernetes.registryTls ? [{ name: "tls", secret: { secretName: kubernetes.registryTls.secretName, defaultMode: 0o440 } }] : []),
    ],
  };
}
