// The kubelet-like realizer maps a pod's containers to the engine API; these checks pin the
// mapping the Kubernetes engine test relies on, and that unknown fields are refused by name.
import { registryPodSpec } from "../../../components/kubernetes/registry-pod";
import { containerCreateOptions, PodRuntime } from "../../engine/support/kubelet/container-options";
import { expandReferences } from "../../engine/support/kubelet/expansion";
import { checkSchedulable } from "../../engine/support/kubelet/scheduling";
import { quantityValue } from "../../../components/kubernetes/quantity";
import { parse } from "../../support/config-problems";
import { kubernetesSettings, plainPod } from "../../support/kubernetes-fixtures";

const registryPod = () => plainPod(registryPodSpec(parse({}).registry, kubernetesSettings(), { claim: "data", configSecret: "config" })) as any;

function runtime(overrides: Partial<PodRuntime> = {}): PodRuntime {
  return {
    where: "pod ns/registry-0 container \"registry\"",
    dockerName: "k8s_registry",
    sandboxId: "sandbox",
    labels: { a: "b" },
    podSecurity: registryPod().securityContext,
    restart: "always",
    volumes: new Map([
      ["data", { type: "volume", source: "pvc-data", readOnly: false }],
      ["config", { type: "bind", source: "/pods/config", readOnly: true }],
      ["tmp", { type: "volume", source: "emptydir-tmp", readOnly: false }],
    ]),
    resolveSubPath: (source, subPath) => `${source}/..data/${subPath}`,
    ...overrides,
  };
}

describe("kubelet mapping", () => {
  test("the registry container becomes a non-root, capability-less container in the pod's namespaces", () => {
    const pod = registryPod();
    const body = containerCreateOptions(pod.containers[0], { cmd: ["/etc/dind-stack/registry/config.yml"], env: [] }, runtime());
    expect(body).toMatchObject({
      name: "k8s_registry",
      Image: "registry:2",
      Cmd: ["/etc/dind-stack/registry/config.yml"],
      User: "1000:1000",
      HostConfig: {
        NetworkMode: "container:sandbox",
        IpcMode: "container:sandbox",
        CapDrop: ["ALL"],
        GroupAdd: ["1000"],
        ReadonlyRootfs: true,
        SecurityOpt: ["no-new-privileges:true"],
        Memory: 512 * 2 ** 20,
        NanoCpus: 1e9,
        CpuShares: 102,
        Binds: ["pvc-data:/var/lib/registry:nocopy", "/pods/config:/etc/dind-stack/registry:ro", "emptydir-tmp:/tmp:nocopy"],
        RestartPolicy: { Name: "always" },
      },
    });
  });

  test("a field the harness does not realize fails by name", () => {
    const pod = registryPod();
    expect(() => containerCreateOptions({ ...pod.containers[0], tty: true }, { env: [] }, runtime())).toThrow(
      'kubelet: pod ns/registry-0 container "registry".tty is set, and the harness does not realize it',
    );
    const procMount = { ...pod.containers[0], securityContext: { ...pod.containers[0].securityContext, procMount: "Unmasked" } };
    expect(() => containerCreateOptions(procMount, { env: [] }, runtime())).toThrow('container "registry".securityContext.procMount is set');
  });

  test("a subPath is bound from the resolved file of a host-directory volume, and refused in a Docker volume", () => {
    const container = { name: "c", image: "i", volumeMounts: [{ name: "config", mountPath: "/etc/docker/daemon.json", subPath: "daemon.json" }] };
    expect(containerCreateOptions(container, { env: [] }, runtime()).HostConfig?.Binds).toEqual(["/pods/config/..data/daemon.json:/etc/docker/daemon.json:ro"]);
    const intoVolume = { name: "c", image: "i", volumeMounts: [{ name: "data", mountPath: "/x", subPath: "y" }] };
    expect(() => containerCreateOptions(intoVolume, { env: [] }, runtime())).toThrow("subPath into a Docker volume needs engine API 1.45");
  });

  test("quantities", () => {
    expect(quantityValue("500m")).toBe(0.5);
    expect(quantityValue("1Gi")).toBe(2 ** 30);
    expect(quantityValue("2")).toBe(2);
    expect(quantityValue("1e3")).toBe(1000);
    expect(quantityValue("1.5M")).toBe(1.5e6);
    // Several digits on each side of the point and in the exponent, as the API accepts them.
    expect(quantityValue("10.25Gi")).toBe(10.25 * 2 ** 30);
    expect(quantityValue(".125")).toBe(0.125);
    expect(quantityValue("1e+3")).toBe(1000);
    expect(quantityValue("25e10")).toBe(25e10);
    expect(() => quantityValue("1 GB")).toThrow('"1 GB" is not a Kubernetes quantity');
    expect(() => quantityValue("1GB")).toThrow('"1GB" is not a Kubernetes quantity');
  });

  test("the kubelet's expansion", () => {
    const variables = new Map([["A", "x"]]);
    expect(expandReferences("$(A) $(B) $$(A) $$ $ $(A", variables)).toBe("x $(B) $(A) $ $ $(A");
  });
});

describe("the harness's scheduler", () => {
  const node = { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "engine" };

  test("a pod whose node selector or required node affinity the one node does not match stays Pending, with the scheduler's message", () => {
    expect(() => checkSchedulable("pod ns/runner-0", { nodeSelector: { "kubernetes.io/arch": "arm64" } }, node)).toThrow(
      "kubelet: pod ns/runner-0 is Pending: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector",
    );
    const zone = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["a"] }] }] } } } };
    expect(() => checkSchedulable("pod ns/runner-0", zone, node)).toThrow("is Pending");
  });

  test("a matching pod is scheduled; tolerations are checked by field (the node has no taints); other kinds of affinity fail by name", () => {
    const spec = {
      nodeSelector: { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" },
      tolerations: [{ key: "builds", operator: "Exists", effect: "NoSchedule" }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "example.com/spot", operator: "DoesNotExist" }] }] } } },
    };
    expect(() => checkSchedulable("pod ns/runner-0", spec, node)).not.toThrow();
    expect(() => checkSchedulable("pod ns/runner-0", { affinity: { podAntiAffinity: {} } }, node)).toThrow("pod ns/runner-0.spec.affinity.podAntiAffinity is set, and the harness does not realize it");
  });
});
