import { CLIENT_WAIT_SCRIPT, clientContainerSpecs } from "../../../components/workloads/client-spec";
import { dindConnection, doodConnection } from "../../../components/workloads/connections";
import { renderDaemonJson } from "../../../components/workloads/daemon-json";
import { dindDaemonContainerArgs } from "../../../components/workloads/dind-daemon-spec";
import { objectNames } from "../../../components/naming";
import { parse } from "../../support/config-problems";

const names = objectNames("ci");

function daemonArgs(config: Record<string, unknown>) {
  const settings = parse(config);
  return dindDaemonContainerArgs(settings.daemon, settings.workloads, {
    stack: "ci",
    containerName: names.daemonContainer,
    image: "sha256:image",
    networkName: "net",
    dataVolume: "data",
    certsVolume: "certs",
    daemonJson: renderDaemonJson(settings.daemon, ["registry:5000"]),
  });
}

describe("DinD daemon container", () => {
  test("privileged, data on a volume, certs shared, TLS on, daemon.json passed, ready-gated", () => {
    const args = daemonArgs({});
    expect(args).toMatchObject({
      name: "dind-stack-ci-docker",
      image: "sha256:image",
      hostname: "docker",
      privileged: true,
      command: [],
      restart: "unless-stopped",
      wait: true,
      networksAdvanced: [{ name: "net", aliases: ["docker"] }],
      volumes: [
        { volumeName: "data", containerPath: "/var/lib/docker" },
        { volumeName: "certs", containerPath: "/certs/client" },
      ],
    });
    expect(args.envs).toEqual([
      "DOCKER_TLS_CERTDIR=/certs",
      "DOCKER_TLS_SAN=DNS:docker,DNS:dind-stack-ci-docker",
      'DIND_DAEMON_JSON={"insecure-registries":["http://registry:5000"],"log-driver":"json-file","log-opts":{"max-size":"10m","max-file":"3"}}',
    ]);
    expect((args.healthcheck as { tests: string[] }).tests).toEqual(["CMD", "/usr/local/bin/dind-healthcheck.sh"]);
    expect(args.envs as string[]).not.toContainEqual(expect.stringMatching(/^DOCKER_HOST=/));
  });

  test("TLS off: empty cert dir, no cert volume; iptables choice and extra args passed", () => {
    const args = daemonArgs({ daemon: { tls: false, iptables: "legacy", extraArgs: ["--debug"] } });
    expect(args.envs).toContain("DOCKER_TLS_CERTDIR=");
    // Plain TCP only for the stack's network, never nested containers.
    expect(args.envs).toContain("DIND_PLAIN_TCP=eth0");
    expect(daemonArgs({}).envs).not.toContainEqual(expect.stringMatching(/^DIND_PLAIN_TCP=/));
    expect(args.envs).toContain("DIND_IPTABLES_BACKEND=legacy");
    expect(args.volumes).toEqual([{ volumeName: "data", containerPath: "/var/lib/docker" }]);
    expect(args.command).toEqual(["--debug"]);
    expect(daemonArgs({ daemon: { iptables: "nft" } }).envs).toContain("DIND_IPTABLES_BACKEND=nft");
    expect(daemonArgs({ daemon: { iptables: "auto" } }).envs).not.toContainEqual(expect.stringMatching(/IPTABLES/));
  });
});

describe("client containers", () => {
  const settings = parse({ workloads: { clients: [{ name: "runner", count: 2, env: { CI: "1" } }, { name: "cli", image: "docker:24-cli", command: ["sh"] }, { name: "off", count: 0 }] } });

  function specs(connection = dindConnection(settings.daemon, settings.workloads, "certs", "registry:5000"), dockerConfig?: string) {
    return clientContainerSpecs(settings.workloads.clients, {
      stack: "ci",
      defaultImage: "sha256:dind",
      images: { "docker:24-cli": "sha256:cli" },
      networkName: "net",
      containerName: names.client,
      readyTimeoutSeconds: 90,
      connection,
      dockerConfig,
      secretValues: false,
    });
  }

  test("one container per count, named per stack, group and index", () => {
    expect(specs().map((spec) => [spec.id, spec.args.name, spec.args.image])).toEqual([
      ["runner-1", "dind-stack-ci-runner-1", "sha256:dind"],
      ["runner-2", "dind-stack-ci-runner-2", "sha256:dind"],
      ["cli-1", "dind-stack-ci-cli-1", "sha256:cli"],
    ]);
  });

  test("DinD clients: TLS to the daemon alias, read-only certs, wait for the daemon, then the command", () => {
    const runner = specs()[0].args;
    expect(runner.envs).toEqual([
      "DOCKER_HOST=tcp://docker:2376",
      "DOCKER_TLS_VERIFY=1",
      "DOCKER_CERT_PATH=/certs/client",
      "DIND_STACK_REGISTRY=registry:5000",
      "DIND_STACK_BUILD_CACHE=registry:5000/build-cache",
      "DIND_READY_TIMEOUT=90",
      "CI=1",
    ]);
    expect(runner.volumes).toEqual([{ volumeName: "certs", containerPath: "/certs/client", readOnly: true }]);
    expect(runner.entrypoints).toEqual(["/bin/sh", "-c", CLIENT_WAIT_SCRIPT, "dind-client"]);
    expect(runner.command).toEqual(["sleep", "infinity"]);
    expect(runner.privileged).toBeUndefined();
    expect(runner.healthcheck).toEqual({ tests: ["NONE"] });
  });

  test("DinD without TLS: plain TCP on 2375 and no certs", () => {
    const plain = parse({ daemon: { tls: false } });
    const connection = dindConnection(plain.daemon, plain.workloads, "certs", "registry:5000");
    expect(connection).toEqual({ dockerHost: "tcp://docker:2375", env: [], volumes: [], pushRegistry: "registry:5000" });
  });

  test("DooD clients: the host socket, pushes to the host-published registry, nothing privileged", () => {
    const runner = specs(doodConnection("127.0.0.1:5000"))[0].args;
    expect(runner.envs).toEqual([
      "DOCKER_HOST=unix:///var/run/docker.sock",
      "DIND_STACK_REGISTRY=127.0.0.1:5000",
      "DIND_STACK_BUILD_CACHE=127.0.0.1:5000/build-cache",
      "DIND_READY_TIMEOUT=90",
      "CI=1",
    ]);
    expect(runner.volumes).toEqual([{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }]);
    expect(runner.privileged).toBeUndefined();
  });

  test("registry credentials arrive as a Docker CLI config", () => {
    const runner = specs(undefined, '{"auths":{}}')[0].args;
    expect(runner.envs).toContain("DOCKER_CONFIG=/etc/dind-stack/docker");
    expect(runner.uploads).toEqual([{ file: "/etc/dind-stack/docker/config.json", content: '{"auths":{}}', permissions: "0600" }]);
  });
});
