// How a user finds and tells apart the objects of the runners' side: the labels `kubectl -l`
// selects them by (the stack, the component, the recommended app.kubernetes.io labels), the
// names and namespaces they are made under, the annotation keys the API server validates, and
// which pods the runners' egress policy applies to (in a namespace another stack may share).
// Rendered by the pure functions directly.
import * as fs from "node:fs";
import * as path from "node:path";
import { ClientSettings } from "../../../components/config/schema";
import { daemonJsonConfigMapArgs } from "../../../components/kubernetes/daemon-config";
import { podLabels } from "../../../components/kubernetes/labels";
import { runnerDisruptionBudgetArgs, runnerEgressPolicyArgs, runnerHeadlessServiceArgs } from "../../../components/kubernetes/runner-policies";
import { runnerWorkload, RunnerWorkloadContext } from "../../../components/kubernetes/runner-workloads";
import { selects } from "../../support/kubernetes-objects";
import { dindSettings, kubernetesSettings, runnerContext } from "../../support/kubernetes-fixtures";
import { egressAllowed } from "../../support/network-policy";
import { REPO_ROOT } from "../../support/stack-config";

const STACK_LABEL = "org.dind-stack.stack";
const COMPONENT_LABEL = "org.dind-stack.component";

const plain = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value));
const builder = (): ClientSettings => dindSettings({ workloads: { clients: [{ name: "builder", command: ["true"], count: 2 }] } }).workloads.clients[0];
const workloadContext = (stack = "prod", kubernetes = {}): RunnerWorkloadContext => ({ ...runnerContext(dindSettings(), kubernetes), stack, namespace: "run-ns", daemonJsonDigest: "0123456789abcdef" });
/** The labels of a client group's runner pods, as its workload gives them. */
const runnerPodLabels = (stack = "prod"): Record<string, string> => plain(runnerWorkload(builder(), workloadContext(stack)).args).spec.template.metadata.labels;

/** Whether a key is a Kubernetes qualified name (an optional DNS-subdomain prefix and `/`, then a name of 1 to 63 characters), as the API server requires of label and annotation keys. */
function qualifiedName(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  const prefixOk = prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
  return prefixOk && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

describe("the runners' objects are found with their pods", () => {
  test("the group's PodDisruptionBudget and headless Service carry the runner pods' stack and component labels", () => {
    const pods = runnerPodLabels();
    const budget = plain(runnerDisruptionBudgetArgs("prod", "run-ns", builder(), kubernetesSettings()));
    const headless = plain(runnerHeadlessServiceArgs("prod", "run-ns", builder()));
    for (const labels of [budget.metadata.labels, headless.metadata.labels]) {
      expect(labels[STACK_LABEL]).toBe("prod");
      expect(labels[COMPONENT_LABEL]).toBe(pods[COMPONENT_LABEL]);
    }
  });

  test("the egress policy is named, in the runners' namespace, and labelled like the runner pods", () => {
    const metadata = plain(runnerEgressPolicyArgs("prod", "run-ns", kubernetesSettings())).metadata;
    expect(metadata.namespace).toBe("run-ns");
    expect(metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(metadata.labels[STACK_LABEL]).toBe("prod");
    expect(metadata.labels[COMPONENT_LABEL]).toBe(runnerPodLabels()[COMPONENT_LABEL]);
  });

  test("the cache claims are found by the selector docs/kubernetes.md gives for deleting them", () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "kubernetes.md"), "utf8");
    const [, key, value] = /delete pvc -l\s+([\w./-]+)=([\w.-]+)/.exec(doc)!;
    const workload = plain(runnerWorkload(builder(), workloadContext("prod", { dindCache: "volumeClaim" })).args);
    const claimLabels = workload.spec.volumeClaimTemplates[0].metadata.labels;
    expect(selects({ [key]: value }, claimLabels)).toBe(true);
    expect(claimLabels[STACK_LABEL]).toBe("prod");
    expect(selects({ [key]: value }, workload.spec.template.metadata.labels)).toBe(false);
  });

  test("the daemon.json ConfigMap says which stack and which component it belongs to", () => {
    const labels = plain(daemonJsonConfigMapArgs("prod", "run-ns", "{}\n")).metadata.labels;
    expect(labels[STACK_LABEL]).toBe("prod");
    expect(labels[COMPONENT_LABEL]).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  test("app.kubernetes.io/name tells the registry pod from the runner pods", () => {
    const name = "app.kubernetes.io/name";
    const registry = podLabels("prod", "registry");
    const runners = runnerPodLabels();
    expect(runners[name]).toBeDefined();
    expect(selects({ [name]: registry[name] }, runners)).toBe(false);
    expect(selects({ [name]: runners[name] }, registry)).toBe(false);
  });

  test("every label and annotation key of a runner pod template is one the API server accepts", () => {
    for (const mode of ["dind", "dood"] as const) {
      const metadata = plain(runnerWorkload(builder(), { ...workloadContext(), mode }).args).spec.template.metadata;
      const keys = [...Object.keys(metadata.labels), ...Object.keys(metadata.annotations)];
      expect(keys.filter((key) => !qualifiedName(key))).toEqual([]);
    }
  });
});

describe("the runners' egress policy", () => {
  test("applies to this stack's runner pods only: another stack's pods in a shared namespace are not restricted by it", () => {
    const policy = plain(runnerEgressPolicyArgs("prod", "ci", kubernetesSettings())).spec;
    const metadata = { ip: "169.254.169.254", port: 80, protocol: "TCP" as const };
    expect(egressAllowed([policy], runnerPodLabels(), metadata)).toBe(false);
    expect(egressAllowed([policy], runnerPodLabels("dev"), metadata)).toBe(true);
    expect(egressAllowed([policy], { app: "tenant-service" }, metadata)).toBe(true);
  });

  test("DNS over TCP (large answers) reaches a node-local cache on a link-local address, like DNS over UDP", () => {
    const policy = plain(runnerEgressPolicyArgs("prod", "run-ns", kubernetesSettings())).spec;
    for (const protocol of ["UDP", "TCP"] as const) expect(egressAllowed([policy], runnerPodLabels(), { ip: "169.254.20.10", port: 53, protocol })).toBe(true);
    expect(egressAllowed([policy], runnerPodLabels(), { ip: "169.254.20.10", port: 54, protocol: "TCP" })).toBe(false);
  });
});
