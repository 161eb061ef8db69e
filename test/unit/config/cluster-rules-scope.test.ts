// The cluster's cross-key rules judge only what a stack uses: a Docker host stack's kubernetes keys
// are at most refused as keys of the other target, and in mode dood (no DinD cache) nothing is
// compared with the DinD cache's size.
import { onCluster, problemLinesOfStack } from "../../support/config-problems";

/** The problem lines of a config parsed for the stack `stack` (default "test"); [] when it parses. */
const problemsOf = (config: Record<string, unknown>, stack = "test") => problemLinesOfStack(stack, config);

/** The problems of a Docker host config other than "this key is for target kubernetes". */
const judgedOnDocker = (config: Record<string, unknown>, stack?: string) => problemsOf(config, stack).filter((line) => !/; allowed: .*target kubernetes/.test(line));

describe("a Docker host stack is not judged by the cluster's rules", () => {
  test.each([
    ["a cluster version older than native sidecars", { kubernetes: { clusterVersion: "1.28", sidecar: "native" } }],
    ["default as the registry's namespace", { kubernetes: { namespaces: { registry: "default" } } }],
    ["a runner request above its limit", { kubernetes: { resources: { runner: { requests: { cpu: "8" }, limits: { cpu: "2" } } } } }],
    ["a toleration with operator Exists and a value", { kubernetes: { placement: { runners: { tolerations: [{ operator: "Exists", value: "spot" }] } } } }],
    [
      "registry TLS in mode dood",
      { mode: "dood", workloads: { allowDood: true }, kubernetes: { registryTls: { secretName: "registry-tls", caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" } } },
    ],
  ])("%s", (_title, config) => {
    expect(judgedOnDocker(config)).toEqual([]);
  });

  test("a stack name too long for the default namespaces is no problem on a Docker host", () => {
    // On a cluster dind-stack-<stack>-registry would be 64 characters, one too many.
    const stack = "s".repeat(44);
    expect(problemsOf({}, stack)).toEqual([]);
    expect(problemsOf(onCluster({}), stack)).toEqual([expect.stringMatching(/^dind-stack:kubernetes\.namespaces\.registry: /)]);
  });
});

describe("in mode dood, where there is no DinD cache, nothing is compared with the cache's size", () => {
  const dood = (kubernetes: Record<string, unknown>) => onCluster({ nodeCidrs: ["10.0.0.0/16"], ...kubernetes }, { mode: "dood", workloads: { allowDood: true } });

  test("a daemon ephemeral-storage limit below kubernetes.dataVolumeSize", () => {
    expect(problemsOf(dood({ dataVolumeSize: "20Gi", resources: { daemon: { limits: { ephemeralStorage: "3Gi" } } } }))).toEqual([]);
  });

  test("a kubernetes.dataVolumeSize below the build cache kept", () => {
    expect(problemsOf(dood({ dataVolumeSize: "1Gi", dindStorage: { buildCacheKeepStorage: "10Gi" } }))).toEqual([]);
  });
});
