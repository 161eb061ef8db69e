// The registry as a pull-through cache of one upstream: pulls through it fill the cache
// (from the host and from inside DinD); pushes to it are refused. The upstream is a
// second registry the test runs on the stack's network.
import { objectNames } from "../../components/naming";
import { deploy } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk } from "./support/container-io";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { waitFor } from "./support/waiting";
import { pullToHost, pushFromHost, registryGet, removeHostImage } from "./support/host-side";
import { ensureBusybox } from "./support/test-images";

const STACK = "test-proxy";
const names = objectNames(STACK);
const UPSTREAM = `${names.prefix}-upstream`;

describe("a registry configured as a pull-through cache", () => {
  let registryHost: string;
  let upstreamHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    // distribution contacts the upstream when it starts and exits when it cannot: the cache
    // container restarts (restart policy) until the upstream, started once the stack's
    // network exists, answers.
    const deploying = deploy({ configOf: "ci", stack: STACK, overrides: { "dind-stack:registry": { proxy: { remoteUrl: "http://e2e-upstream:5000" } } } });
    await waitFor("the stack's network", 120_000, async () => ((await engine.listNetworks({ filters: { name: [names.network] } })).length > 0 ? true : undefined));
    const upstream = await engine.createContainer({
      name: UPSTREAM,
      Image: "registry:2",
      Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
      ExposedPorts: { "5000/tcp": {} },
      HostConfig: { NetworkMode: names.network, PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
      NetworkingConfig: { EndpointsConfig: { [names.network]: { Aliases: ["e2e-upstream"] } } },
    });
    await upstream.start();
    const port = (await upstream.inspect()).NetworkSettings.Ports["5000/tcp"]![0].HostPort;
    upstreamHost = `127.0.0.1:${port}`;
    const run = await deploying;
    registryHost = run.outputs.registryHostAddress as string;
    await waitFor("the upstream registry", 30_000, async () => ((await registryGet(upstreamHost, "/v2/")).status === 200 ? true : undefined));
    await pushFromHost("dind-stack-test/busybox:local", `${upstreamHost}/e2e/busybox:1`);
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${upstreamHost}/e2e/busybox:1`);
    await removeHostImage(`${registryHost}/e2e/busybox:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("a DinD client pulls an upstream image through the cache by its network name; the cache then holds it", async () => {
    expect((await registryGet(registryHost, "/v2/_catalog")).body.repositories).toEqual([]);
    const pulled = await execOk(names.client("runner", 1), ["docker", "pull", "registry:5000/e2e/busybox:1"]);
    expect(pulled.stdout).toContain("registry:5000/e2e/busybox:1");
    // The cache stores the blobs it served in the background; wait for them to land.
    const cached = await waitFor("the cache to hold e2e/busybox", 30_000, async () => {
      const repositories = (await registryGet(registryHost, "/v2/_catalog")).body.repositories as string[];
      return repositories.length > 0 ? repositories : undefined;
    });
    expect(cached).toEqual(["e2e/busybox"]);
  });

  test("the host pulls through the cache on its published address", async () => {
    await pullToHost(`${registryHost}/e2e/busybox:1`);
    const image = await engine.getImage(`${registryHost}/e2e/busybox:1`).inspect();
    expect(image.Id).toBe((await engine.getImage("dind-stack-test/busybox:local").inspect()).Id);
  });

  test("a push to the cache is refused: starting an upload answers 405 Method Not Allowed", async () => {
    const upload = await fetch(`http://${registryHost}/v2/e2e/pushed/blobs/uploads/`, { method: "POST" });
    expect(upload.status).toBe(405);
    expect(((await upload.json()) as { errors: { code: string }[] }).errors[0].code).toBe("UNSUPPORTED");
    const direct = await fetch(`http://${upstreamHost}/v2/e2e/pushed/blobs/uploads/`, { method: "POST" });
    expect(direct.status).toBe(202);
  });
});
