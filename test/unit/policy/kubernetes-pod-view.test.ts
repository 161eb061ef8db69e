// A Kubernetes workload as the policy checks see it: where each file of a container comes from
// (the deepest mount over it, a Secret's items), what it gets beyond a default container, and
// the command line it runs.
import { commandLine } from "../../../policy/container-view";
import { podViewOf } from "../../../policy/kubernetes-pod";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const registry = { name: "registry", image: "registry:2" };

/** A Deployment of one container (plus `spec` fields), in namespace `ns` unless the metadata is left out. */
function deployment(container: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = { name: "registry", namespace: "ns" }, annotations?: Record<string, string>) {
  return { metadata, spec: { template: { metadata: { labels: { app: "registry" }, ...(annotations ? { annotations } : {}) }, spec: { containers: [container], ...spec } } } };
}
const containerOf = (props: Record<string, unknown>) => podViewOf(DEPLOYMENT, "registry", props)!.containers[0];

describe("where a container's file comes from", () => {
  const volumes = [
    { name: "other", secret: { secretName: "unrelated" } },
    { name: "docker", configMap: { name: "docker-files" } },
    { name: "config", secret: { secretName: "registry-config" } },
    { name: "mapped", secret: { secretName: "mapped-config", items: [{ key: "config.yml", path: "conf/registry.yml" }] } },
  ];
  const mounted = (volumeMounts: Record<string, unknown>[]) => containerOf(deployment({ ...registry, volumeMounts }, { volumes }));

  test("the deepest mount over the file wins, whatever the order of the mounts", () => {
    const mounts = [{ name: "docker", mountPath: "/etc/docker" }, { name: "config", mountPath: "/etc/docker/registry" }, { name: "other", mountPath: "/etc/docker/registry-other-longer-path" }];
    const expected = { from: "object", kind: "Secret", namespace: "ns", name: "registry-config", key: "config.yml" };
    expect(mounted(mounts).fileSource("/etc/docker/registry/config.yml")).toEqual(expected);
    expect(mounted([...mounts].reverse()).fileSource("/etc/docker/registry/config.yml")).toEqual(expected);
    expect(mounted(mounts).fileSource("/etc/docker/daemon.json")).toEqual({ from: "object", kind: "ConfigMap", namespace: "ns", name: "docker-files", key: "daemon.json" });
  });

  test("a Secret's items map a path to its key; a path no item names is no key of it", () => {
    const mounts = [{ name: "mapped", mountPath: "/etc/registry" }];
    expect(mounted(mounts).fileSource("/etc/registry/conf/registry.yml")).toEqual({ from: "object", kind: "Secret", namespace: "ns", name: "mapped-config", key: "config.yml" });
    expect(mounted(mounts).fileSource("/etc/registry/config.yml")).toEqual({ from: "elsewhere" });
  });

  test("a mount with subPathExpr is not followed, and a file under no mount is the image's", () => {
    expect(mounted([{ name: "config", mountPath: "/etc/registry", subPathExpr: "$(POD_NAME)" }]).fileSource("/etc/registry/config.yml")).toEqual({ from: "elsewhere" });
    expect(mounted([{ name: "config", mountPath: "/etc/registry" }]).fileSource("/etc/docker/daemon.json")).toEqual({ from: "image" });
  });
});

describe("what a container gets beyond a default one", () => {
  test("AppArmor turned off for the pod applies to its containers, unless a container sets its own profile", () => {
    const podWide = { securityContext: { appArmorProfile: { type: "Unconfined" } } };
    expect(containerOf(deployment(registry, podWide)).escalations).toContain("turns AppArmor off (Unconfined)");
    const ownProfile = { ...registry, securityContext: { appArmorProfile: { type: "RuntimeDefault" } } };
    expect(containerOf(deployment(ownProfile, podWide)).escalations).toEqual([]);
  });

  test("the AppArmor annotation of that container turns it off too; another container's does not", () => {
    const annotated = (name: string) => containerOf(deployment(registry, {}, { name: "registry", namespace: "ns" }, { [`container.apparmor.security.beta.kubernetes.io/${name}`]: "unconfined" }));
    expect(annotated("registry").escalations).toContain("turns AppArmor off (Unconfined)");
    expect(annotated("sidecar").escalations).toEqual([]);
  });

  test("the node's PID and IPC namespaces are named by their fields", () => {
    expect(containerOf(deployment(registry, { hostPID: true, hostIPC: true })).hostNamespaces).toEqual([expect.stringMatching(/hostPID/), expect.stringMatching(/hostIPC/)]);
    expect(containerOf(deployment(registry)).hostNamespaces).toEqual([]);
  });
});

describe("the pod as a whole", () => {
  test("a command without args runs as it is; args alone keep the image's entrypoint", () => {
    expect(commandLine(containerOf(deployment({ ...registry, command: ["registry", "serve", "/etc/registry/config.yml"] })))).toEqual(["registry", "serve", "/etc/registry/config.yml"]);
    const argsOnly = containerOf(deployment({ ...registry, args: ["serve"] }));
    expect(argsOnly.entrypoint).toBeUndefined();
    expect(argsOnly.args).toEqual(["serve"]);
  });

  test("a variable without a value is empty; one from a Secret is unknown", () => {
    const env = containerOf(deployment({ ...registry, env: [{ name: "EMPTY" }, { name: "TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] })).env;
    expect(env.get("EMPTY")).toBe("");
    expect(env.has("TOKEN")).toBe(true);
    expect(env.get("TOKEN")).toBeUndefined();
  });

  test("a workload without a namespace is in default, named by its resource name when it has no name; its containers are exactly those declared", () => {
    const view = podViewOf(DEPLOYMENT, "resource-name", deployment(registry, {}, {}))!;
    expect(view.label).toBe("Deployment default/resource-name");
    expect(view.namespace).toBe("default");
    expect(view.containers.map((container) => container.label)).toEqual(["Deployment default/resource-name, container registry"]);
  });
});
