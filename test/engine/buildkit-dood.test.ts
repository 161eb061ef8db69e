// Scenario: BuildKit in a DooD client (the dev stack). The client runs the DinD image, so it has
// the buildx and compose plugins; it builds with the host's daemon (its BuildKit), with and
// without --load, with cache and secret mounts, and runs `docker compose up` of two services on
// the host's engine. The host's engine is shared, so every name here is unique to the test.
import { randomBytes } from "node:crypto";
import { objectNames } from "../../components/naming";
import { deploy } from "./support/deploy";
import { buildxBuild, BuildkitClient, cachedBuildScript, composeUp, expectMountsToWork, putFiles, registryImageConfig, shell } from "./support/buildkit-scenarios";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { removeHostImage } from "./support/host-side";
import { BUSYBOX_IMAGE, ensureBusybox } from "./support/test-images";

const STACK = "test-bk-dood";
const names = objectNames(STACK);
const builder = names.client("builder", 1);
const client: BuildkitClient = { container: builder, baseImage: BUSYBOX_IMAGE, tagPrefix: `dind-stack-test/bk-${randomBytes(4).toString("hex")}` };
const COMPOSE_PROJECT = `dind-stack-test-bk-${randomBytes(4).toString("hex")}`;

describe("BuildKit in a DooD client (dev stack)", () => {
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    const run = await figures.time("bk-dood: deploy", () => deploy({ configOf: "dev", stack: STACK, overrides: { "dind-stack:registry": { port: 5057 } } }));
    registryHost = run.outputs.registryHostAddress as string;
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/build-cache/dood-app`);
    for (const image of await engine.listImages({ filters: { reference: [`${client.tagPrefix}-*`] } })) {
      for (const tag of image.RepoTags ?? []) await removeHostImage(tag);
    }
    await removeTestObjects({ images: false });
  }, 120_000);

  test("the client drives the host's BuildKit through the docker driver", async () => {
    const builders = (await execOk(builder, ["docker", "buildx", "ls"])).stdout;
    expect(builders).toMatch(/^default\*?\s+docker/m);
    expect((await execOk(builder, ["docker", "buildx", "inspect", "--bootstrap"])).stdout).toMatch(/Endpoint:\s+default/);
  });

  test("docker buildx build: the image lands in the host's images and runs", async () => {
    const { proof } = await figures.time("bk-dood: buildx build", () => buildxBuild(client, [], "plain"));
    expect(proof).toBe("built-by-buildx-plain");
    expect((await engine.getImage(`${client.tagPrefix}-plain:1`).inspect()).Id).toMatch(/^sha256:/);
  });

  test("docker buildx build --load: the image is loaded into the host's daemon and runs", async () => {
    const { proof } = await buildxBuild(client, ["--load"], "load");
    expect(proof).toBe("built-by-buildx-load");
  });

  test("RUN --mount=type=cache keeps its files between builds; RUN --mount=type=secret reaches the step and no layer", async () => {
    await figures.time("bk-dood: cache and secret mounts, two builds", () => expectMountsToWork(client));
  });

  test("docker compose up: two services on the host's engine, one reaching the other by name; down leaves nothing", async () => {
    const { log, exitCode } = await figures.time("bk-dood: compose up of two services", () => composeUp(client, COMPOSE_PROJECT));
    expect(log).toContain("served-by-compose-web");
    expect(exitCode).toBe(0);
    const left = await engine.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${COMPOSE_PROJECT}`] } });
    expect(left).toEqual([]);
  });

  test("the documented cached build pushes the image with BuildKit's inline cache to the stack's registry", async () => {
    expect((await execOk(builder, ["sh", "-c", "echo $DIND_STACK_BUILD_CACHE"])).stdout.trim()).toBe(`${registryHost}/build-cache`);
    await putFiles(builder, "/tmp/dood-app", { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo ${randomBytes(8).toString("hex")} > /unique\n` });
    const log = await figures.time("bk-dood: build pushed with inline cache", () => shell(builder, cachedBuildScript("dood-app", "/tmp/dood-app")));
    expect(log).toMatch(/^#\d+ exporting cache/m);
    const config = await registryImageConfig(registryHost, "build-cache/dood-app", "latest");
    expect(Object.keys(config)).toContain("moby.buildkit.cache.v0");
  });
});
