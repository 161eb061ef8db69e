// The objects around the pods, as the API server and the controllers act on them: which pods a
// workload, a Service, a NetworkPolicy or a PodDisruptionBudget selects, what a claim asks for,
// when a pod is rolled, and what the registry pod does while garbage-collect runs. Rendered by
// the pure functions directly.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ClientSettings } from "../../../components/config/schema";
import { namespaceNames, podLabels } from "../../../components/kubernetes/labels";
import {
  registryClaimArgs,
  registryClusterAddress,
  registryConfigSecretArgs,
  registryDeploymentArgs,
  registryNetworkPolicyArgs,
  RegistryObjectsContext,
  registryServiceArgs,
} from "../../../components/kubernetes/registry-objects";
import { registryPodSpec } from "../../../components/kubernetes/registry-pod";
import { runnerDisruptionBudgetArgs, runnerEgressPolicyArgs, runnerHeadlessServiceArgs } from "../../../components/kubernetes/runner-policies";
import { cacheClaimNames, runnerWorkload, RunnerWorkloadContext, workloadRef } from "../../../components/kubernetes/runner-workloads";
import { egressAllowed, ingressAllowed } from "../../support/network-policy";
import { selects } from "../../support/kubernetes-objects";
import { dindSettings, kubernetesSettings, runnerContext } from "../../support/kubernetes-fixtures";

// Settings are parsed inside each test, never as the file loads (see runner-pods.test.ts).
const settings = () => dindSettings({ workloads: { clients: [{ name: "builder", command: ["true"], count: 3 }, { name: "tester", command: ["true"] }] } });
const builder = (): ClientSettings => settings().workloads.clients[0];
const tester = (): ClientSettings => settings().workloads.clients[1];
const plain = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value));

const registryContext = (kubernetes = {}, registry = settings().registry): RegistryObjectsContext => ({
  stack: "prod",
  namespace: "reg-ns",
  runnersNamespace: "run-ns",
  settings: registry,
  kubernetes: kubernetesSettings(kubernetes),
  refs: { claim: "registry-data", configSecret: "registry-config-abc" },
});
const workloadContext = (kubernetes = {}, overrides = {}): RunnerWorkloadContext => ({
  ...runnerContext(settings(), kubernetes, overrides),
  stack: "prod",
  namespace: "run-ns",
  daemonJsonDigest: "0123456789abcdef",
});

describe("selectors", () => {
  test("each client group's workload selects its own pods and no other group's", () => {
    const [one, two] = [builder(), tester()].map((client) => plain(runnerWorkload(client, workloadContext()).args));
    expect(selects(one.spec.selector.matchLabels, one.spec.template.metadata.labels)).toBe(true);
    expect(selects(one.spec.selector.matchLabels, two.spec.template.metadata.labels)).toBe(false);
    expect(selects(two.spec.selector.matchLabels, one.spec.template.metadata.labels)).toBe(false);
    expect(one.metadata.labels).toEqual(one.spec.template.metadata.labels);
  });

  test("the registry's Deployment and Service select the registry pod, and no runner pod", () => {
    const deployment = plain(registryDeploymentArgs(registryContext()));
    const service = plain(registryServiceArgs(registryContext()));
    const registryPod = deployment.spec.template.metadata.labels;
    const runnerPod = plain(runnerWorkload(builder(), workloadContext()).args).spec.template.metadata.labels;
    for (const selector of [deployment.spec.selector.matchLabels, service.spec.selector]) {
      expect(selects(selector, registryPod)).toBe(true);
      expect(selects(selector, runnerPod)).toBe(false);
    }
  });

  test("another stack's pods are never selected", () => {
    const other = plain(runnerWorkload(builder(), { ...workloadContext(), stack: "dev" }).args).spec.template.metadata.labels;
    const ours = plain(runnerWorkload(builder(), workloadContext()).args);
    expect(selects(ours.spec.selector.matchLabels, other)).toBe(false);
    expect(selects(plain(registryServiceArgs(registryContext())).spec.selector, podLabels("dev", "registry"))).toBe(false);
  });

  test("a group's PodDisruptionBudget and headless Service cover exactly that group's pods", () => {
    const pods = (client: ClientSettings) => plain(runnerWorkload(client, workloadContext()).args).spec.template.metadata.labels;
    const budget = plain(runnerDisruptionBudgetArgs("prod", "run-ns", builder(), kubernetesSettings({ runnerDisruption: { maxUnavailable: 1 } })));
    const headless = plain(runnerHeadlessServiceArgs("prod", "run-ns", builder()));
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(headless.spec.clusterIP).toBe("None");
    expect(headless.spec.ports).toBeUndefined();
    for (const selector of [budget.spec.selector.matchLabels, headless.spec.selector]) {
      expect(selects(selector, pods(builder()))).toBe(true);
      expect(selects(selector, pods(tester()))).toBe(false);
    }
    expect([budget.metadata, headless.metadata].map((meta) => [meta.name, meta.namespace])).toEqual([
      ["builder", "run-ns"],
      ["builder", "run-ns"],
    ]);
  });
});

