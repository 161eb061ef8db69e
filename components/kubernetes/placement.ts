import * as k8s from "@pulumi/kubernetes";
import { DindImageSettings, KubernetesSettings } from "../config/schema";

/** Settings of where one role's pods run. */
export type PlacementSettings = KubernetesSettings["placement"]["registry"];

/** The node labels a pod's scheduling fields are made of. */
export type PodPlacement = Pick<k8s.types.input.core.v1.PodSpec, "nodeSelector" | "tolerations" | "affinity">;

/** Kubernetes' name (the kubernetes.io/arch node label) of each architecture the DinD image is built for. */
const NODE_ARCH: Readonly<Record<DindImageSettings["arch"], string>> = { x86_64: "amd64", aarch64: "arm64" };

/**
 * Where a role's pods may run: Linux nodes, for the runners also nodes of the DinD image's
 * architecture (its static binaries are built for one: on a mixed cluster a pod elsewhere could
 * not start), the config's node labels on top; the tolerations and the required node affinity as
 * configured.
 */
export function podPlacement(placement: PlacementSettings, arch?: DindImageSettings["arch"]): PodPlacement {
  const nodeSelector: Record<string, string> = { "kubernetes.io/os": "linux", ...(arch ? { "kubernetes.io/arch": NODE_ARCH[arch] } : {}), ...placement.nodeSelector };
  const tolerations = placement.tolerations.map((toleration) => ({ ...toleration }));
  const affinity: k8s.types.input.core.v1.Affinity | undefined =
    placement.nodeAffinity.length === 0
      ? undefined
      : {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: placement.nodeAffinity.map(({ key, operator, values }) => ({ key, operator, ...(values.length > 0 ? { values } : {}) })),
                },
              ],
            },
          },
        };
  return { nodeSelector, ...(tolerations.length > 0 ? { tolerations } : {}), ...(affinity ? { affinity } : {}) };
}
