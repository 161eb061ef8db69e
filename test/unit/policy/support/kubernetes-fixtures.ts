import * as k8s from "@pulumi/kubernetes";

/** A DinD daemon as a native sidecar: privileged, DinD entrypoint with TLS, certificates in an emptyDir. */
export const DIND_SIDECAR: k8s.types.input.core.v1.Container = {
  name: "dind",
  image: "registry.example.com/platform/dind:25.0.5-prod",
  restartPolicy: "Always",
  securityContext: { privileged: true },
  env: [{ name: "DOCKER_TLS_CERTDIR", value: "/certs" }],
  volumeMounts: [
    { name: "certs", mountPath: "/certs/client" },
    { name: "docker-data", mountPath: "/var/lib/docker" },
  ],
};

/** The job container that talks to the sidecar over TLS on localhost. */
export const JOB_CONTAINER: k8s.types.input.core.v1.Container = {
  name: "job",
  image: "registry.example.com/platform/dind:25.0.5-prod",
  command: ["sleep", "infinity"],
  env: [
    { name: "DOCKER_HOST", value: "tcp://localhost:2376" },
    { name: "DOCKER_TLS_VERIFY", value: "1" },
    { name: "DOCKER_CERT_PATH", value: "/certs/client" },
  ],
  volumeMounts: [{ name: "certs", mountPath: "/certs/client", readOnly: true }],
};

/** Labels of the runner pods. */
export const RUNNER_LABELS = { "app.kubernetes.io/name": "dind-stack", "app.kubernetes.io/component": "runner" };

/** A runner pod: DinD sidecar, job container, in-memory certificates, an emptyDir for /var/lib/docker. */
export function runnerPod(overrides: Partial<k8s.types.input.core.v1.PodSpec> = {}): k8s.types.input.core.v1.PodSpec {
  return {
    initContainers: [DIND_SIDECAR],
    containers: [JOB_CONTAINER],
    volumes: [
      { name: "certs", emptyDir: { medium: "Memory" } },
      { name: "docker-data", emptyDir: {} },
    ],
    ...overrides,
  };
}

/** Labels of the registry pods. */
export const REGISTRY_LABELS = { "app.kubernetes.io/name": "dind-stack", "app.kubernetes.io/component": "registry" };

/** Where the registry pods find their config file: a Secret `registry-config` (see registryConfigSecret), mounted here. */
export const REGISTRY_CONFIG = "/etc/registry/config.yml";

/** A registry pod that serves the config file of its mounted Secret `registry-config`. */
export function registryPod(overrides: Partial<k8s.types.input.core.v1.Container> = {}): k8s.types.input.core.v1.PodSpec {
  return {
    containers: [
      {
        name: "registry",
        image: "registry:2",
        args: [REGISTRY_CONFIG],
        ports: [{ containerPort: 5000 }],
        volumeMounts: [{ name: "config", mountPath: "/etc/registry", readOnly: true }],
        ...overrides,
      },
    ],
    volumes: [{ name: "config", secret: { secretName: "registry-config" } }],
  };
}

/** A distribution config file; `auth` turns htpasswd authentication on. */
export function registryConfigFile(auth: boolean): string {
  const config = { version: 0.1, storage: { filesystem: {} }, http: { addr: ":5000" }, ...(auth ? { auth: { htpasswd: { realm: "dind-stack registry", path: "/etc/registry/htpasswd" } } } : {}) };
  return JSON.stringify(config);
}

/** The Secret `registry-config` of a namespace, holding the registry pods' config file. */
export function registryConfigSecret(namespace: string, auth: boolean): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(`registry-config-${namespace}`, { metadata: { name: "registry-config", namespace }, stringData: { "config.yml": registryConfigFile(auth) } });
}