describe("network policies", () => {
  const runnerPod = () => plain(runnerWorkload(builder(), workloadContext()).args).spec.template.metadata.labels;
  const registryPod = () => plain(registryDeploymentArgs(registryContext())).spec.template.metadata.labels;

  test("the registry admits runner pods of the stack's runner namespace on its port, and the configured node ranges", () => {
    const policy = plain(registryNetworkPolicyArgs(registryContext({ nodeCidrs: ["10.0.0.0/16"] })));
    expect(selects(policy.spec.podSelector.matchLabels, registryPod())).toBe(true);
    expect(policy.spec.policyTypes).toEqual(["Ingress"]);
    const runners = { "kubernetes.io/metadata.name": "run-ns" };
    const admitted = (from: { ip?: string; namespace?: Record<string, string>; labels?: Record<string, string> }, port = 5000, spec = policy.spec) =>
      ingressAllowed([spec], registryPod(), { ip: from.ip ?? "10.244.1.7", port, protocol: "TCP", pod: from.labels && { namespaceLabels: from.namespace ?? {}, labels: from.labels } });
    expect(admitted({ namespace: runners, labels: runnerPod() })).toBe(true);
    expect(admitted({ namespace: runners, labels: runnerPod() }, 5001)).toBe(false);
    expect(admitted({ namespace: { "kubernetes.io/metadata.name": "tenant" }, labels: runnerPod() })).toBe(false);
    expect(admitted({ namespace: runners, labels: { app: "other" } })).toBe(false);
    expect(admitted({ ip: "10.0.3.4" })).toBe(true);
    expect(admitted({ ip: "10.0.3.4" }, 5000, plain(registryNetworkPolicyArgs(registryContext())).spec)).toBe(false);
  });

  test("runner egress: DNS anywhere, the registry and the internet, but not the metadata services", () => {
    const policy = plain(runnerEgressPolicyArgs("prod", "run-ns", kubernetesSettings())).spec;
    const can = (ip: string, port = 443, protocol: "TCP" | "UDP" = "TCP") => egressAllowed([policy], runnerPod(), { ip, port, protocol });
    expect(can("169.254.169.254", 80)).toBe(false);
    expect(can("fd00:ec2::254", 80)).toBe(false);
    expect(can("fe80::1", 80)).toBe(false);
    expect(can("169.254.20.10", 53, "UDP")).toBe(true);
    expect(can("10.96.0.10", 5000)).toBe(true);
    expect(can("140.82.112.3")).toBe(true);
    expect(can("2606:4700::1111")).toBe(true);
  });

  test("runner egress: configured denied ranges replace the defaults, each in its family's rule", () => {
    const policy = plain(runnerEgressPolicyArgs("prod", "run-ns", kubernetesSettings({ runnerEgress: { deniedCidrs: ["10.0.0.0/8"] } }))).spec;
    const can = (ip: string) => egressAllowed([policy], runnerPod(), { ip, port: 443, protocol: "TCP" });
    expect(can("10.1.2.3")).toBe(false);
    expect(can("169.254.169.254")).toBe(true);
    expect(can("fd00:ec2::254")).toBe(true);
    expect(policy.egress[1].to[1].ipBlock).toEqual({ cidr: "::/0" });
  });
});

