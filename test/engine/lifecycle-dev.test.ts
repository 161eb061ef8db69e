// The life of the dev stack (DooD) after its first `pulumi up`, acted out on a real engine with
// the provider's own update/replace/delete rules (test/support/lifecycle): the same changes as
// the ci stack's, where the clients build on the host's daemon and push to the registry's host
// address.
import { objectNames } from "../../components/naming";
import { execOk } from "./support/container-io";
import { TestStack } from "./support/deploy";
import { figures } from "./support/figures";
import { registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { changesOf, containerId, networkExists, repositoriesOnVolume, stackContainers } from "./support/stack-objects";
import { scenarioHooks } from "./support/scenario-hooks";
import { BUSYBOX_IMAGE } from "./support/test-images";

const STACK = "test-life-dev";
const names = objectNames(STACK);
const builder = (index: number) => names.client("builder", index);
const credentials = { username: "builder", password: "first-password-1" };
const rotated = { ...credentials, password: "second-password-2" };
const ports = { first: 5021, moved: 5022 };
const builders = (count: number) => ({ "dind-stack:workloads": { clients: [{ name: "builder", count }] } });

/** Builds the app on the host's daemon from a client and pushes it to the registry the client is given. */
async function buildAndPush(client: string, tag: string): Promise<void> {
  const script = `set -eu; mkdir -p /tmp/a && cd /tmp/a; printf 'FROM ${BUSYBOX_IMAGE}\\nRUN echo dood-life > /proof\\n' > Dockerfile; docker build -q -t "$DIND_STACK_REGISTRY/life/app:${tag}" .; docker push "$DIND_STACK_REGISTRY/life/app:${tag}"`;
  await execOk(client, ["sh", "-c", script]);
}

describe("the dev stack (DooD) through its life on a real engine", () => {
  const stack = new TestStack({
    configOf: "dev",
    stack: STACK,
    overrides: { "dind-stack:registry": { port: ports.first, auth: { username: credentials.username } }, "dind-stack:registryPassword": credentials.password, ...builders(2) },
    secretKeys: ["dind-stack:registryPassword"],
  });
  let builderId: string | undefined;

  scenarioHooks(stack, { prefix: names.prefix, busybox: true, hostImages: Object.values(ports).flatMap((port) => ["1", "2"].map((tag) => `127.0.0.1:${port}/life/app:${tag}`)) });

  test("up: a client builds on the host's daemon and pushes to the registry's host address", async () => {
    await figures.time("lifecycle dev: first up", () => stack.up());
    await buildAndPush(builder(1), "1");
    expect((await registryGet(`127.0.0.1:${ports.first}`, "/v2/life/app/tags/list", credentials)).body.tags).toEqual(["1"]);
    builderId = await containerId(builder(1));
  });

  test("a daemon setting changes nothing in DooD mode: the preview and up leave every resource as it is", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 1400, insecureRegistries: ["mirror.test:5000"] } });
    expect(changesOf((await stack.preview()).steps)).toEqual([]);
    expect(changesOf((await stack.up()).steps)).toEqual([]);
    expect(await containerId(builder(1))).toBe(builderId);
  });

  test("a rebuilt client image (an extra package) replaces the clients, which then have the new package", async () => {
    stack.configure({ "dind-stack:dindImage": { extraPackages: ["jq"] } });
    const applied = await stack.up();
    expect(changesOf(applied.steps).sort()).toEqual([
      `replace ${STACK}-dood-client-builder-1 [image]`,
      `replace ${STACK}-dood-client-builder-2 [image]`,
      `update ${STACK}-client-image-image [build]`,
    ]);
    expect((await execOk(builder(2), ["jq", "--version"])).stdout).toMatch(/^jq-/);
    builderId = await containerId(builder(1));
  });

  test("a rotated registry password: the old one is refused, the new one works, and the clients push with it", async () => {
    stack.configure({ "dind-stack:registryPassword": rotated.password });
    const applied = await stack.up();
    expect(changesOf(applied.steps).sort()).toEqual([
      `replace ${STACK}-dood-client-builder-1 [uploads]`,
      `replace ${STACK}-dood-client-builder-2 [uploads]`,
      `replace ${STACK}-registry-container [uploads]`,
    ]);
    const host = `127.0.0.1:${ports.first}`;
    expect((await registryGet(host, "/v2/_catalog", credentials)).status).toBe(401);
    await buildAndPush(builder(2), "2");
    expect((await registryGet(host, "/v2/life/app/tags/list", rotated)).body.tags.sort()).toEqual(["1", "2"]);
    builderId = await containerId(builder(1));
  });

  test("scaling the builders 2 → 3 → 1 creates and deletes only the containers that come and go", async () => {
    stack.configure(builders(3));
    expect(changesOf((await stack.up()).steps)).toEqual([`create ${STACK}-dood-client-builder-3`]);
    await execOk(builder(3), ["docker", "version"]);
    stack.configure(builders(1));
    expect(changesOf((await stack.up()).steps).sort()).toEqual([`delete ${STACK}-dood-client-builder-2`, `delete ${STACK}-dood-client-builder-3`]);
    expect(await stackContainers(STACK)).toEqual([builder(1), names.registryContainer].sort());
    expect(await containerId(builder(1))).toBe(builderId);
  });

  test("the registry moves to another port: the client is pointed at the new address and pushes there", async () => {
    stack.configure({ "dind-stack:registry": { port: ports.moved } });
    const applied = await stack.up();
    expect(changesOf(applied.steps)).toEqual([`replace ${STACK}-registry-container [ports]`, `replace ${STACK}-dood-client-builder-1 [envs,uploads]`]);
    await expect(registryGet(`127.0.0.1:${ports.first}`, "/v2/")).rejects.toThrow();
    await buildAndPush(builder(1), "1");
    expect((await registryGet(`127.0.0.1:${ports.moved}`, "/v2/life/app/tags/list", rotated)).body.tags.sort()).toEqual(["1", "2"]);
  });

  test("destroy and up again: the registry's data survives, and an image pushed before is pulled back", async () => {
    await stack.destroy();
    expect(await stackContainers(STACK)).toEqual([]);
    expect(await networkExists(names.network)).toBe(false);
    expect(await repositoriesOnVolume(`${names.prefix}-registry-data`)).toBe("life/app\n");

    await figures.time("lifecycle dev: up after destroy, over the retained volume", () => stack.up());
    await removeHostImage(`127.0.0.1:${ports.moved}/life/app:2`);
    await execOk(builder(1), ["sh", "-c", 'docker pull "$DIND_STACK_REGISTRY/life/app:2"']);
    const proof = await runToCompletion({ Image: `127.0.0.1:${ports.moved}/life/app:2`, Cmd: ["cat", "/proof"], HostConfig: { NetworkMode: "none" } });
    expect(proof).toEqual({ exitCode: 0, log: "dood-life\n" });
  });
});
