// The config rules of a real cluster: images the nodes cannot pull, storage bounds, placement the
// API server would refuse, registry TLS, ReadWriteOncePod and the grace period. Each bad config
// gets one error naming the key, the value and what is allowed, before anything is declared.
import { onCluster, parse, problemLines, ruleContext } from "../../support/config-problems";

const UNPULLABLE_SERVICE = "it is a Service name, which only pods resolve: the kubelet pulls with the node's own DNS";
const OWN_REGISTRY =
  "the stack's own registry is a Service (the nodes do not resolve its name) and serves plain HTTP (the nodes' container runtime pulls over HTTPS)";
const PULLABLE = "allowed: an image on a registry the nodes reach by their own DNS over HTTPS (or one their container runtime is configured to trust)";

describe("images the nodes cannot pull are refused, naming the key", () => {
  test.each([
    ["the DinD image on the stack's registry by its Service name", onCluster({ dindImage: { reference: "registry.dind-stack-test-registry.svc:5000/dind:1" } }), "kubernetes.dindImage.reference", '"registry.dind-stack-test-registry.svc:5000/dind:1"', OWN_REGISTRY],
    ["the DinD image on the stack's registry by its short name", onCluster({ dindImage: { reference: "registry:5000/dind:1" } }), "kubernetes.dindImage.reference", '"registry:5000/dind:1"', OWN_REGISTRY],
    ["the DinD image on the stack's registry by <alias>.<namespace>", onCluster({ dindImage: { reference: "registry.dind-stack-test-registry:5000/dind:1" } }), "kubernetes.dindImage.reference", '"registry.dind-stack-test-registry:5000/dind:1"', OWN_REGISTRY],
    ["a push target on the stack's registry, fully qualified", onCluster({ dindImage: { registry: "registry.dind-stack-test-registry.svc.cluster.local:5000", repository: "dind" } }), "kubernetes.dindImage.registry", '"registry.dind-stack-test-registry.svc.cluster.local:5000"', OWN_REGISTRY],
    ["a client image on another Service", onCluster({}, { workloads: { clients: [{ name: "builder" }, { name: "tools", image: "harbor.infra.svc.cluster.local/tools/ci:3" }] } }), "workloads.clients[1].image", '"harbor.infra.svc.cluster.local/tools/ci:3"', UNPULLABLE_SERVICE],
    ["the registry image on a Service in a custom cluster domain", onCluster({ clusterDomain: "corp.internal" }, { registry: { image: "mirror.tools.corp.internal/library/registry:2" } }), "registry.image", '"mirror.tools.corp.internal/library/registry:2"', UNPULLABLE_SERVICE],
  ])("%s", (_title, config, key, value, reason) => {
    expect(problemLines(config)).toEqual([`dind-stack:${key}: got ${value}, which the nodes cannot pull: ${reason}; ${PULLABLE}`]);
  });

  test("images on ordinary registries, a mirror pinned by digest and Docker Hub names pass; on a Docker host nothing is checked", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const settings = parse(
      onCluster({ dindImage: { reference: "registry.example.com/platform/dind:25.0.5" } }, { registry: { image: `mirror.example.com:5443/library/registry@${digest}` }, workloads: { clients: [{ name: "b", image: "docker:25-cli" }] } }),
    );
    expect(settings.registry.image).toBe(`mirror.example.com:5443/library/registry@${digest}`);
    expect(() => parse({ workloads: { clients: [{ name: "b", image: "registry.ns.svc:5000/tools:1" }] } })).not.toThrow();
  });
});

describe("storage bounds", () => {
  test("with the cache on an emptyDir, a daemon ephemeral-storage limit not above the cache's size is refused", () => {
    expect(problemLines(onCluster({ dindCache: "emptyDir", dataVolumeSize: "20Gi", resources: { daemon: { limits: { ephemeralStorage: "20Gi" } } } }))).toEqual([
      'dind-stack:kubernetes.resources.daemon.limits.ephemeralStorage: got "20Gi", not above dind-stack:kubernetes.dataVolumeSize "20Gi"; allowed: more than the DinD cache\'s size with dindCache emptyDir (the cache counts as the pod\'s ephemeral storage, and the pod is evicted above the limit)',
    ]);
  });

  test("a build cache bound not below the cache's size is refused", () => {
    expect(problemLines(onCluster({ dataVolumeSize: "10Gi", dindStorage: { buildCacheKeepStorage: "12Gi" } }))).toEqual([
      'dind-stack:kubernetes.dindStorage.buildCacheKeepStorage: got "12Gi", not below dind-stack:kubernetes.dataVolumeSize "10Gi"; allowed: less than the DinD cache\'s size, which also holds images and containers',
    ]);
  });

  test("an ephemeral-storage request above its limit is refused like cpu and memory", () => {
    expect(problemLines(onCluster({ resources: { runner: { requests: { ephemeralStorage: "3Gi" } } } }))).toEqual([
      'dind-stack:kubernetes.resources.runner.requests.ephemeralStorage: got "3Gi", above the limit "2Gi"; allowed: at most the limit (the API server refuses the pod otherwise)',
    ]);
  });

  test("a daemon ephemeral-storage request above its default limit (the cache's size plus 2Gi) is refused too", () => {
    expect(problemLines(onCluster({ dindCache: "emptyDir", dataVolumeSize: "20Gi", resources: { daemon: { requests: { ephemeralStorage: "30Gi" } } } }))).toEqual([
      'dind-stack:kubernetes.resources.daemon.requests.ephemeralStorage: got "30Gi", above the limit "22Gi"; allowed: at most the limit (the API server refuses the pod otherwise)',
    ]);
  });

  test("a grace period too short for dockerd and its containers is refused", () => {
    expect(problemLines(onCluster({ terminationGracePeriodSeconds: 30 }))).toEqual(["dind-stack:kubernetes.terminationGracePeriodSeconds: got 30; allowed: an integer from 45 to 3600"]);
  });
});

