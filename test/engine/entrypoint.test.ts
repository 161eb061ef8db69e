// Scenario 5: the DinD image's start-up on a real engine, one behaviour at a time: the iptables
// backend (detected, chosen, or read from DOCKER_IPTABLES_LEGACY as the official image reads it),
// the kernel interfaces (securityfs, shared /, writable cgroups), TLS material reused across a
// restart, plain TCP only where the clients are, the MTU, a user-supplied daemon.json, arguments
// for dockerd, overlay2 on the data volume and the loud vfs warning off it. The cgroup v2 path is covered by the unit tests
// (these machines run cgroup v1).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { deploy } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execIn, execOk, logsOf } from "./support/container-io";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { waitFor, waitHealthy } from "./support/waiting";
import { figures } from "./support/figures";
import { grantPrivileges, privilegeMode } from "./support/privileges";
import { readStandins } from "./support/standins";
import { runToCompletion } from "./support/host-side";
import { BUSYBOX_IMAGE, ensureBusybox, loadImageInto } from "./support/test-images";

const PREFIX = "dind-stack-test-entry";
let image: string;

/** How to start a daemon container from the stack's image. */
interface DaemonStart {
  env?: string[];
  args?: string[];
  /** Mount a volume at /var/lib/docker (as the stack does); default true. */
  dataVolume?: boolean;
  binds?: string[];
  network?: string;
}

/** Creates and starts a container from the stack's image, privileged as the stack's daemon is. */
async function startContainer(name: string, start: DaemonStart): Promise<Docker.Container> {
  const options: Docker.ContainerCreateOptions = {
    name: `${PREFIX}-${name}`,
    Image: image,
    Env: ["DOCKER_TLS_SAN=DNS:probe.example", ...(start.env ?? [])],
    Cmd: start.args ?? [],
    Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    Healthcheck: { Test: ["CMD", "/usr/local/bin/dind-healthcheck.sh"], Interval: 1e9, Timeout: 5e9, Retries: 60 },
    // As the stack runs its daemon: in a private cgroup namespace (CgroupnsMode is missing from dockerode's types).
    HostConfig: {
      Binds: [...(start.dataVolume === false ? [] : [`${PREFIX}-${name}-data:/var/lib/docker`]), ...(start.binds ?? [])],
      NetworkMode: start.network,
      CgroupnsMode: "private",
    } as Docker.HostConfig,
  };
  grantPrivileges(options, await privilegeMode());
  const container = await engine.createContainer(options);
  await container.start();
  return container;
}

/** Starts a daemon container and waits until its daemon answers. */
async function startDaemon(name: string, start: DaemonStart = {}): Promise<string> {
  await startContainer(name, start);
  const waited = await waitHealthy(`${PREFIX}-${name}`, 120_000);
  figures.record(`entrypoint: ${name} healthy after`, waited / 1000, "s");
  return `${PREFIX}-${name}`;
}

/** Starts a container that is expected to stop by itself; returns its exit code and log. */
async function runToExit(name: string, start: DaemonStart): Promise<{ exitCode: number; log: string }> {
  const container = await startContainer(name, start);
  const exit = await waitFor(`${PREFIX}-${name} to stop`, 60_000, async () => {
    const state = (await container.inspect()).State;
    return state.Running ? undefined : state.ExitCode;
  });
  return { exitCode: exit, log: await logsOf(`${PREFIX}-${name}`) };
}

/** The iptables decision the entrypoint logged. */
async function backendLine(container: string): Promise<string> {
  const line = (await logsOf(container)).split("\n").find((entry) => entry.includes("iptables backend:"));
  if (!line) throw new Error(`no iptables decision in the log of ${container}`);
  return line;
}

/** The daemon set up its NAT chain in the given iptables backend. */
async function hasDockerChain(container: string, backend: "legacy" | "nft"): Promise<boolean> {
  const rules = await execOk(container, [`iptables-${backend}`, "-t", "nat", "-S"]);
  return rules.stdout.includes("-N DOCKER");
}

