// The cluster rules at their edges: which neighbouring configs pass and which are refused, each
// refusal named by its key (the messages themselves are checked in cluster-rules.test.ts).
import { onCluster, parse, problemLines, ruleContext } from "../../support/config-problems";

/** The keys (without namespace) a config is refused for; [] when it parses. */
function refusedKeys(config: Record<string, unknown>, secrets?: string[]): string[] {
  const context = secrets ? ruleContext([], secrets) : ruleContext();
  try {
    parse(config, context);
    return [];
  } catch {
    return problemLines(config, context).map((line) => line.slice(0, line.indexOf(": ")).replace(/^dind-stack:/, ""));
  }
}

describe("where the runners' image comes from", () => {
  test.each([
    ["no dindImage at all", { dindImage: undefined }, ["kubernetes.dindImage"]],
    ["an empty dindImage", { dindImage: {} }, ["kubernetes.dindImage"]],
    ["a registry without a repository", { dindImage: { registry: "registry.example.com" } }, ["kubernetes.dindImage.repository"]],
    ["a repository without a registry", { dindImage: { repository: "platform/dind" } }, ["kubernetes.dindImage.registry"]],
    ["a reference and a push target", { dindImage: { reference: "registry.example.com/dind:1", registry: "registry.example.com", repository: "dind" } }, ["kubernetes.dindImage.reference"]],
    ["a registry and a repository", { dindImage: { registry: "registry.example.com", repository: "platform/dind" } }, []],
  ])("%s", (_title, kubernetes, keys) => {
    expect(refusedKeys(onCluster(kubernetes))).toEqual(keys);
  });

  test("a pull password without a user is refused; on a Docker host the runners' image is refused as a whole, its halves unchecked", () => {
    expect(refusedKeys(onCluster({}, { dindImagePassword: "puller-password-1" }), ["registryPassword", "dindImagePassword"])).toEqual(["dindImagePassword"]);
    expect(refusedKeys({ kubernetes: { dindImage: { registry: "registry.example.com" } } })).toEqual(["kubernetes.dindImage"]);
  });
});

describe("versions", () => {
  test("native sidecars are refused below 1.29 only", () => {
    expect(refusedKeys(onCluster({ clusterVersion: "1.28", sidecar: "native", dindCacheAccessMode: "ReadWriteOnce" }))).toEqual(["kubernetes.sidecar"]);
    expect(refusedKeys(onCluster({ clusterVersion: "1.29", sidecar: "native", dindCache: "volumeClaim", dindCacheAccessMode: "ReadWriteOncePod" }))).toEqual([]);
    expect(refusedKeys(onCluster({ sidecar: "native" }))).toEqual([]);
  });

  test("a ReadWriteOncePod access mode below 1.29 matters only for a DinD cache claim", () => {
    expect(refusedKeys(onCluster({ clusterVersion: "1.28", sidecar: "classic", dindCache: "emptyDir", dataVolumeSize: "10Gi", dindStorage: { buildCacheKeepStorage: "5Gi" }, dindCacheAccessMode: "ReadWriteOncePod" }))).toEqual([]);
    const dood = { mode: "dood", workloads: { allowDood: true } };
    expect(refusedKeys(onCluster({ clusterVersion: "1.28", sidecar: "classic", dindCache: "volumeClaim", nodeCidrs: ["10.0.0.0/16"] }, dood))).toEqual([]);
  });
});

describe("namespaces", () => {
  test("a default name longer than a DNS label is refused; 63 characters pass", () => {
    expect(refusedKeys(onCluster({ namespaces: { runners: "r".repeat(64), registry: "dind-stack-registry" } }))).toEqual(["kubernetes.namespaces.runners"]);
    expect(refusedKeys(onCluster({ namespaces: { runners: "r".repeat(63), registry: "dind-stack-registry" } }))).toEqual([]);
  });
});

describe("storage bounds", () => {
  test("a build cache bound just below the cache's size passes, and equal to it is refused", () => {
    expect(refusedKeys(onCluster({ dataVolumeSize: "10Gi", dindStorage: { buildCacheKeepStorage: "9Gi" } }))).toEqual([]);
    expect(refusedKeys(onCluster({ dataVolumeSize: "10Gi", dindStorage: { buildCacheKeepStorage: "10Gi" } }))).toEqual(["kubernetes.dindStorage.buildCacheKeepStorage"]);
  });

  test("a daemon limit above the cache's size passes; with the cache on a claim the limit is not compared", () => {
    expect(refusedKeys(onCluster({ dindCache: "emptyDir", dataVolumeSize: "20Gi", resources: { daemon: { limits: { ephemeralStorage: "21Gi" } } } }))).toEqual([]);
    expect(refusedKeys(onCluster({ dindCache: "volumeClaim", dataVolumeSize: "20Gi", resources: { daemon: { limits: { ephemeralStorage: "19Gi" } } } }))).toEqual([]);
  });

  test("a request equal to its limit passes", () => {
    expect(refusedKeys(onCluster({ resources: { runner: { requests: { ephemeralStorage: "2Gi" } } } }))).toEqual([]);
  });
});

describe("node affinity", () => {
  const affinity = (operator: string, values?: string[]) => refusedKeys(onCluster({ placement: { runners: { nodeAffinity: [{ key: "k", operator, ...(values ? { values } : {}) }] } } }));
  const VALUES = ["kubernetes.placement.runners.nodeAffinity[0].values"];

  test.each([
    ["NotIn", undefined, VALUES],
    ["In", ["a"], []],
    ["NotIn", ["a", "b"], []],
    ["DoesNotExist", ["a"], VALUES],
    ["Exists", undefined, []],
    ["Gt", ["12"], []],
    ["Lt", ["3"], []],
    ["Lt", undefined, VALUES],
    ["Gt", ["1", "2"], VALUES],
    ["Gt", ["12a"], VALUES],
    ["Lt", ["a12"], VALUES],
    ["Gt", ["1.5"], VALUES],
  ])("%s with %j", (operator, values, keys) => {
    expect(affinity(operator, values)).toEqual(keys);
  });

  test("the registry's placement is checked as the runners' is", () => {
    expect(refusedKeys(onCluster({ placement: { registry: { nodeAffinity: [{ key: "k", operator: "In" }] } } }))).toEqual(["kubernetes.placement.registry.nodeAffinity[0].values"]);
  });
});
