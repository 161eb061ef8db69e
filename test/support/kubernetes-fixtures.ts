import * as pulumi from "@pulumi/pulumi";
import { KubernetesSettings } from "../../components/kubernetes/settings";
import { PlainPodSpec } from "../../components/kubernetes/pod-security";

/** Kubernetes settings as a stack without a kubernetes section gets them, with `overrides` on top. */
export function kubernetesSettings(overrides: Partial<KubernetesSettings> = {}): KubernetesSettings {
  return {
    namespaces: {},
    registryStorageSize: "20Gi",
    sidecar: "native",
    dindCache: "emptyDir",
    dataVolumeSize: "20Gi",
    dindImage: { reference: "registry.example.com/platform/dind:24.0.6" },
    nodeCidrs: [],
    resources: {
      registry: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
      daemon: { requests: { cpu: "500m", memory: "1Gi" }, limits: {} },
      runner: { requests: { cpu: "100m", memory: "128Mi" }, limits: {} },
    },
    ...overrides,
  };
}

/** A rendered value with no Pulumi inputs left (the pure functions are called with plain values). */
export function plain<T>(value: T): pulumi.Unwrap<T> {
  return value as pulumi.Unwrap<T>;
}

/** A pod spec returned by a pure function, as admission sees it. */
export function plainPod(spec: unknown): PlainPodSpec {
  return JSON.parse(JSON.stringify(spec)) as PlainPodSpec;
}
