// Scenario: BuildKit in a DinD runner (the ci stack). The DinD image carries the buildx and
// compose plugins; a runner builds with `docker buildx build` (with and without --load), with
// cache and secret mounts, runs `docker compose up` of two services, and builds with the
// registry as its build cache: after the daemon's /var/lib/docker is wiped, a build takes its
// layers from the cache in the stack's registry instead of running its steps again.
// Runs on both stand-in engines (jest projects engine and engine-trixie).
import { objectNames } from "../../components/naming";
import { deploy } from "./support/deploy";
import { buildxBuild, BuildkitClient, cachedBuildScript, catInImage, composeUp, hasImage, expectMountsToWork, putFiles, shell } from "./support/buildkit-scenarios";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { pushFromHost, removeHostImage, runToCompletion } from "./support/host-side";
import { readStandins } from "./support/standins";
import { BUSYBOX_IMAGE, ensureBusybox } from "./support/test-images";
import { waitHealthy } from "./support/waiting";

const STACK = "test-bk-dind";
const names = objectNames(STACK);
const runner = names.client("runner", 1);
const client: BuildkitClient = { container: runner, baseImage: "registry:5000/e2e/busybox:1", tagPrefix: "registry:5000/e2e/bk" };

const CACHED_BUILD = cachedBuildScript("cached-app", "/tmp/cached-app");

/** Stops the daemon, empties its /var/lib/docker volume and starts it again: a daemon with no images and no build cache. */
async function wipeDaemonData(): Promise<void> {
  const daemon = engine.getContainer(names.daemonContainer);
  const volume = (await daemon.inspect()).Mounts.find((mount) => mount.Destination === "/var/lib/docker")?.Name;
  if (!volume) throw new Error(`${names.daemonContainer} has no volume at /var/lib/docker`);
  await daemon.stop();
  const emptied = await runToCompletion({
    Image: BUSYBOX_IMAGE,
    Cmd: ["sh", "-c", "cd /data && rm -rf -- * .[!.]* ..?* && ls -A | wc -l"],
    HostConfig: { Binds: [`${volume}:/data`], NetworkMode: "none" },
  });
  expect(emptied).toEqual({ exitCode: 0, log: "0\n" });
  await daemon.start();
  await waitHealthy(names.daemonContainer, 120_000);
}

describe("BuildKit in a DinD runner (ci stack)", () => {
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    const run = await figures.time("bk-dind: deploy", () => deploy({ configOf: "ci", stack: STACK }));
    registryHost = run.outputs.registryHostAddress as string;
    await pushFromHost(BUSYBOX_IMAGE, `${registryHost}/e2e/busybox:1`);
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/e2e/busybox:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("the runner has the image's buildx and compose plugins, in the versions it was built with", async () => {
    const { plugins } = readStandins();
    expect((await execOk(runner, ["docker", "buildx", "version"])).stdout).toContain(plugins.buildx.version);
    expect((await execOk(runner, ["docker", "compose", "version"])).stdout).toContain(plugins.compose.version);
    expect((await execOk(runner, ["docker-compose", "version"])).stdout).toContain(plugins.compose.version);
    const builders = (await execOk(runner, ["docker", "buildx", "ls"])).stdout;
    expect(builders).toMatch(/^default\*?\s+docker/m);
  });

  test("docker buildx build: BuildKit builds on the daemon and the image is there to run", async () => {
    const { log, proof } = await figures.time("bk-dind: buildx build", () => buildxBuild(client, [], "plain"));
    expect(log).toMatch(/^#\d+ \[\d\/\d\] RUN echo built-by-buildx-plain/m);
    expect(proof).toBe("built-by-buildx-plain");
  });

  test("docker buildx build --load: the image is loaded into the daemon and runs", async () => {
    const { log, proof } = await buildxBuild(client, ["--load"], "load");
    expect(log).toMatch(/^#\d+ naming to .*bk-load:1/m);
    expect(proof).toBe("built-by-buildx-load");
  });

  test("RUN --mount=type=cache keeps its files between builds; RUN --mount=type=secret reaches the step and no layer", async () => {
    await figures.time("bk-dind: cache and secret mounts, two builds", () => expectMountsToWork(client));
  });

  test("docker compose up: two services on a network of the nested daemon, one reaching the other by name", async () => {
    const { log, exitCode } = await figures.time("bk-dind: compose up of two services", () => composeUp(client, "bk-compose"));
    expect(log).toContain("served-by-compose-web");
    expect(exitCode).toBe(0);
    expect((await execOk(runner, ["docker", "ps", "-a", "--filter", "label=com.docker.compose.project=bk-compose", "-q"])).stdout).toBe("");
  });

  test("registry build cache: after the daemon's data is wiped, a build takes its layers from the cache in the stack's registry", async () => {
    const dockerfile = [
      `FROM ${client.baseImage}`,
      "RUN echo step-one-ran && head -c 4194304 /dev/urandom > /random.bin",
      "RUN echo step-two-ran && sha256sum /random.bin > /random.sha256",
      "",
    ].join("\n");
    await putFiles(runner, "/tmp/cached-app", { Dockerfile: dockerfile });
    const first = await figures.time("bk-dind: cold build, inline cache pushed", () => shell(runner, CACHED_BUILD));
    expect(first).toContain("step-one-ran");
    expect(first).toContain("step-two-ran");
    const cacheRef = `registry:5000/build-cache/cached-app`;
    const digest = await catInImage(client, cacheRef, "/random.sha256");

    await figures.time("bk-dind: daemon data wiped and daemon restarted", wipeDaemonData);
    expect((await execOk(runner, ["docker", "image", "ls", "-q"])).stdout).toBe("");
    expect(await hasImage(client, client.baseImage)).toBe(false);

    const second = await figures.time("bk-dind: build on the wiped daemon from the registry cache", () => shell(runner, CACHED_BUILD));
    expect(second).toContain(`importing cache manifest from ${cacheRef}`);
    const cachedSteps = second.split("\n").filter((line) => /^#\d+ \[\d\/\d\] RUN echo step-(one|two)-ran/.test(line));
    expect(cachedSteps.length).toBe(2);
    for (const step of cachedSteps) expect(second).toMatch(new RegExp(`^${step.split(" ")[0]} CACHED$`, "m"));
    expect(second).not.toMatch(/^#\d+ \d+\.\d+ step-(one|two)-ran$/m);
    await execOk(runner, ["docker", "pull", cacheRef]);
    expect(await catInImage(client, cacheRef, "/random.sha256")).toBe(digest);
  });
});
