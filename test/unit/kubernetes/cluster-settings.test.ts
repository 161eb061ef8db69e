// What a cluster stack derives from its settings before any object exists: the DinD daemons'
// daemon.json (checked by the daemon's own rules: shutdown within the pod's grace period, the
// registry under every name a client may use), where the DinD image comes from, the storage
// class check, and the one-line hint `pulumi up` prints.
import * as pulumi from "@pulumi/pulumi";
import { clusterDaemonJson, contentDigest, daemonJsonConfigMapArgs, daemonJsonText, registryServiceNames } from "../../../components/kubernetes/daemon-config";
import { quantityValue } from "../../../components/kubernetes/quantity";
import { clusterImageSource } from "../../../components/kubernetes/settings";
import { keptStorageClass, storageClassConflict } from "../../../components/kubernetes/storage-class";
import { clusterUsageHint } from "../../../components/kubernetes/usage";
import { dindSettings, kubernetesSettings } from "../../support/kubernetes-fixtures";


describe("the DinD daemons' daemon.json on a cluster", () => {
  test("dockerd gives its containers the grace period less the time it needs to stop itself", () => {
    const json = clusterDaemonJson(dindSettings().daemon, kubernetesSettings({ terminationGracePeriodSeconds: 120 }), []);
    expect(json["shutdown-timeout"]).toBeGreaterThan(0);
    expect(json["shutdown-timeout"]).toBeLessThan(120);
    const longer = clusterDaemonJson(dindSettings().daemon, kubernetesSettings({ terminationGracePeriodSeconds: 300 }), []);
    expect(longer["shutdown-timeout"] - json["shutdown-timeout"]).toBe(180);
  });

  test("the build cache is collected above kubernetes.dindStorage.buildCacheKeepStorage", () => {
    const storage = { ...kubernetesSettings().dindStorage, buildCacheKeepStorage: "25GB" };
    expect(clusterDaemonJson(dindSettings().daemon, kubernetesSettings({ dindStorage: storage }), []).builder).toEqual({ gc: { enabled: true, defaultKeepStorage: "25GB" } });
  });

  test("the Docker host's keys stay: the registry as insecure and as Hub mirror", () => {
    const json = clusterDaemonJson(dindSettings().daemon, kubernetesSettings(), ["registry.ns.svc:5000"], "http://registry.ns.svc:5000");
    expect(json["insecure-registries"]).toContain("http://registry.ns.svc:5000");
    expect(json["registry-mirrors"]).toEqual(["http://registry.ns.svc:5000"]);
  });

  test("the registry under each name a client may write, each with the port", () => {
    expect(registryServiceNames("registry", "ci", "cluster.example").sort()).toEqual(["registry.ci.svc:5000", "registry.ci:5000", "registry.ci.svc.cluster.example:5000"].sort());
  });

  test("the file's text is the JSON object, ending in a newline; its digest changes with any change of it", () => {
    const text = daemonJsonText(clusterDaemonJson(dindSettings().daemon, kubernetesSettings(), []));
    expect(JSON.parse(text)).toEqual(clusterDaemonJson(dindSettings().daemon, kubernetesSettings(), []));
    expect(text.endsWith("}\n")).toBe(true);
    expect(contentDigest(text)).toMatch(/^[0-9a-f]{16}$/);
    expect(contentDigest(text)).toBe(contentDigest(`${text}`));
    expect(contentDigest(text)).not.toBe(contentDigest(text.replace("\"max-file\": \"3\"", "\"max-file\": \"4\"")));
  });

  test("its ConfigMap holds the text under the key the pods mount", () => {
    const args = daemonJsonConfigMapArgs("prod", "run-ns", "{}\n") as Record<string, any>;
    expect(args.metadata).toMatchObject({ namespace: "run-ns", labels: { "org.dind-stack.stack": "prod" } });
    expect(Object.values(args.data)).toEqual(["{}\n"]);
  });
});

