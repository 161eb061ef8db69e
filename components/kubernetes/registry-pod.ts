import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { RegistrySettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { HTPASSWD_PATH, REGISTRY_CONFIG_PATH, REGISTRY_HEALTHCHECK } from "../registry/registry-config";
import { ContainerResources, resourceRequirements } from "./settings";

/** uid, gid and fsGroup the registry runs as (registry:2 needs no root: port 5000, data on its volume). */
export const REGISTRY_UID = 1000;

/** Where registry:2 keeps its data. */
export const REGISTRY_DATA_DIR = "/var/lib/registry";

/** Secret keys of the registry's config.yml and htpasswd: their file names, mounted together in one directory. */
export const REGISTRY_SECRET_KEYS = { config: path.basename(REGISTRY_CONFIG_PATH), htpasswd: path.basename(HTPASSWD_PATH) } as const;

/** Names of the objects the registry pod mounts: its claim, and its config Secret (named by the provider). */
export interface RegistryRefs {
  /** The data volume claim. */
  claim: string;
  /** The config Secret. */
  configSecret: pulumi.Input<string>;
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
 * The registry pod: registry:2 serving the stack's config.yml (and htpasswd) from a Secret,
 * as a non-root user with no privilege escalation, every capability dropped, the runtime's
 * default seccomp profile and a read-only root file system (the `restricted` Pod Security
 * profile); its data volume and the Secret's files are reachable through fsGroup. Service
 * links are off: a Service named `registry` would otherwise inject REGISTRY_* variables,
 * which distribution reads as configuration.
 */
export function registryPodSpec(settings: RegistrySettings, resources: ContainerResources, refs: RegistryRefs): k8s.types.input.core.v1.PodSpec {
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
        args: [REGISTRY_CONFIG_PATH],
        ports: [{ name: "http", containerPort: REGISTRY_CONTAINER_PORT, protocol: "TCP" }],
        volumeMounts: [
          { name: "data", mountPath: REGISTRY_DATA_DIR },
          { name: "config", mountPath: path.dirname(REGISTRY_CONFIG_PATH), readOnly: true },
          { name: "tmp", mountPath: "/tmp" },
        ],
        readinessProbe: registryProbe(settings, 5, 3),
        livenessProbe: registryProbe(settings, 10, 6),
        resources: resourceRequirements(resources),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    volumes: [
      { name: "data", persistentVolumeClaim: { claimName: refs.claim } },
      // Readable by the owner (root) and the fsGroup, which the registry runs in.
      { name: "config", secret: { secretName: refs.configSecret, defaultMode: 0o440 } },
      { name: "tmp", emptyDir: {} },
    ],
  };
}
