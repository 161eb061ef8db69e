import { KubernetesSettings } from "../../components/config/schema";
import { PlainPodSpec } from "../../components/kubernetes/pod-security";
import { parse } from "./config-problems";
import { stackConfig, withOverrides } from "./stack-config";

/** Kubernetes settings with every default of the schema (and a prebuilt DinD image), `overrides` on top. */
export function kubernetesSettings(overrides: Partial<KubernetesSettings> = {}): KubernetesSettings {
  const defaults = parse({ target: "kubernetes", kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:24.0.6" } } }).kubernetes;
  return { ...defaults, ...overrides };
}

/** A pod spec returned by a pure function, as admission sees it (plain JSON). */
export function plainPod(spec: unknown): PlainPodSpec {
  return JSON.parse(JSON.stringify(spec)) as PlainPodSpec;
}

/** The prod stack's config switched to DooD on the cluster (opted in, with the nodes' ranges). */
export function doodConfig(): Record<string, string> {
  return withOverrides(stackConfig("prod"), {
    "dind-stack:mode": "dood",
    "dind-stack:workloads": { allowDood: true },
    "dind-stack:kubernetes": { nodeCidrs: ["10.0.0.0/16"] },
  });
}
