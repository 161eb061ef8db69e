// What a cluster operator reviews before admitting the prod stack to a real cluster: where its
// pods may run, what they may reach, what they reserve and may use at most, how they stop, what
// keeps their storage bounded, and how the registry is named and secured. Each default and each
// setting is checked on the objects the program renders.
import { runProgram, ProgramRun, RecordedResource } from "../../support/run-program";
import { egressAllowed } from "../../support/network-policy";
import { K8S, namespaceLabels, podTemplates, selects } from "../../support/kubernetes-objects";
import { named } from "../../support/resource-queries";
import { deployableStack, withOverrides } from "../../support/stack-config";
import { doodStack } from "../../support/kubernetes-fixtures";
import { quantityValue } from "../../../components/kubernetes/quantity";

const RUNNERS_NS = "dind-stack-prod-runners";
const REGISTRY_NS = "dind-stack-prod-registry";
const CA = "-----BEGIN CERTIFICATE-----\nMIIBdummyCAcertificate0123456789abcdef==\n-----END CERTIFICATE-----\n";

/** The prod stack with these config changes (the DinD image's pull password may be among them). */
function prod(overrides: Record<string, unknown> = {}): Promise<ProgramRun> {
  const { config, secretKeys } = deployableStack("prod");
  return runProgram("prod", withOverrides(config, overrides), [...secretKeys, "dind-stack:dindImagePassword"]);
}

const inputs = (run: ProgramRun, name: string) => named(run.resources, name).inputs;
const runnerPod = (run: ProgramRun) => inputs(run, "prod-runners-runner").spec.template.spec;
const registryPod = (run: ProgramRun) => inputs(run, "prod-registry-deployment").spec.template.spec;
const daemonJson = (run: ProgramRun) => JSON.parse(inputs(run, "prod-runners-daemon-json").data["daemon.json"]);
const containersOf = (spec: Record<string, any>) => [...(spec.initContainers ?? []), ...spec.containers];

/**
 * What a limits-required admission policy refuses in a pod: a container (init containers
 * included) without cpu and memory requests and limits, the union of Gatekeeper's
 * k8srequiredresources and Kyverno's require-requests-limits samples; and, for this stack, one
 * without an ephemeral-storage request.
 */
function limitsRequiredViolations(spec: Record<string, any>): string[] {
  return containersOf(spec).flatMap((container) =>
    [
      ...["cpu", "memory", "ephemeral-storage"].map((name) => (container.resources?.requests?.[name] ? undefined : `${container.name}: no requests.${name}`)),
      ...["cpu", "memory"].map((name) => (container.resources?.limits?.[name] ? undefined : `${container.name}: no limits.${name}`)),
    ].filter((text): text is string => text !== undefined),
  );
}

