// A stack switched between DooD and DinD and back, each switch one `pulumi up`, acted out on a
// real engine with the provider's and the engine's own rules (test/support/lifecycle): the
// clients keep their container names while they move to the other mode's workload, found there
// by their aliases and replaced delete-first, so nothing collides; the registry is untouched
// and keeps what was pushed; the DinD cache volume is kept while the stack is in DooD mode and
// used again when it comes back; a destroy and a new up keep all of it.
import { objectNames } from "../../components/naming";
import { execOk } from "./support/container-io";
import { TestStack } from "./support/deploy";
import { figures } from "./support/figures";
import { pullToHost, pushFromHost, registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { changesOf, containerId, stackContainers, volumeExists } from "./support/stack-objects";
import { scenarioHooks } from "./support/scenario-hooks";
import { BUSYBOX_IMAGE } from "./support/test-images";

const dind = { "dind-stack:mode": "dind" };
const dood = { "dind-stack:mode": "dood" };

/** The images a client's daemon has, as repository:tag. */
async function imagesOf(client: string): Promise<string[]> {
  return (await execOk(client, ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"])).stdout.split("\n").filter(Boolean);
}

/** Builds `FROM <registry>/modes/busybox:1` in a client, on whatever daemon it drives, and pushes it as `<registry>/modes/<name>:1`. */
async function buildAndPush(client: string, name: string): Promise<void> {
  const script = `set -eu; mkdir -p /tmp/m && cd /tmp/m; printf 'FROM %s/modes/busybox:1\\nRUN echo ${name} > /proof\\n' "$DIND_STACK_REGISTRY" > Dockerfile
    docker build -q -t "$DIND_STACK_REGISTRY/modes/${name}:1" .; docker push "$DIND_STACK_REGISTRY/modes/${name}:1"`;
  await execOk(client, ["sh", "-c", script]);
}

describe.each([
  // Host ports no other engine suite uses (this file runs beside the Docker stacks' suites,
  // scripts/run-tests.sh, lane 2) and that fetch allows (it refuses 5060 and 5061, SIP).
  { config: "dev", group: "builder", port: 5071, first: dood, second: dind },
  { config: "ci", group: "runner", port: 5072, first: dind, second: dood },
])("the $config stack switched between modes on a real engine", ({ config, group, port, first, second }) => {
  const STACK = `test-mode-${config}`;
  const names = objectNames(STACK);
  const client = names.client(group, 1);
  const dindData = `${names.prefix}-dind-data`;
  const host = `127.0.0.1:${port}`;
  const stack = new TestStack({
    configOf: config,
    stack: STACK,
    overrides: { "dind-stack:registry": { port }, "dind-stack:workloads": { allowDood: true, clients: [{ name: group, count: 1 }] }, ...first },
  });
  let registryId: string | undefined;
  const catalog = async () => (await registryGet(host, "/v2/_catalog")).body.repositories;
  const inMode = (mode: Record<string, string>) => (mode === dind ? "dind" : "dood");
  // What the DinD daemon built into its cache: `first` when the stack starts in DinD, else `second`.
  const builtInDind = first === dind ? "first" : "second";

  scenarioHooks(stack, { prefix: names.prefix, busybox: true, hostImages: [`${host}/modes/busybox:1`, `${host}/modes/first:1`, `${host}/modes/second:1`] });

  test(`up in ${inMode(first)}: an image pushed from the host and one built by the client land in the registry`, async () => {
    await figures.time(`modes ${config}: first up (${inMode(first)})`, () => stack.up());
    await pushFromHost(BUSYBOX_IMAGE, `${host}/modes/busybox:1`);
    await buildAndPush(client, "first");
    expect(await catalog()).toEqual(["modes/busybox", "modes/first"]);
    registryId = await containerId(names.registryContainer);
  });

  test(`${inMode(first)} → ${inMode(second)} in one up: the client is replaced under the other workload (no name in use), the registry is untouched and keeps its content`, async () => {
    stack.configure(second);
    const applied = await figures.time(`modes ${config}: up switching to ${inMode(second)}`, () => stack.up());
    const changed = changesOf(applied.steps);
    // The image changes too: a DooD client runs the client image, a DinD client the DinD image.
    expect(changed).toContain(`replace ${STACK}-${inMode(second)}-client-${group}-1 [envs,image,volumes]`);
    expect(changed.filter((change) => change.includes("registry"))).toEqual([]);
    expect(await containerId(names.registryContainer)).toBe(registryId);
    expect(await stackContainers(STACK)).toEqual(second === dind ? [client, names.daemonContainer, names.registryContainer].sort() : [client, names.registryContainer].sort());
    if (second === dood) {
      expect(changed).toEqual(expect.arrayContaining([`delete ${STACK}-dind-daemon`, `retain ${STACK}-dind-data`]));
      expect(await volumeExists(dindData)).toBe(true);
    }
    // The client drives its new daemon, pulls what was pushed before the switch, and pushes.
    await buildAndPush(client, "second");
    expect(await catalog()).toEqual(["modes/busybox", "modes/first", "modes/second"]);
  });

  test(`back to ${inMode(first)}: the registry, untouched, serves what either mode pushed`, async () => {
    stack.configure(first);
    await figures.time(`modes ${config}: up switching back to ${inMode(first)}`, () => stack.up());
    expect(await containerId(names.registryContainer)).toBe(registryId);
    await execOk(client, ["sh", "-c", 'docker pull "$DIND_STACK_REGISTRY/modes/second:1"']);
  });

  test("in DinD again, the kept cache volume is used: the daemon has what it built before, without pulling", async () => {
    stack.configure(dind);
    await stack.up();
    expect(await imagesOf(client)).toContain(`registry:5000/modes/${builtInDind}:1`);
  });

  test("destroy and up again: the registry's content and the DinD cache are still there", async () => {
    await stack.destroy();
    expect(await stackContainers(STACK)).toEqual([]);
    await figures.time(`modes ${config}: up after destroy`, () => stack.up());
    expect(await catalog()).toEqual(["modes/busybox", "modes/first", "modes/second"]);
    expect(await imagesOf(client)).toContain(`registry:5000/modes/${builtInDind}:1`);
    await removeHostImage(`${host}/modes/second:1`);
    await pullToHost(`${host}/modes/second:1`);
    const proof = await runToCompletion({ Image: `${host}/modes/second:1`, Cmd: ["cat", "/proof"], HostConfig: { NetworkMode: "none" } });
    expect(proof).toEqual({ exitCode: 0, log: "second\n" });
  });
});