describe("placement the API server would refuse", () => {
  test.each([
    ["In without values", { nodeAffinity: [{ key: "zone", operator: "In" }] }, "kubernetes.placement.runners.nodeAffinity[0].values: missing with operator In; allowed: at least one value"],
    ["Exists with values", { nodeAffinity: [{ key: "gpu", operator: "Exists", values: ["x"] }] }, 'kubernetes.placement.runners.nodeAffinity[0].values: got ["x"] with operator Exists; allowed: no values'],
    ["Gt with a word", { nodeAffinity: [{ key: "cores", operator: "Gt", values: ["many"] }] }, 'kubernetes.placement.runners.nodeAffinity[0].values: got ["many"] with operator Gt; allowed: exactly one integer'],
    ["Exists with a value", { tolerations: [{ key: "builds", operator: "Exists", value: "yes" }] }, 'kubernetes.placement.runners.tolerations[0].value: got "yes" with operator Exists; allowed: no value (Exists matches any)'],
    ["Equal without a key", { tolerations: [{ value: "yes" }] }, "kubernetes.placement.runners.tolerations[0].key: missing with operator Equal; allowed: a taint key, or operator Exists to tolerate every taint"],
    ["tolerationSeconds without NoExecute", { tolerations: [{ key: "spot", effect: "NoSchedule", tolerationSeconds: 60 }] }, 'kubernetes.placement.runners.tolerations[0].tolerationSeconds: got 60 with effect "NoSchedule"; allowed: only with effect NoExecute'],
    ["a label key with a space", { nodeSelector: { "node role": "builds" } }, 'kubernetes.placement.runners.nodeSelector.node role: got key "node role"; allowed: a Kubernetes label key such as "node-role.example.com/builds" or "kubernetes.io/hostname"'],
  ])("%s", (_title, runners, line) => {
    expect(problemLines(onCluster({ placement: { runners } }))).toEqual([`dind-stack:${line}`]);
  });
});

describe("versions and modes", () => {
  test("ReadWriteOncePod cache claims on a cluster older than 1.29 are refused; ReadWriteOnce passes", () => {
    expect(problemLines(onCluster({ clusterVersion: "1.28", sidecar: "classic", dindCache: "volumeClaim" }))).toEqual([
      'dind-stack:kubernetes.dindCacheAccessMode: got "ReadWriteOncePod" with dind-stack:kubernetes.clusterVersion "1.28"; allowed: "ReadWriteOnce" on clusters older than 1.29 (ReadWriteOncePod is GA in 1.29)',
    ]);
    expect(() => parse(onCluster({ clusterVersion: "1.28", sidecar: "classic", dindCache: "volumeClaim", dindCacheAccessMode: "ReadWriteOnce" }))).not.toThrow();
  });

  test("registry TLS in mode dood is refused", () => {
    const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    expect(problemLines(onCluster({ nodeCidrs: ["10.0.0.0/16"], registryTls: { secretName: "registry-tls", caCertificate: ca } }, { mode: "dood", workloads: { allowDood: true } }))).toEqual([
      "dind-stack:kubernetes.registryTls: got a TLS secret with mode dood; allowed: only with mode dind (in mode dood the nodes' Docker Engine pushes, and trusting the CA there is the nodes' configuration, not the stack's)",
    ]);
  });

  test("a prebuilt reference may name a user for the nodes' pull, with its password as a secret", () => {
    const config = onCluster({ dindImage: { reference: "registry.example.com/platform/dind:25.0.5", username: "puller" } }, { dindImagePassword: "puller-password-1" });
    expect(parse(config, ruleContext([], ["registryPassword", "dindImagePassword"])).kubernetes.dindImage).toEqual({ reference: "registry.example.com/platform/dind:25.0.5", username: "puller" });
    expect(problemLines(onCluster({ dindImage: { reference: "registry.example.com/platform/dind:25.0.5", username: "puller" } }))).toEqual([
      "dind-stack:dindImagePassword: missing; allowed: a secret of 8 to 72 bytes, required because dind-stack:kubernetes.dindImage.username is set",
    ]);
  });
});
