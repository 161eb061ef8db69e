// Scenario 5: the DinD entrypoint on a real engine. The iptables backend is detected
// or forced and the daemon works with it; the inner storage driver is overlay2 on the
// data volume, and a loud vfs warning appears when the data root is on the container's
// own layered filesystem.
import Docker from "dockerode";
import { deploy } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk, logsOf } from "./support/container-io";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { waitFor, waitHealthy } from "./support/waiting";
import { figures } from "./support/figures";
import { grantPrivileges, privilegeMode } from "./support/privileges";

const PREFIX = "dind-stack-test-entry";
let image: string;

/** Starts a DinD daemon container from the stack's image, as the stack would but with the given env and args. */
async function startDaemon(name: string, env: string[], args: string[] = [], withVolume = true): Promise<string> {
  const options: Docker.ContainerCreateOptions = {
    name: `${PREFIX}-${name}`,
    Image: image,
    Env: ["DOCKER_TLS_CERTDIR=/certs", ...env],
    Cmd: args,
    Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    Healthcheck: { Test: ["CMD", "/usr/local/bin/dind-healthcheck.sh"], Interval: 1e9, Timeout: 5e9, Retries: 60 },
    HostConfig: { Binds: withVolume ? [`${PREFIX}-${name}-data:/var/lib/docker`] : [] },
  };
  grantPrivileges(options, await privilegeMode());
  const container = await engine.createContainer(options);
  await container.start();
  const waited = await waitHealthy(`${PREFIX}-${name}`, 120_000);
  figures.record(`entrypoint: ${name} healthy after`, waited / 1000, "s");
  return `${PREFIX}-${name}`;
}

/** The iptables backend line the entrypoint logged. */
async function backendLine(container: string): Promise<string> {
  const line = (await logsOf(container)).split("\n").find((entry) => entry.includes("iptables backend:"));
  if (!line) throw new Error(`no iptables decision in the log of ${container}`);
  return line;
}

/** The daemon set up its NAT chain in the given iptables backend. */
async function hasDockerChain(container: string, variant: "legacy" | "nft"): Promise<boolean> {
  const rules = await execOk(container, [`iptables-${variant}`, "-t", "nat", "-S"]);
  return rules.stdout.includes("-N DOCKER");
}

describe("DinD entrypoint on a real engine", () => {
  beforeAll(async () => {
    await removeByNamePrefix(PREFIX);
    const run = await deploy({ configOf: "ci", stack: "test-entry" });
    image = (run.outputs.dindImage as { ref: string }).ref;
    await removeTestObjects({ images: false });
  }, 900_000);

  afterAll(async () => {
    await removeTestObjects({ images: false });
    await removeByNamePrefix(PREFIX);
  }, 120_000);

  test.each([
    ["forced legacy", "DOCKER_IPTABLES_LEGACY=1", "legacy"],
    ["forced nft", "DOCKER_IPTABLES_LEGACY=0", "nft"],
  ] as const)("iptables %s: logged, and the daemon's NAT chain lives in that backend", async (name, env, variant) => {
    const container = await startDaemon(name.replace(" ", "-"), [env]);
    expect(await backendLine(container)).toContain(`iptables backend: ${variant} (DOCKER_IPTABLES_LEGACY=`);
    expect(await hasDockerChain(container, variant)).toBe(true);
    expect((await execOk(container, ["iptables", "--version"])).stdout).toContain(variant === "legacy" ? "(legacy)" : "(nf_tables)");
  });

  test("iptables auto: the choice and its reason are logged, and the daemon works with the chosen backend", async () => {
    const container = await startDaemon("auto", []);
    const line = await backendLine(container);
    const chosen = /iptables backend: (legacy|nft) \(auto: ([^)]*)\)/.exec(line);
    expect(chosen).not.toBeNull();
    expect(await hasDockerChain(container, chosen![1] as "legacy" | "nft")).toBe(true);
  });

  test("on the data volume the inner storage driver is overlay2, with no vfs warning", async () => {
    const container = await startDaemon("volume", []);
    expect((await execOk(container, ["docker", "info", "--format", "{{.Driver}}"])).stdout.trim()).toBe("overlay2");
    expect(await logsOf(container)).not.toContain("vfs");
  });

  test("with the data root on the container's own filesystem the daemon falls back to vfs and says so loudly", async () => {
    const container = await startDaemon("no-volume", [], ["--data-root=/var/lib/docker-on-overlay"], false);
    expect((await execOk(container, ["docker", "info", "--format", "{{.Driver}}"])).stdout.trim()).toBe("vfs");
    // The second warning comes from the entrypoint's watcher, which may log just after the healthcheck passes.
    const log = await waitFor("the watcher's vfs warning", 30_000, async () => {
      const text = await logsOf(container);
      return /WARNING: the daemon is using the vfs storage driver/.test(text) ? text : undefined;
    });
    expect(log).toMatch(/WARNING: \/var\/lib\/docker-on-overlay is on overlay/);
  });
});
