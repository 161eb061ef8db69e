import type * as k8s from "@pulumi/kubernetes";

/** A DinD daemon as a native sidecar: privileged, DinD entrypoint with TLS, certificates in an emptyDir. */
export const DIND_SIDECAR: k8s.types.input.core.v1.Container = {
  name: "dind",
  image: "registry.example/dind-stack/dind:24.0.6-prod",
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
  image: "registry.example/dind-stack/dind:24.0.6-prod",
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

/** A registry pod; `auth` adds htpasswd authentication from a mounted Secret. */
export function registryPod(auth: boolean, overrides: Partial<k8s.types.input.core.v1.Container> = {}): k8s.types.input.core.v1.PodSpec {
  const authEnv = auth
    ? [
        { name: "REGISTRY_AUTH", value: "htpasswd" },
        { name: "REGISTRY_AUTH_HTPASSWD_REALM", value: "dind-stack registry" },
        { name: "REGISTRY_AUTH_HTPASSWD_PATH", value: "/auth/htpasswd" },
      ]
    : [];
  return {
    containers: [{ name: "registry", image: "registry:2", ports: [{ containerPort: 5000 }], env: authEnv, ...overrides }],
    volumes: auth ? [{ name: "htpasswd", secret: { secretName: "registry-htpasswd" } }] : [],
  };
}
