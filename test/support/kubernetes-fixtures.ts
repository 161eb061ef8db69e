import { KubernetesSettings, Settings } from "../../components/config/schema";
import { PlainPodSpec } from "../../components/kubernetes/pod-security";
import { RunnerPodContext } from "../../components/kubernetes/runner-pod";
import { parse } from "./config-problems";
import { deployableStack, withOverrides } from "./stack-config";

/** Kubernetes settings with every default of the schema (and a prebuilt DinD image), `overrides` on top. */
export function kubernetesSettings(overrides: Partial<KubernetesSettings> = {}): KubernetesSettings {
  const defaults = parse({ target: "kubernetes", kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:24.0.6" } }, registryPassword: "cluster-password-1" }).kubernetes;
  return { ...defaults, ...overrides };
}

/** The settings of a DinD stack with `config` (the schema's defaults for the rest). */
export const dindSettings = (config: Record<string, unknown> = {}): Settings => parse({ mode: "dind", ...config });

/**
 * What a runner pod of a stack with these settings is rendered from: the DinD daemon and
 * workloads of `settings`, the default Kubernetes settings with `kubernetes` on top, and the rest
 * (mode dind, image, push registry, arch x86_64) unless `overrides` says otherwise.
 */
export function runnerContext(settings: Settings = dindSettings(), kubernetes: Partial<KubernetesSettings> = {}, overrides: Partial<RunnerPodContext> = {}): RunnerPodContext {
  return {
    mode: "dind",
    daemon: settings.daemon,
    workloads: settings.workloads,
    kubernetes: kubernetesSettings(kubernetes),
    image: "dind:1",
    pushRegistry: "registry.ns.svc:5000",
    arch: "x86_64",
    ...overrides,
  };
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
