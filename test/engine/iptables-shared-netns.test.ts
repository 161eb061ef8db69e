// The DinD start-up's iptables detection where it matters: a network namespace that already
// holds legacy iptables rules when the daemon starts, as a pod's does when another container
// (a service mesh's init container, a CNI hook) set them up first. Netfilter runs the legacy
// tables and the nft ones alike, so a daemon that put its rules in the other backend would leave
// the existing legacy rules in force over its containers' traffic. Here the existing rule is a
// legacy FORWARD policy of DROP: nested containers reach the network only if the daemon's own
// ACCEPT rules land in the legacy tables too.
import Docker from "dockerode";
import { deploy } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execIn, execOk } from "./support/container-io";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { waitFor, waitHealthy } from "./support/waiting";
import { grantPrivileges, privilegeMode } from "./support/privileges";
import { BUSYBOX_IMAGE, ensureBusybox, loadImageInto } from "./support/test-images";

const PREFIX = "dind-stack-test-iptns";
const labels = { [TEST_RUN_LABEL]: TEST_RUN_ID };

/** Creates and starts a labelled container named `${PREFIX}-${name}`; `privileged` as the stack's daemon is. */
async function run(name: string, options: Omit<Docker.ContainerCreateOptions, "name" | "Labels">, privileged: boolean): Promise<string> {
  const create: Docker.ContainerCreateOptions = { ...options, name: `${PREFIX}-${name}`, Labels: labels };
  if (privileged) grantPrivileges(create, await privilegeMode());
  await (await engine.createContainer(create)).start();
  return `${PREFIX}-${name}`;
}

describe("iptables backend detected in a network namespace with legacy rules", () => {
  let daemon: string;
  let webAddress: string;

  beforeAll(async () => {
    await removeByNamePrefix(PREFIX);
    const stack = await deploy({ configOf: "ci", stack: "test-iptns" });
    const image = (stack.outputs.dindImage as { ref: string }).ref;
    await removeTestObjects({ images: false });
    await ensureBusybox();
    const network = `${PREFIX}-net`;
    await engine.createNetwork({ Name: network, Labels: labels });
    // A web server outside the daemon's namespace, for nested containers to reach.
    const web = await run("web", { Image: BUSYBOX_IMAGE, Cmd: ["sh", "-c", "mkdir -p /www && echo reached > /www/index.html && exec httpd -f -p 8080 -h /www"], HostConfig: { NetworkMode: network } }, false);
    webAddress = (await engine.getContainer(web).inspect()).NetworkSettings.Networks[network].IPAddress;
    // The namespace's first tenant sets a legacy rule (the image's entrypoint runs a command that is not dockerd as it is).
    const holder = await run("holder", { Image: image, Cmd: ["sh", "-c", "iptables-legacy -P FORWARD DROP && exec sleep infinity"], HostConfig: { NetworkMode: network } }, true);
    await waitFor("the legacy FORWARD policy DROP", 30_000, async () => ((await execOk(holder, ["iptables-legacy", "-S", "FORWARD"])).stdout.includes("-P FORWARD DROP") ? true : undefined));
    // The daemon joins that namespace, as a DinD sidecar joins its pod's.
    daemon = await run(
      "daemon",
      {
        Image: image,
        Healthcheck: { Test: ["CMD", "/usr/local/bin/dind-healthcheck.sh"], Interval: 1e9, Timeout: 5e9, Retries: 60 },
        HostConfig: { NetworkMode: `container:${holder}`, CgroupnsMode: "private" } as Docker.HostConfig,
      },
      true,
    );
    await waitHealthy(daemon, 120_000);
    await loadImageInto(daemon, BUSYBOX_IMAGE);
  }, 900_000);

  afterAll(async () => {
    await removeTestObjects({ images: false });
    await removeByNamePrefix(PREFIX);
  }, 120_000);

  test("a nested container reaches a server outside the daemon's namespace", async () => {
    // busybox's static wget ends with a segmentation fault in this scratch image; nc sends the request as it is.
    const request = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${webAddress} 8080`;
    const fetched = await execIn(daemon, ["docker", "run", "--rm", BUSYBOX_IMAGE, "sh", "-c", request]);
    expect(fetched).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/\r\n\r\nreached\n$/) });
  });
});