describe("runner workloads", () => {
  test("an emptyDir cache: a Deployment of `count` pods, whatever the claim settings", () => {
    const workload = runnerWorkload(builder(), workloadContext());
    expect(workload.kind).toBe("Deployment");
    expect(plain(workload.args).spec.replicas).toBe(3);
    expect(runnerWorkload(builder(), workloadContext({ dindCache: "volumeClaim" }, { mode: "dood" })).kind).toBe("Deployment");
  });

  test("a claim per pod: a StatefulSet whose claims outlive its pods, one per pod, with the configured class, size and access mode", () => {
    const workload = runnerWorkload(builder(), workloadContext({ dindCache: "volumeClaim", storageClassName: "fast", dataVolumeSize: "50Gi" }));
    expect(workload.kind).toBe("StatefulSet");
    const spec = plain(workload.args).spec;
    expect(spec).toMatchObject({ replicas: 3, serviceName: "builder", podManagementPolicy: "Parallel", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } });
    expect(spec.volumeClaimTemplates).toHaveLength(1);
    const claim = spec.volumeClaimTemplates[0];
    expect(claim.spec).toEqual({ accessModes: ["ReadWriteOncePod"], storageClassName: "fast", resources: { requests: { storage: "50Gi" } } });
    const mounted = spec.template.spec.initContainers[0].volumeMounts.map((mount: any) => mount.name);
    expect(mounted).toContain(claim.metadata.name);
    expect(cacheClaimNames(builder())).toEqual([0, 1, 2].map((ordinal) => `${claim.metadata.name}-builder-${ordinal}`));
  });

  test("workloads.retainDataOnDelete false: the claims go with the StatefulSet, but never when it is scaled down", () => {
    const base = settings();
    const dropping = { ...base, workloads: { ...base.workloads, retainDataOnDelete: false } };
    const workload = runnerWorkload(builder(), { ...workloadContext({ dindCache: "volumeClaim", dindCacheAccessMode: "ReadWriteOnce" }), workloads: dropping.workloads });
    expect(plain(workload.args).spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Delete", whenScaled: "Retain" });
    expect(plain(workload.args).spec.volumeClaimTemplates[0].spec.accessModes).toEqual(["ReadWriteOnce"]);
  });

  test("a changed daemon.json rolls the DinD pods (its digest is on the pod template); DooD pods carry none", () => {
    const template = (digest: string, mode: "dind" | "dood" = "dind") => plain(runnerWorkload(builder(), { ...workloadContext({}, { mode }), daemonJsonDigest: digest }).args).spec.template.metadata.annotations;
    expect(template("aaaa")).not.toEqual(template("bbbb"));
    expect(template("aaaa", "dood")).toEqual(template("bbbb", "dood"));
  });

  test("kubectl opens the job container by default, and the autoscalers are asked not to evict a runner", () => {
    const annotations = plain(runnerWorkload(builder(), workloadContext()).args).spec.template.metadata.annotations;
    expect(annotations["kubectl.kubernetes.io/default-container"]).toBe("job");
    expect(annotations).toMatchObject({ "cluster-autoscaler.kubernetes.io/safe-to-evict": "false", "karpenter.sh/do-not-disrupt": "true" });
    expect(workloadRef("StatefulSet", "builder")).toBe("statefulset/builder");
  });
});

describe("the registry's objects", () => {
  test("its claim: ReadWriteOnce, the configured class and size, in the registry's namespace", () => {
    const claim = plain(registryClaimArgs(registryContext({ storageClassName: "standard", registryStorageSize: "80Gi" })));
    expect(claim.metadata).toMatchObject({ name: "registry-data", namespace: "reg-ns" });
    expect(claim.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "80Gi" } } });
    expect(plain(registryClaimArgs(registryContext())).spec.storageClassName).toBeUndefined();
  });

  test("one pod at a time (its claim mounts on one node), on that claim, with the config Secret of the moment", () => {
    const deployment = plain(registryDeploymentArgs(registryContext()));
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    const volumes = deployment.spec.template.spec.volumes;
    expect(volumes.find((entry: any) => entry.persistentVolumeClaim).persistentVolumeClaim.claimName).toBe("registry-data");
    expect(volumes.find((entry: any) => entry.secret).secret.secretName).toBe("registry-config-abc");
  });

  test("its Service: the registry's alias on port 5000, to the container's port; named https when it serves TLS", () => {
    const service = plain(registryServiceArgs(registryContext()));
    const container = plain(registryDeploymentArgs(registryContext())).spec.template.spec.containers[0];
    expect(service.metadata).toMatchObject({ name: "registry", namespace: "reg-ns" });
    expect(service.spec.type).toBe("ClusterIP");
    const [port] = service.spec.ports;
    expect(port).toMatchObject({ port: 5000, protocol: "TCP", name: "http" });
    expect(container.ports.map((entry: any) => entry.name)).toContain(port.targetPort);
    expect(plain(registryServiceArgs(registryContext({ registryTls: { secretName: "tls" } }))).spec.ports[0].name).toBe("https");
    expect(registryClusterAddress("registry", "reg-ns")).toBe("registry.reg-ns.svc:5000");
  });

  test("its config Secret: immutable, named by the provider, every value a Pulumi secret", async () => {
    const secret = registryConfigSecretArgs("prod", "reg-ns", { "config.yml": "version: 0.1\n", htpasswd: "u:$2y$..." });
    expect(secret.immutable).toBe(true);
    expect((secret.metadata as any).name).toBeUndefined();
    expect((secret.metadata as any).namespace).toBe("reg-ns");
    for (const value of Object.values(secret.stringData as Record<string, pulumi.Output<string>>)) expect(await (value as any).isSecret).toBe(true);
  });

  test("namespaces: dind-stack-<stack>-registry and -runners, unless configured", () => {
    expect(namespaceNames("prod", {})).toEqual({ registry: "dind-stack-prod-registry", runners: "dind-stack-prod-runners" });
    expect(namespaceNames("prod", { runners: "ci" })).toEqual({ registry: "dind-stack-prod-registry", runners: "ci" });
  });
});

