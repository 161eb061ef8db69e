import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { isLoopback, publishedPortViolations } from "../../../policy/checks/exposure";
import { dockerContainerView } from "../../../policy/docker-container";
import { NO_OPT_INS } from "../../../policy/stack-opt-ins";
import { named } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";
import { RUNNER_LABELS, REGISTRY_LABELS, registryPod, runnerPod } from "./support/kubernetes-fixtures";
import { asPolicyResource, packFindings, policyMessages } from "./support/pack-harness";

const portFindings = (declare: () => CustomResource[]) => policyMessages("host-exposure-needs-registry-auth", "ci", declare);

test.each([
  ["127.0.0.1", true],
  ["127.8.9.10", true],
  ["::1", true],
  ["0.0.0.0", false],
  ["::", false],
  ["10.1.2.3", false],
  ["128.0.0.1", false],
  ["localhost", false],
])("%s is loopback: %s", (ip, expected) => {
  expect(isLoopback(ip)).toBe(expected);
});

describe("Docker target", () => {
  const registry = (name: string, ip: string | undefined, envs: string[]) =>
    new docker.Container(name, { name, image: "registry:2", envs, ports: [{ internal: 5000, external: 5000, ...(ip === undefined ? {} : { ip }) }] });

  test("a registry on loopback, or beyond it with htpasswd auth, passes", async () => {
    expect(
      await portFindings(() => [
        registry("loopback", "127.0.0.1", []),
        registry("loopback6", "::1", []),
        registry("authenticated", "0.0.0.0", ["REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"]),
      ]),
    ).toEqual([]);
  });

  test("an open registry beyond loopback (an address, every address, or no address given) and a published daemon are refused", async () => {
    expect(
      await portFindings(() => [
        registry("lan", "10.1.2.3", []),
        registry("any", undefined, []),
        registry("silly", "::", ["REGISTRY_AUTH=silly"]),
        new docker.Container("daemon", { name: "daemon", image: "dind-stack/dind:24.0.6", privileged: true, ports: [{ internal: 2376, external: 2376, ip: "0.0.0.0" }] }),
      ]),
    ).toEqual([
      "container any publishes host port 5000 on 0.0.0.0, beyond loopback; only a registry that requires authentication (htpasswd or token), or the registry of a stack whose file sets dind-stack:registry.allowUnauthenticatedExposure: true, may be published there",
      expect.stringMatching(/^container daemon publishes host port 2376 on 0.0.0.0, beyond loopback/),
      expect.stringMatching(/^container lan publishes host port 5000 on 10.1.2.3, beyond loopback/),
      expect.stringMatching(/^container silly publishes host port 5000 on ::, beyond loopback/),
    ]);
  });

  test("auth set in the registry's uploaded config file counts; distribution's `silly` auth does not", async () => {
    const withConfig = (name: string, auth: object) =>
      new docker.Container(name, {
        name,
        image: "registry:2",
        command: ["/etc/registry/config.yml"],
        uploads: [{ file: "/etc/registry/config.yml", content: JSON.stringify({ version: 0.1, storage: { filesystem: {} }, http: { addr: ":5000" }, auth }) }],
        ports: [{ internal: 5000, external: 5000, ip: "0.0.0.0" }],
      });
    expect(await portFindings(() => [withConfig("htpasswd", { htpasswd: { realm: "r", path: "/auth/htpasswd" } }), withConfig("silly", { silly: { realm: "r", service: "s" } })])).toEqual([
      expect.stringMatching(/^container silly publishes host port 5000 on 0.0.0.0, beyond loopback/),
    ]);
  });

  test("the program's own registry: exposed with auth it passes; exposed without auth it is refused unless the stack file allows it", async () => {
    const findingsFor = async (overrides: Record<string, unknown>, secretKeys: string[] = []) => {
      const run = await runProgram("ci", withOverrides(stackConfig("ci"), overrides), secretKeys);
      return { run, findings: await packFindings(run.resources.map((resource) => asPolicyResource("ci", resource))) };
    };
    const withAuth = await findingsFor(
      { "dind-stack:registry": { bindAddress: "0.0.0.0", auth: { username: "builder" } }, "dind-stack:registryPassword": "a long password" },
      ["dind-stack:registryPassword"],
    );
    expect(withAuth.findings).toEqual([]);

    // The config allows it here, but stacks/Pulumi.ci.yaml (what the pack reads) does not: as if a
    // program change exposed the registry on its own.
    const open = await findingsFor({ "dind-stack:registry": { bindAddress: "0.0.0.0", allowUnauthenticatedExposure: true } });
    expect(open.findings).toEqual([
      {
        policy: "host-exposure-needs-registry-auth",
        urn: asPolicyResource("ci", named(open.run.resources, "ci-registry-container")).urn,
        message: expect.stringMatching(/^container dind-stack-ci-registry publishes host port 5001 on 0.0.0.0, beyond loopback/),
      },
    ]);
  });

  test("a stack file with registry.allowUnauthenticatedExposure: true lets its registry, and only a registry, be published without auth", () => {
    const optedIn = { ...NO_OPT_INS, unauthenticatedRegistry: true };
    const ports = [{ internal: 5000, external: 5000, ip: "0.0.0.0" }];
    const registries = [
      dockerContainerView("by-image", { image: "mirror.example:5000/library/registry:2", ports }),
      dockerContainerView("by-env", { image: "sha256:99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f", envs: ["REGISTRY_STORAGE_DELETE_ENABLED=true"], ports }),
    ];
    for (const registry of registries) {
      expect(publishedPortViolations(registry, NO_OPT_INS)).toHaveLength(1);
      expect(publishedPortViolations(registry, optedIn)).toEqual([]);
    }
    const daemon = dockerContainerView("d", { image: "dind-stack/dind:24.0.6", envs: ["DOCKER_TLS_CERTDIR=/certs"], ports });
    const registryLookalike = dockerContainerView("l", { image: "example/registry-ui:1.0", ports });
    expect(publishedPortViolations(daemon, optedIn)).toHaveLength(1);
    expect(publishedPortViolations(registryLookalike, optedIn)).toHaveLength(1);
  });
});