/** MTU of the nested daemon's default bridge network. */
async function innerBridgeMtu(container: string): Promise<string> {
  return (await execOk(container, ["docker", "network", "inspect", "bridge", "--format", '{{index .Options "com.docker.network.driver.mtu"}}'])).stdout.trim();
}

/** A daemon with the image's defaults (TLS on, backend detected), started once and shared by the tests that only look at it. */
let defaults: Promise<string> | undefined;
const defaultDaemon = () => (defaults ??= startDaemon("defaults"));

describe("DinD start-up on a real engine", () => {
  let hostFiles: string;

  beforeAll(async () => {
    await removeByNamePrefix(PREFIX);
    const run = await deploy({ configOf: "ci", stack: "test-entry" });
    image = (run.outputs.dindImage as { ref: string }).ref;
    await removeTestObjects({ images: false });
    hostFiles = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-entry-"));
  }, 900_000);

  afterAll(async () => {
    await removeTestObjects({ images: false });
    await removeByNamePrefix(PREFIX);
    fs.rmSync(hostFiles, { recursive: true, force: true });
  }, 120_000);

  test("iptables auto: the choice and its reason are logged, and the daemon's NAT chain lives in that backend", async () => {
    const container = await defaultDaemon();
    const chosen = /iptables backend: (legacy|nft) \(auto: /.exec(await backendLine(container));
    expect(chosen).not.toBeNull();
    expect(await hasDockerChain(container, chosen![1] as "legacy" | "nft")).toBe(true);
  });

  test.each([
    ["chosen-legacy", "DIND_IPTABLES_BACKEND=legacy", "legacy"],
    ["chosen-nft", "DIND_IPTABLES_BACKEND=nft", "nft"],
    // The official image's meaning: any non-empty value is legacy, "0" included; set but empty is nft.
    ["official-zero", "DOCKER_IPTABLES_LEGACY=0", "legacy"],
    ["official-empty", "DOCKER_IPTABLES_LEGACY=", "nft"],
  ] as const)("iptables %s (%s): the daemon's NAT chain is in %s, and `docker exec ... iptables` shows the same backend", async (name, env, backend) => {
    const container = await startDaemon(name, { env: [env] });
    expect(await backendLine(container)).toContain(`iptables backend: ${backend} (${env.split("=")[0]}=`);
    expect(await hasDockerChain(container, backend)).toBe(true);
    expect((await execOk(container, ["iptables", "--version"])).stdout).toContain(backend === "legacy" ? "(legacy)" : "(nf_tables)");
  });

  test("contradicting iptables settings stop the start with an error naming both", async () => {
    const result = await runToExit("iptables-conflict", { env: ["DIND_IPTABLES_BACKEND=nft", "DOCKER_IPTABLES_LEGACY=1"] });
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain("ERROR: DIND_IPTABLES_BACKEND=nft contradicts DOCKER_IPTABLES_LEGACY='1'");
    expect(result.log).not.toContain("starting: dockerd");
  });

  test("securityfs is mounted, / is shared and the cgroup mounts are writable for the nested daemon", async () => {
    const container = await defaultDaemon();
    const mounts = (await execOk(container, ["cat", "/proc/mounts"])).stdout.split("\n").map((line) => line.split(" "));
    expect(mounts.find(([, point]) => point === "/sys/kernel/security")?.[2]).toBe("securityfs");
    const cgroups = mounts.filter(([, point]) => point?.startsWith("/sys/fs/cgroup/"));
    expect(cgroups.length).toBeGreaterThan(0);
    for (const [, point, , options] of cgroups) expect(`${point} ${options}`).toMatch(/ rw,/);
    const rootMount = (await execOk(container, ["cat", "/proc/1/mountinfo"])).stdout.split("\n").find((line) => line.split(" ")[4] === "/");
    expect(rootMount).toMatch(/ shared:\d+/);
  });

  test("a restart keeps the CA and the client certificate, makes a new server certificate, and TLS clients still get in", async () => {
    const container = await defaultDaemon();
    const read = async (file: string) => (await execOk(container, ["cat", file])).stdout;
    const before = { ca: await read("/certs/ca/cert.pem"), client: await read("/certs/client/cert.pem"), server: await read("/certs/server/cert.pem") };
    expect((await execOk(container, ["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", "/certs/server/cert.pem"])).stdout).toContain("DNS:probe.example");
    await engine.getContainer(container).restart();
    await waitHealthy(container, 120_000);
    expect(await read("/certs/ca/cert.pem")).toBe(before.ca);
    expect(await read("/certs/client/cert.pem")).toBe(before.client);
    expect(await read("/certs/server/cert.pem")).not.toBe(before.server);
    const version = await execOk(container, ["docker", "--tlsverify", "-H", "tcp://localhost:2376", "version", "--format", "{{.Server.Version}}"], ["DOCKER_CERT_PATH=/certs/client"]);
    expect(version.stdout.trim()).toContain(readStandins().dockerVersion);
    expect(await logsOf(container)).toContain("TLS: reusing the CA and the client certificate");
  });

  test("a second start inside a running daemon's container is refused, and the daemon keeps answering", async () => {
    const container = await defaultDaemon();
    const second = await execIn(container, ["/usr/local/bin/dind-entrypoint.sh"]);
    expect(second.exitCode).not.toBe(0);
    expect(second.stderr).toMatch(/ERROR: \/var\/run\/docker\.pid names pid \d+, a running dockerd: a daemon already runs in this container/);
    await execOk(container, ["docker", "info", "--format", "{{.ID}}"]);
  });

  test("MTU: below 1500 on eth0 it is passed on to the nested networks, unless daemon.json sets one", async () => {
    const network = `${PREFIX}-mtu1400`;
    await engine.createNetwork({ Name: network, Options: { "com.docker.network.driver.mtu": "1400" }, Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID } });
    const fromEth0 = await startDaemon("mtu-eth0", { network });
    expect(await innerBridgeMtu(fromEth0)).toBe("1400");
    expect(await logsOf(fromEth0)).toContain("MTU: eth0 has 1400; passing --mtu=1400");
    const fromConfig = await startDaemon("mtu-config", { network, env: ['DIND_DAEMON_JSON={"mtu":1300}'] });
    expect(await innerBridgeMtu(fromConfig)).toBe("1300");
  });

  test("a user-supplied daemon.json is checked with dockerd --validate where dockerd has it, else that is logged, and it takes effect", async () => {
    const file = path.join(hostFiles, "daemon.json");
    fs.writeFileSync(file, '{\n  "labels": ["probe=user-file"]\n}\n');
    const container = await startDaemon("user-json", { binds: [`${file}:/etc/docker/daemon.json:ro`] });
    const log = await logsOf(container);
    const major = Number(readStandins().dockerVersion.split(".")[0]);
    if (major >= 23) expect(log).toContain("daemon.json: dockerd --validate says: configuration OK");
    else expect(log).toMatch(/daemon\.json: Docker version \S+, build \S+ has no --validate \(23\.0 and newer\); dockerd checks the file as it starts/);
    expect((await execOk(container, ["docker", "info", "--format", "{{json .Labels}}"])).stdout).toContain("probe=user-file");
  });

  test("a broken user-supplied daemon.json stops the start with dockerd's reason", async () => {
    const file = path.join(hostFiles, "broken.json");
    fs.writeFileSync(file, '{"labels": ["unterminated}\n');
    const result = await runToExit("broken-json", { binds: [`${file}:/etc/docker/daemon.json:ro`] });
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toMatch(/unable to configure the Docker daemon with file \/etc\/docker\/daemon\.json/);
  });

  test("a command that is not dockerd runs instead of the daemon", async () => {
    const result = await runToExit("command", { args: ["sh", "-c", "echo ran-instead"], dataVolume: false });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain("ran-instead");
    expect(result.log).not.toContain("starting: dockerd");
  });

  test("without TLS, port 2375 answers its network, never a nested container; the rule is what refuses them", async () => {
    const container = await startDaemon("plain-eth0", { env: ["DOCKER_TLS_CERTDIR=", "DIND_PLAIN_TCP=eth0"] });
    const address = (await engine.getContainer(container).inspect()).NetworkSettings.Networks.bridge.IPAddress;
    // A client on the daemon's network: the docker CLI of the same image.
    const fromSibling = await runToCompletion({ Image: image, Entrypoint: ["docker"], Cmd: ["-H", `tcp://${address}:2375`, "version", "--format", "{{.Server.Version}}"] });
    expect(fromSibling.log.trim()).toContain(readStandins().dockerVersion);
    await ensureBusybox();
    await loadImageInto(container, BUSYBOX_IMAGE);
    // A nested container asks the daemon's own address and its nested bridge's gateway (with nc:
    // this busybox's static wget crashes on this engine).
    const nestedScript = `gateway=$(ip route | awk '/^default/ {print $3}'); for target in ${address} $gateway; do if printf 'GET /_ping HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $target 2375 2>/dev/null | grep -qx OK; then echo "$target: OK"; else echo "$target: refused"; fi; done`;
    const probe = async () => (await execOk(container, ["docker", "run", "--rm", BUSYBOX_IMAGE, "sh", "-c", nestedScript])).stdout;
    const refused = await probe();
    expect(refused.trim().split("\n")).toEqual([expect.stringMatching(/^[\d.]+: refused$/), expect.stringMatching(/^[\d.]+: refused$/)]);
    // Without the entrypoint's rule, the nested container gets in.
    await execOk(container, ["iptables", "-D", "INPUT", "-p", "tcp", "--dport", "2375", "!", "-i", "eth0", "-j", "DROP"]);
    expect((await probe()).trim().split("\n")).toEqual([expect.stringMatching(/^[\d.]+: OK$/), expect.stringMatching(/^[\d.]+: OK$/)]);
  });

  test("without TLS for clients in the same pod, the daemon listens on 127.0.0.1 only", async () => {
    const container = await startDaemon("plain-localhost", { env: ["DOCKER_TLS_CERTDIR=", "DIND_PLAIN_TCP=localhost"] });
    const version = await execOk(container, ["docker", "-H", "tcp://127.0.0.1:2375", "version", "--format", "{{.Server.Version}}"]);
    expect(version.stdout.trim()).toContain(readStandins().dockerVersion);
    const address = (await engine.getContainer(container).inspect()).NetworkSettings.Networks.bridge.IPAddress;
    const fromSibling = await runToCompletion({ Image: image, Entrypoint: ["sh", "-c"], Cmd: [`timeout 10 docker -H tcp://${address}:2375 version >/dev/null 2>&1 && echo answered || echo refused`] });
    expect(fromSibling.log.trim()).toBe("refused");
  });

  test("on the data volume the inner storage driver is overlay2, with no vfs warning", async () => {
    const container = await defaultDaemon();
    expect((await execOk(container, ["docker", "info", "--format", "{{.Driver}}"])).stdout.trim()).toBe("overlay2");
    expect(await logsOf(container)).not.toContain("vfs");
  });

  test("with the data root on the container's own filesystem (an argument for dockerd) the daemon falls back to vfs and says so loudly", async () => {
    const container = await startDaemon("no-volume", { args: ["--data-root=/var/lib/docker-on-overlay"], dataVolume: false });
    expect((await execOk(container, ["docker", "info", "--format", "{{.Driver}}"])).stdout.trim()).toBe("vfs");
    // The watcher logs once the daemon answers, possibly just after the healthcheck passes.
    await waitFor("the watcher's vfs warning", 30_000, async () =>
      /WARNING: the daemon is using the vfs storage driver: \/var\/lib\/docker-on-overlay is on overlay/.test(await logsOf(container)) ? true : undefined,
    );
  });
});