describe("the prod stack as a cluster operator reviews it", () => {
  let run: ProgramRun;

  beforeAll(async () => {
    run = await prod();
  });

  test("placement: runners only on Linux nodes of the DinD image's architecture, the registry on Linux nodes; an aarch64 image moves the runners to arm64 nodes", async () => {
    expect(runnerPod(run).nodeSelector).toEqual({ "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" });
    expect(registryPod(run).nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    expect(runnerPod(run).tolerations).toBeUndefined();
    expect(runnerPod(run).affinity).toBeUndefined();
    const arm = await prod({ "dind-stack:dindImage": { arch: "aarch64", sha256: "e".repeat(64) } });
    expect(runnerPod(arm).nodeSelector).toEqual({ "kubernetes.io/os": "linux", "kubernetes.io/arch": "arm64" });
  });

  test("placement per role: node labels, tolerations and required node affinity as configured", async () => {
    const placed = await prod({
      "dind-stack:kubernetes": {
        placement: {
          registry: { nodeSelector: { "node-role.example.com/infra": "true" } },
          runners: {
            nodeSelector: { "node-role.example.com/builds": "true" },
            tolerations: [{ key: "builds", operator: "Exists", effect: "NoSchedule" }],
            nodeAffinity: [
              { key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] },
              { key: "example.com/spot", operator: "DoesNotExist" },
            ],
          },
        },
      },
    });
    expect(registryPod(placed)).toMatchObject({ nodeSelector: { "kubernetes.io/os": "linux", "node-role.example.com/infra": "true" } });
    expect(registryPod(placed).tolerations).toBeUndefined();
    expect(runnerPod(placed)).toMatchObject({
      nodeSelector: { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node-role.example.com/builds": "true" },
      tolerations: [{ key: "builds", operator: "Exists", effect: "NoSchedule" }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] },
                  { key: "example.com/spot", operator: "DoesNotExist" },
                ],
              },
            ],
          },
        },
      },
    });
  });

  test("egress: a runner pod cannot reach the cloud's metadata endpoints, and DNS (cluster DNS and a node-local cache) and the registry still work", () => {
    const policies = run.resources.filter((resource) => resource.type === K8S.networkPolicy && resource.inputs.metadata.namespace === RUNNERS_NS).map((resource) => resource.inputs.spec);
    const runner = inputs(run, "prod-runners-runner").spec.template.metadata.labels;
    const registry = { namespaceLabels: namespaceLabels(run.resources, REGISTRY_NS), labels: inputs(run, "prod-registry-deployment").spec.template.metadata.labels };
    const kubeDns = { namespaceLabels: { "kubernetes.io/metadata.name": "kube-system" }, labels: { "k8s-app": "kube-dns" } };
    const allowed = (ip: string, port: number, protocol: "TCP" | "UDP" = "TCP", pod?: typeof registry) => egressAllowed(policies, runner, { ip, port, protocol, pod });
    expect(allowed("169.254.169.254", 80)).toBe(false);
    expect(allowed("169.254.170.2", 80)).toBe(false);
    expect(allowed("fd00:ec2::254", 80)).toBe(false);
    expect(allowed("fe80::1", 443)).toBe(false);
    expect(allowed("10.244.0.10", 53, "UDP", kubeDns)).toBe(true);
    expect(allowed("10.244.0.10", 53, "TCP", kubeDns)).toBe(true);
    expect(allowed("169.254.20.10", 53, "UDP")).toBe(true);
    expect(allowed("10.244.3.7", 5000, "TCP", registry)).toBe(true);
    expect(allowed("151.101.0.223", 443)).toBe(true);
    expect(allowed("2a04:4e42::223", 443)).toBe(true);
  });

  test("resources: every container of every pod has cpu and memory requests and limits and an ephemeral-storage request, so a limits-required admission policy admits them", async () => {
    const dood = await runProgram("prod-dood", doodStack().config, deployableStack("prod").secretKeys);
    const classic = await prod({ "dind-stack:kubernetes": { sidecar: "classic", dindCache: "emptyDir" } });
    for (const each of [run, dood, classic]) {
      for (const pod of podTemplates(each.resources)) expect({ [pod.workload]: limitsRequiredViolations(pod.spec) }).toEqual({ [pod.workload]: [] });
    }
    // And a container without a limit would be refused: the check can fail.
    expect(limitsRequiredViolations({ containers: [{ name: "bare", resources: { requests: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" } } }] })).toEqual(["bare: no limits.cpu", "bare: no limits.memory"]);
  });

  test("with the cache on an emptyDir, it has a sizeLimit and the daemon's ephemeral-storage limit is above it; on a claim, the daemon's limit covers its own files only", async () => {
    const emptyDir = await prod({ "dind-stack:kubernetes": { dindCache: "emptyDir", dataVolumeSize: "25Gi" } });
    const spec = runnerPod(emptyDir);
    expect(spec.volumes.find((volume: any) => volume.name === "docker-data")).toEqual({ name: "docker-data", emptyDir: { sizeLimit: "25Gi" } });
    const daemon = spec.initContainers.find((container: any) => container.name === "dind");
    expect(daemon.resources.limits["ephemeral-storage"]).toBe("27Gi");
    const podLimit = containersOf(spec).reduce((sum, container) => sum + quantityValue(container.resources.limits["ephemeral-storage"]), 0);
    expect(podLimit).toBeGreaterThan(quantityValue("25Gi"));
    expect(runnerPod(run).initContainers[0].resources.limits["ephemeral-storage"]).toBe("2Gi");
    // Every other emptyDir is bounded too.
    for (const pod of podTemplates(emptyDir.resources)) for (const volume of pod.spec.volumes ?? []) if (volume.emptyDir) expect(volume.emptyDir.sizeLimit).toBeDefined();
  });

  test("MTU: the daemons are told the configured MTU (1400 by default), which the entrypoint lowers to eth0's; daemon.json carries none", async () => {
    const env = (each: ProgramRun) => runnerPod(each).initContainers[0].env;
    expect(env(run)).toContainEqual({ name: "DIND_MTU", value: "1400" });
    expect(daemonJson(run).mtu).toBeUndefined();
    expect(env(await prod({ "dind-stack:daemon": { mtu: 1300 } }))).toContainEqual({ name: "DIND_MTU", value: "1300" });
  });

  test("termination: a grace period for dockerd, a shutdown-timeout 30 s shorter; native: the daemon is a sidecar, which stops after the job container; classic: its stop waits in a preStop hook", async () => {
    expect(runnerPod(run).terminationGracePeriodSeconds).toBe(120);
    expect(daemonJson(run)["shutdown-timeout"]).toBe(90);
    expect(runnerPod(run).initContainers.map((container: any) => [container.name, container.restartPolicy])).toEqual([
      ["dind", "Always"],
      ["prune", "Always"],
    ]);
    expect(runnerPod(run).initContainers[0].lifecycle).toBeUndefined();
    const classic = await prod({ "dind-stack:kubernetes": { sidecar: "classic", terminationGracePeriodSeconds: 300 } });
    expect(runnerPod(classic).terminationGracePeriodSeconds).toBe(300);
    expect(daemonJson(classic)["shutdown-timeout"]).toBe(270);
    expect(runnerPod(classic).containers.map((container: any) => container.name)).toEqual(["dind", "prune", "job"]);
    expect(runnerPod(classic).containers[0].lifecycle).toEqual({ preStop: { exec: { command: ["sleep", "10"] } } });
  });

  test("storage that does not grow forever: builder GC and an image prune container per daemon; the registry's garbage collection on schedule", async () => {
    expect(daemonJson(run).builder).toEqual({ gc: { enabled: true, defaultKeepStorage: "10Gi" } });
    const prune = runnerPod(run).initContainers[1];
    expect(prune).toMatchObject({ name: "prune", image: runnerPod(run).initContainers[0].image, securityContext: { allowPrivilegeEscalation: false } });
    const loop = prune.command.at(-1);
    expect(loop).toContain("docker image prune --all --force --filter until=168h");
    expect(loop).toContain("sleep 3600");
    expect(prune.env).toContainEqual({ name: "DOCKER_HOST", value: "tcp://localhost:2376" });
    expect(prune.volumeMounts).toEqual([{ name: "docker-certs", mountPath: "/certs/client", readOnly: true }]);
    const tuned = await prod({
      "dind-stack:kubernetes": { dindStorage: { buildCacheKeepStorage: "5Gi", imagePruneAfterHours: 24, imagePruneIntervalMinutes: 15 }, registryGarbageCollect: { intervalHours: 6, deleteUntagged: false } },
    });
    expect(daemonJson(tuned).builder.gc.defaultKeepStorage).toBe("5Gi");
    expect(runnerPod(tuned).initContainers[1].command.at(-1)).toMatch(/until=24h[\s\S]*sleep 900/);
    expect(registryPod(tuned).containers[0].command.slice(3)).toEqual(["registry-gc", "/etc/dind-stack/registry/config.yml", "21600", "false", "/tmp/registry-gc.running"]);
    // DooD: the nodes' daemons are not the stack's to prune.
    const dood = await runProgram("prod-dood", doodStack().config, deployableStack("prod").secretKeys);
    expect(podTemplates(dood.resources).find((pod) => pod.workload === "runner")!.spec.containers.map((container: any) => container.name)).toEqual(["job"]);
  });

  test("disruptions: a PodDisruptionBudget per client group (none may be evicted by default) and the autoscalers' do-not-evict annotations", async () => {
    const budget = inputs(run, "prod-runners-runner-disruption");
    expect(budget.spec.maxUnavailable).toBe(0);
    expect(selects(budget.spec.selector.matchLabels, inputs(run, "prod-runners-runner").spec.template.metadata.labels)).toBe(true);
    expect(selects(budget.spec.selector.matchLabels, inputs(run, "prod-registry-deployment").spec.template.metadata.labels)).toBe(false);
    expect(inputs(run, "prod-runners-runner").spec.template.metadata.annotations).toMatchObject({
      "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
      "karpenter.sh/do-not-disrupt": "true",
    });
    const one = await prod({ "dind-stack:kubernetes": { runnerDisruption: { maxUnavailable: 1 } } });
    expect(inputs(one, "prod-runners-runner-disruption").spec.maxUnavailable).toBe(1);
  });

  test("the StatefulSet names its headless Service, which selects its pods; its claims are ReadWriteOncePod unless configured otherwise", async () => {
    const set = inputs(run, "prod-runners-runner").spec;
    const service = inputs(run, "prod-runners-runner-pods");
    expect(set.serviceName).toBe(service.metadata.name);
    expect(service.spec.clusterIP).toBe("None");
    expect(selects(service.spec.selector, set.template.metadata.labels)).toBe(true);
    expect(set.volumeClaimTemplates[0].spec.accessModes).toEqual(["ReadWriteOncePod"]);
    const rwo = await prod({ "dind-stack:kubernetes": { dindCacheAccessMode: "ReadWriteOnce" } });
    expect(inputs(rwo, "prod-runners-runner").spec.volumeClaimTemplates[0].spec.accessModes).toEqual(["ReadWriteOnce"]);
  });

  test("Pod Security's policy version is pinned to the cluster's minor; without a known version it is latest", async () => {
    for (const name of ["prod-registry-namespace", "prod-runners-namespace"]) {
      expect(inputs(run, name).metadata.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce-version": "v1.30",
        "pod-security.kubernetes.io/audit-version": "v1.30",
        "pod-security.kubernetes.io/warn-version": "v1.30",
      });
    }
    const { config, secretKeys } = deployableStack("prod");
    const kubernetes = JSON.parse(config["dind-stack:kubernetes"]);
    delete kubernetes.clusterVersion;
    const unknown = await runProgram("prod", { ...config, "dind-stack:kubernetes": JSON.stringify(kubernetes) }, secretKeys);
    expect(inputs(unknown, "prod-runners-namespace").metadata.labels["pod-security.kubernetes.io/enforce-version"]).toBe("latest");
  });

  test("the daemons reach the registry under every name of its Service: insecure over HTTP by default; with registry TLS, none is insecure and the CA is trusted under each", async () => {
    const names = ["registry.dind-stack-prod-registry.svc:5000", "registry.dind-stack-prod-registry:5000", "registry.dind-stack-prod-registry.svc.cluster.local:5000"];
    // Written as http://host:port, which BuildKit needs to reach a plain-HTTP host:port registry (plainHttpEntry).
    expect(daemonJson(run)["insecure-registries"]).toEqual(names.map((name) => `http://${name}`));
    const tls = await prod({ "dind-stack:kubernetes": { registryTls: { secretName: "registry-tls", caCertificate: CA }, clusterDomain: "corp.internal" } });
    const tlsNames = [...names.slice(0, 2), "registry.dind-stack-prod-registry.svc.corp.internal:5000"];
    expect(daemonJson(tls)["insecure-registries"]).toEqual([]);
    expect(inputs(tls, "prod-runners-registry-ca").data).toEqual({ "ca.crt": CA });
    expect(runnerPod(tls).volumes).toContainEqual({ name: "registry-ca", configMap: { name: "registry-ca", items: tlsNames.map((name) => ({ key: "ca.crt", path: `${name}/ca.crt` })) } });
    expect(runnerPod(tls).initContainers[0].volumeMounts).toContainEqual({ name: "registry-ca", mountPath: "/etc/docker/certs.d", readOnly: true });
    const registry = registryPod(tls);
    expect(JSON.parse(inputs(tls, "prod-registry-config").stringData["config.yml"]).http.tls).toEqual({ certificate: "/etc/dind-stack/registry-tls/tls.crt", key: "/etc/dind-stack/registry-tls/tls.key" });
    expect(registry.volumes).toContainEqual({ name: "tls", secret: { secretName: "registry-tls", defaultMode: 0o440 } });
    expect(registry.containers[0].readinessProbe.exec.command[2]).toContain("wget --no-check-certificate -S -O /dev/null https://127.0.0.1:5000/v2/");
  });

  test("a private prebuilt DinD image gets an image pull Secret for its registry; the registry image may be a mirror pinned by digest", async () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const prebuilt = await prod({
      "dind-stack:kubernetes": { dindImage: { reference: "registry.example.com/platform/dind:25.0.5", username: "puller" } },
      "dind-stack:dindImagePassword": "puller-password-1",
      "dind-stack:registry": { image: `mirror.example.com/library/registry@${digest}` },
    });
    const pull = named(prebuilt.resources, "prod-runners-image-pull");
    expect(pull.inputs.type).toBe("kubernetes.io/dockerconfigjson");
    expect(JSON.parse(pull.inputs.stringData[".dockerconfigjson"]).auths["registry.example.com"].auth).toBe(Buffer.from("puller:puller-password-1").toString("base64"));
    expect(pull.secretPaths).toEqual(["stringData"]);
    expect(runnerPod(prebuilt).imagePullSecrets).toEqual([{ name: "dind-image-pull" }]);
    expect(registryPod(prebuilt).containers[0].image).toBe(`mirror.example.com/library/registry@${digest}`);
    expect(prebuilt.resources.some((resource: RecordedResource) => resource.type.startsWith("docker:"))).toBe(false);
  });
});
