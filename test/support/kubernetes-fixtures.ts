import { KubernetesSettings } from "../../components/config/schema";
import { PlainPodSpec } from "../../components/kubernetes/pod-security";
import { parse } from "./config-problems";
import { deployableStack, withOverrides } from "./stack-config";

/** Kubernetes settings with every default of the schema (and a prebuilt DinD image), `overrides` on top. */
export function kubernetesSettings(overrides: Partial<KubernetesSettings> = {}): KubernetesSettings {
  const defaults = parse({ target: "kubernetes", kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:24.0.6" } }, registryPassword: "cluster-password-1" }).kubernetes;
  return { ...defaults, ...overrides };
}

/** A pod spec returned by a pure function, as admission sees it (plain JSON). */
export function plainPod(spec: unknown): PlainPodSpec {
  return JSON.parse(JSON.stringify(spec)) as PlainPodSpec;
}

/** The deployable prod stack (deployableStack) switched to DooD on the cluster (opted in, with the nodes' ranges). */
export function doodStack(): { config: Record<string, string>; secretKeys: string[] } {
  const prod = deployableStack("prod");
  const config = withOverrides(prod.config, {
    "dind-stack:mode": "dood",
    "dind-stack:workloads": { allowDood: true },
    "dind-stack:kubernetes": { nodeCidrs: ["10.0.0.0/16"] },
  });
  return { config, secretKeys: prod.secretKeys };
}