describe("the registry pod", () => {
  const spec = (kubernetes = {}, registry = settings().registry) => plain(registryPodSpec(registry, kubernetesSettings(kubernetes), { claim: "data", configSecret: "config" }));
  const registry = (kubernetes = {}, registrySettings = settings().registry) => spec(kubernetes, registrySettings).containers[0];

  test("runs as uid 1000, read-only root, no capabilities, on its data volume, with a bounded /tmp", () => {
    const pod = spec();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(registry().securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(registry().volumeMounts.find((mount: any) => mount.name === "data").mountPath).toBe("/var/lib/registry");
    expect(pod.volumes.find((entry: any) => entry.name === "tmp").emptyDir.sizeLimit).toBeDefined();
    expect(pod).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false });
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
  });

  test("readiness: GET /v2/ without auth; the registry's own check (200 or 401) with auth; over https with TLS", () => {
    expect(registry().readinessProbe.httpGet).toEqual({ path: "/v2/", port: "http" });
    const authed = registry({}, dindSettings({ registry: { auth: { username: "ci" } }, registryPassword: "pw-1234567890" }).registry);
    expect(authed.readinessProbe.httpGet).toBeUndefined();
    expect(authed.readinessProbe.exec.command.join(" ")).toMatch(/http:\/\/127\.0\.0\.1:5000\/v2\/.*(200\|401|401)/);
    const tls = registry({ registryTls: { secretName: "registry-tls" } });
    expect(tls.readinessProbe.exec.command.join(" ")).toMatch(/--no-check-certificate .*https:\/\/127\.0\.0\.1:5000\/v2\//);
    expect(tls.volumeMounts.find((mount: any) => mount.name === "tls")).toMatchObject({ readOnly: true });
    expect(spec({ registryTls: { secretName: "registry-tls" } }).volumes.find((entry: any) => entry.name === "tls").secret.secretName).toBe("registry-tls");
    expect(registry().volumeMounts.find((mount: any) => mount.name === "tls")).toBeUndefined();
  });

  test("liveness passes while garbage-collect runs (the marker exists) and follows the registry's check otherwise", () => {
    const command = registry().livenessProbe.exec.command as string[];
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-liveness-"));
    fs.writeFileSync(path.join(bin, "wget"), "#!/bin/sh\necho 'HTTP/1.1 503 Service Unavailable' >&2\nexit 1\n", { mode: 0o755 });
    const marker = command.join(" ").match(/\[ -e (\S+) \]/)![1];
    const probe = () => {
      try {
        execFileSync(command[0], command.slice(1), { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: "ignore" });
        return "passes";
      } catch {
        return "fails";
      }
    };
    const existed = fs.existsSync(marker);
    try {
      if (!existed) expect(probe()).toBe("fails");
      fs.writeFileSync(marker, "");
      expect(probe()).toBe("passes");
    } finally {
      if (!existed) fs.rmSync(marker, { force: true });
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  test("the main process is the collection script under sh, with its arguments in the order it reads them", () => {
    const command = registry({ registryGarbageCollect: { intervalHours: 6, deleteUntagged: false } }).command as string[];
    const seen = execFileSync(command[0], [command[1], 'echo "$0|$1|$2|$3|$4"', ...command.slice(3)], { encoding: "utf8" }).trim();
    const configDir = registry().volumeMounts.find((mount: any) => mount.name === "config").mountPath;
    const marker = registry().livenessProbe.exec.command.join(" ").match(/\[ -e (\S+) \]/)![1];
    expect(seen).toBe(`registry-gc|${configDir}/config.yml|21600|false|${marker}`);
  });

  test("garbage-collect on the configured schedule, untagged manifests as configured", () => {
    const configDir = registry().volumeMounts.find((mount: any) => mount.name === "config").mountPath;
    const args = (gc: { intervalHours: number; deleteUntagged: boolean }) => registry({ registryGarbageCollect: gc }).command.slice(-4, -1);
    expect(args({ intervalHours: 6, deleteUntagged: false })).toEqual([`${configDir}/config.yml`, "21600", "false"]);
    expect(args({ intervalHours: 24, deleteUntagged: true })).toEqual([`${configDir}/config.yml`, "86400", "true"]);
  });

  test("the registry's placement is its own", () => {
    const none = { nodeSelector: {}, tolerations: [], nodeAffinity: [] };
    const placed = spec({ placement: { registry: { ...none, nodeSelector: { infra: "true" } }, runners: { ...none, nodeSelector: { pool: "builds" } } } });
    expect(placed.nodeSelector).toEqual({ "kubernetes.io/os": "linux", infra: "true" });
  });
});