describe("Kubernetes target", () => {
  const metadata = (name: string) => ({ name, namespace: "dind-stack" });

  test("hostPorts: an authenticated registry may take one, an open registry may not; a hostPort on the node's loopback is fine", async () => {
    expect(
      await portFindings(() => [
        new k8s.core.v1.Pod("auth", { metadata: metadata("auth"), spec: registryPod(true, { ports: [{ containerPort: 5000, hostPort: 5000 }] }) }),
        new k8s.core.v1.Pod("open", { metadata: metadata("open"), spec: registryPod(false, { ports: [{ containerPort: 5000, hostPort: 5000 }] }) }),
        new k8s.core.v1.Pod("local", { metadata: metadata("local"), spec: registryPod(false, { ports: [{ containerPort: 5000, hostPort: 5000, hostIP: "127.0.0.1" }] }) }),
      ]),
    ).toEqual([expect.stringMatching(/^Pod dind-stack\/open, container registry publishes host port 5000 on 0.0.0.0, beyond loopback/)]);
  });

  test("only an authenticated registry's pods may use the node's network", async () => {
    const messages = await policyMessages("host-network-needs-registry-auth", "ci", () => [
      new k8s.apps.v1.Deployment("registry", {
        metadata: metadata("registry"),
        spec: { selector: { matchLabels: REGISTRY_LABELS }, template: { metadata: { labels: REGISTRY_LABELS }, spec: { ...registryPod(true), hostNetwork: true } } },
      }),
      new k8s.apps.v1.Deployment("runner", {
        metadata: metadata("runner"),
        spec: { selector: { matchLabels: RUNNER_LABELS }, template: { metadata: { labels: RUNNER_LABELS }, spec: runnerPod({ hostNetwork: true }) } },
      }),
    ]);
    expect(messages).toEqual([expect.stringMatching(/^Deployment dind-stack\/runner uses the node's network, which exposes whatever it listens on outside the cluster/)]);
  });
});
