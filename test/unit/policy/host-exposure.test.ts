import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { isLoopback, publishedPortViolations } from "../../../policy/checks/host-exposure";
import { judgeStack } from "../../../policy/stack-containers";
import { NO_OPT_INS } from "../../../policy/stack-opt-ins";
import { readTrustedImages } from "../../../policy/trusted-images";
import { declared } from "./support/declare-resources";
import { RUNNER_LABELS, REGISTRY_LABELS, registryConfigFile, registryConfigSecret, registryPod, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

const portFindings = (declare: () => CustomResource[]) => policyMessages("host-exposure-needs-registry-auth", "ci", declare);
const networkFindings = (declare: () => CustomResource[]) => policyMessages("host-network-needs-registry-auth", "ci", declare);

test.each([
  ["127.0.0.1", true],
  ["127.8.9.10", true],
  ["::1", true],
  ["0.0.0.0", false],
  ["::", false],
  ["10.1.2.3", false],
  ["128.0.0.1", false],
  ["localhost", false],
  ["::1%", false],
])("%s is loopback: %s", (ip, expected) => {
  expect(isLoopback(ip)).toBe(expected);
});

describe("Docker target", () => {
  const CONFIG = "/etc/registry/config.yml";
  const everywhere = [{ internal: 5000, external: 5000, ip: "0.0.0.0" }];
  /** A registry:2 container (its image by ID, as the program's) serving CONFIG, uploaded with `auth`. */
  const registry = (name: string, image: docker.RemoteImage, options: Partial<docker.ContainerArgs> & { auth?: boolean } = {}) => {
    const { auth, ...args } = options;
    return new docker.Container(name, { name, image: image.imageId, command: [CONFIG], uploads: [{ file: CONFIG, content: registryConfigFile(auth ?? false) }], ports: everywhere, ...args });
  };
  const registryImage = () => new docker.RemoteImage("registry", { name: "registry:2" });

  test("a registry on loopback, or beyond it with htpasswd auth in the config file its command loads, passes", async () => {
    expect(
      await portFindings(() => {
        const image = registryImage();
        return [
          registry("loopback", image, { ports: [{ internal: 5000, external: 5000, ip: "127.0.0.1" }] }),
          registry("loopback6", image, { ports: [{ internal: 5000, external: 5000, ip: "::1" }] }),
          registry("authenticated", image, { auth: true }),
        ];
      }),
    ).toEqual([]);
  });

  test("an open registry beyond loopback (an address, every address, no address, publishAllPorts) and a published daemon are refused", async () => {
    expect(
      await portFindings(() => {
        const image = registryImage();
        return [
          registry("lan", image, { ports: [{ internal: 5000, external: 5000, ip: "10.1.2.3" }] }),
          registry("any", image, { ports: [{ internal: 5000, external: 5000 }] }),
          registry("all-ports", image, { ports: [], publishAllPorts: true }),
          new docker.Container("daemon", { name: "daemon", image: "dind-stack/dind:24.0.6", privileged: true, ports: [{ internal: 2376, external: 2376, ip: "0.0.0.0" }] }),
        ];
      }),
    ).toEqual([
      expect.stringMatching(/^container all-ports publishes every port its image exposes on all host addresses \(publishAllPorts\)/),
      expect.stringMatching(/^container any publishes host port 5000 on 0\.0\.0\.0, beyond loopback; only a registry whose config file \(the one its command loads\) requires authentication/),
      expect.stringMatching(/^container daemon publishes host port 2376 on 0\.0\.0\.0, beyond loopback/),
      expect.stringMatching(/^container lan publishes host port 5000 on 10\.1\.2\.3, beyond loopback/),
    ]);
  });

  test("auth counts only from the file the registry's command loads: not another upload, not REGISTRY_AUTH variables, not a file a mount hides, not `silly`", async () => {
    const authenticatedElsewhere = { file: "/etc/registry/auth.htpasswd", content: registryConfigFile(true) };
    expect(
      await portFindings(() => {
        const image = registryImage();
        return [
          registry("other-upload", image, { uploads: [{ file: CONFIG, content: registryConfigFile(false) }, authenticatedElsewhere] }),
          registry("env", image, { envs: ["REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM=r", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"] }),
          registry("env-override", image, { auth: true, envs: ["REGISTRY_AUTH_HTPASSWD_PATH=/dev/null"] }),
          registry("hidden", image, { auth: true, volumes: [{ hostPath: "/srv/registry-config", containerPath: "/etc/registry" }] }),
          registry("default-file", image, { command: [], uploads: [authenticatedElsewhere] }),
          registry("silly", image, { uploads: [{ file: CONFIG, content: JSON.stringify({ storage: {}, http: {}, auth: { silly: { realm: "r", service: "s" } } }) }] }),
        ];
      }),
    ).toEqual(["default-file", "env", "env-override", "hidden", "other-upload", "silly"].map((name) => expect.stringMatching(new RegExp(`^container ${name} publishes host port 5000 on 0\\.0\\.0\\.0, beyond loopback`))));
  });

  test("REGISTRY_AUTH on another image, or the registry image running a shell, is no authenticated registry", async () => {
    expect(
      await portFindings(() => [
        new docker.Container("nginx", { name: "nginx", image: new docker.RemoteImage("nginx", { name: "nginx:1.27" }).imageId, envs: ["REGISTRY_AUTH=htpasswd"], ports: everywhere }),
        registry("shell", registryImage(), { auth: true, entrypoints: ["sh", "-c", "nc -lk -p 5000"] }),
      ]),
    ).toEqual([expect.stringMatching(/^container nginx publishes host port 5000/), expect.stringMatching(/^container shell publishes host port 5000/)]);
  });

  test("a registry on the host's network (networkMode: host) is judged like a published one", async () => {
    expect(
      await networkFindings(() => {
        const image = registryImage();
        return [registry("open", image, { ports: [], networkMode: "host" }), registry("authenticated", image, { ports: [], networkMode: "host", auth: true })];
      }),
    ).toEqual([expect.stringMatching(/^container open uses the host's network \(networkMode: host\), which exposes whatever it listens on beyond the host; only a registry whose config file/)]);
  });

  test("a stack file with registry.allowUnauthenticatedExposure: true lets its registry, and only a registry, be published without auth", async () => {
    const judged = judgeStack(
      await declared("ci", () => [
        registry("registry", registryImage()),
        new docker.Container("daemon", { name: "daemon", image: "dind-stack/dind:24.0.6", envs: ["DOCKER_TLS_CERTDIR=/certs"], ports: everywhere }),
        new docker.Container("lookalike", { name: "lookalike", image: "example/registry-ui:1.0", command: [CONFIG], ports: everywhere }),
      ]),
      readTrustedImages("ci"),
    ).flatMap((resource) => resource.containers);
    const optedIn = { ...NO_OPT_INS, unauthenticatedRegistry: true };
    const refused = (optIns: typeof NO_OPT_INS) => judged.filter((container) => publishedPortViolations(container, optIns).length > 0).map((container) => container.view.label).sort();
    expect(refused(NO_OPT_INS)).toEqual(["container daemon", "container lookalike", "container registry"]);
    expect(refused(optedIn)).toEqual(["container daemon", "container lookalike"]);
  });
});

describe("Kubernetes target", () => {
  const metadata = (name: string) => ({ name, namespace: "dind-stack" });
  const hostPort = (hostIP?: string) => ({ ports: [{ containerPort: 5000, hostPort: 5000, ...(hostIP ? { hostIP } : {}) }] });

  test("hostPorts: a registry whose config Secret requires auth may take one, an open one may not, nor one with REGISTRY_AUTH variables only; the node's loopback is fine", async () => {
    const pods = (auth: boolean) => [
      registryConfigSecret("dind-stack", auth),
      new k8s.core.v1.Pod("exposed", { metadata: metadata("exposed"), spec: registryPod(hostPort()) }),
      new k8s.core.v1.Pod("local", { metadata: metadata("local"), spec: registryPod(hostPort("127.0.0.1")) }),
      new k8s.core.v1.Pod("env", { metadata: metadata("env"), spec: registryPod({ ...hostPort(), args: [], env: [{ name: "REGISTRY_AUTH", value: "htpasswd" }] }) }),
    ];
    const exposed = /^Pod dind-stack\/exposed, container registry publishes host port 5000 on 0\.0\.0\.0, beyond loopback/;
    const env = /^Pod dind-stack\/env, container registry publishes host port 5000 on 0\.0\.0\.0/;
    expect(await portFindings(() => pods(true))).toEqual([expect.stringMatching(env)]);
    expect(await portFindings(() => pods(false))).toEqual([expect.stringMatching(env), expect.stringMatching(exposed)]);
  });

  test("only pods of authenticated registries may use the node's network", async () => {
    const messages = await networkFindings(() => [
      registryConfigSecret("dind-stack", true),
      new k8s.apps.v1.Deployment("registry", {
        metadata: metadata("registry"),
        spec: { selector: { matchLabels: REGISTRY_LABELS }, template: { metadata: { labels: REGISTRY_LABELS }, spec: { ...registryPod(), hostNetwork: true } } },
      }),
      new k8s.apps.v1.Deployment("runner", {
        metadata: metadata("runner"),
        spec: { selector: { matchLabels: RUNNER_LABELS }, template: { metadata: { labels: RUNNER_LABELS }, spec: runnerPod({ hostNetwork: true }) } },
      }),
    ]);
    expect(messages).toEqual([expect.stringMatching(/^Deployment dind-stack\/runner uses the node's network, which exposes whatever it listens on outside the cluster/)]);
  });

  test("a pod on the node's network needs every container to be an exposable registry: a helper next to an authenticated registry is refused", async () => {
    const spec = registryPod();
    const exporter = { name: "exporter", image: "example/registry-exporter:1.0" };
    const messages = await networkFindings(() => [
      registryConfigSecret("dind-stack", true),
      new k8s.apps.v1.Deployment("registry", {
        metadata: metadata("registry"),
        spec: {
          selector: { matchLabels: REGISTRY_LABELS },
          template: { metadata: { labels: REGISTRY_LABELS }, spec: { ...spec, containers: [...(spec.containers as k8s.types.input.core.v1.Container[]), exporter], hostNetwork: true } },
        },
      }),
    ]);
    expect(messages).toEqual([expect.stringMatching(/^Deployment dind-stack\/registry uses the node's network/)]);
  });
});
