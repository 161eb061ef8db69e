import { KubernetesSettings } from "../../components/config/schema";
import { PlainPodSpec } from "../../components/kubernetes/pod-security";
import { parse } from "./config-problems";

/** Kubernetes settings with every default of the schema (and a prebuilt DinD image), `overrides` on top. */
export function kubernetesSettings(overrides: Partial<KubernetesSettings> = {}): KubernetesSettings {
  const defaults = parse({ target: "kubernetes", kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:24.0.6" } } }).kubernetes;
  return { ...defaults, ...overrides };
}

/** A pod spec returned by a pure function, as admission sees it (plain JSON). */
export function plainPod(spec: unknown): PlainPodSpec {
  return JSON.parse(JSON.stringify(spec)) as PlainPodSpec;
}