describe("where the runners' DinD image comes from", () => {
  test("a prebuilt reference: pulled from the registry it names, Docker Hub for a short name", () => {
    const source = (reference: string) => clusterImageSource(kubernetesSettings({ dindImage: { reference, username: "bot" } }));
    expect(source("registry.example.com/platform/dind:24.0.6")).toEqual({ kind: "prebuilt", reference: "registry.example.com/platform/dind:24.0.6", registry: "registry.example.com", username: "bot" });
    expect(source("library/docker:24-dind").registry).toBe("docker.io");
  });

  test("built by the stack: pushed to the configured registry and repository", () => {
    const source = clusterImageSource(kubernetesSettings({ dindImage: { registry: "ghcr.io", repository: "org/dind" } }));
    expect(source).toEqual({ kind: "pushed", registry: "ghcr.io", repository: "org/dind", username: undefined });
  });

  test("neither: refused", () => {
    expect(() => clusterImageSource(kubernetesSettings({ dindImage: { registry: "ghcr.io" } }))).toThrow(/names no image source/);
    expect(() => clusterImageSource(kubernetesSettings({ dindImage: undefined }))).toThrow(/names no image source/);
  });
});

describe("a storage class change", () => {
  test("none configured, or the claims' own: accepted", () => {
    expect(storageClassConflict("the registry's claims", undefined, "fast")).toBeUndefined();
    expect(storageClassConflict("the registry's claims", "fast", "fast")).toBeUndefined();
  });

  test("another class: refused, naming the key, the value, what the claims have and what is allowed", () => {
    const reason = storageClassConflict("the registry's claims", "slow", "fast")!;
    expect(reason).toMatch(/^dind-stack:kubernetes\.storageClassName: /);
    expect(reason).toContain('"slow"');
    expect(reason).toMatch(/allowed: "fast"/);
    const fromDefault = storageClassConflict("the registry's claims", "slow", undefined)!;
    expect(fromDefault).toMatch(/the cluster's default storage class/);
    expect(fromDefault).toMatch(/allowed: leaving the key unset/);
  });

  test("the deployment waits on the check: the claims' class passes through, a change rejects", async () => {
    await expect((keptStorageClass("claims", undefined, pulumi.output("fast")) as any).promise()).resolves.toBe("fast");
    const failing = keptStorageClass("claims", "slow", pulumi.output<string | undefined>("fast")) as any;
    // An Output's other promises reject with the same error; only its value is checked here.
    for (const other of [failing.isKnown, failing.isSecret, failing.allResources?.()]) other?.catch?.(() => undefined);
    await expect(failing.promise()).rejects.toThrow(/storageClassName: got "slow"/);
  });
});

describe("the usage hint", () => {
  const facts = { mode: "dind" as const, namespace: "run-ns", firstWorkload: "deployment/builder", container: "job", pushRegistry: "registry.reg-ns.svc:5000" };

  test("a kubectl exec into the first runner's job container, then a build and push to the registry", () => {
    const hint = clusterUsageHint(facts);
    expect(hint).toMatch(/^kubectl -n run-ns exec -it deployment\/builder -c job -- sh/);
    expect(hint).toContain("docker push registry.reg-ns.svc:5000/app");
    expect(hint).toMatch(/DinD sidecar/);
  });

  test("with a kubeconfig context, DooD, and no runners", () => {
    expect(clusterUsageHint({ ...facts, context: "prod-eu" })).toMatch(/^kubectl --context prod-eu -n run-ns exec/);
    expect(clusterUsageHint({ ...facts, mode: "dood" })).toMatch(/node's Docker Engine/);
    const none = clusterUsageHint({ ...facts, firstWorkload: undefined });
    expect(none).toMatch(/^no runners: add one under workloads\.clients/);
    expect(none).not.toContain("kubectl");
  });
});

describe("Kubernetes quantities, as the limits and the cache sizes are compared", () => {
  test.each([
    ["1Gi", 2 ** 30],
    ["+1Gi", 2 ** 30],
    ["500m", 0.5],
    ["1.5G", 1.5e9],
    [".5Ki", 512],
    ["1e3", 1000],
    [2, 2],
  ])("%s is %d", (quantity, value) => {
    expect(quantityValue(quantity)).toBe(value);
  });

  test.each(["x1Gi", "1Gb", "1 Gi", "Gi", ""])("%j is refused by name", (quantity) => {
    expect(() => quantityValue(quantity)).toThrow(`"${quantity}" is not a Kubernetes quantity`);
  });
});
