// Scenario 2: the dev stack (DooD) on a real engine. The client drives the host's own
// daemon through the mounted socket, builds with the host's cache and pushes to the
// registry through its loopback-published address. Then BuildKit in the client (its client image carries the
// buildx and compose plugins, as the DinD image does): builds on the host's BuildKit with and
// without --load, cache and secret mounts, `docker compose up` of two services on the host's
// engine, and the documented cached build pushing its inline cache to the stack's registry.
import { randomBytes } from "node:crypto";
import { objectNames } from "../../components/naming";
import { ProgramRun } from "../support/run-program";
import { deploy } from "./support/deploy";
import { buildxBuild, BuildkitClient, cachedBuildScript, composeUp, expectMountsToWork, putFiles, registryImageConfig, shell } from "./support/buildkit-scenarios";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execIn, execOk } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { pullToHost, registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { readStandins } from "./support/standins";
import { BUSYBOX_IMAGE, ensureBusybox } from "./support/test-images";

const STACK = "test-dev";
const names = objectNames(STACK);
const builder = names.client("builder", 1);

describe("dev stack (DooD) on a real engine", () => {
  let run: ProgramRun;
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    run = await figures.time("dev: deploy (build image, registry, 1 DooD client)", () => deploy({ configOf: "dev", stack: STACK, plugins: true }));
    registryHost = run.outputs.registryHostAddress as string;
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/e2e/dood-app:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("the client sees the host's daemon (its containers, its images) without being privileged", async () => {
    const hostInfo = await engine.info();
    const seen = await execOk(builder, ["docker", "info", "--format", "{{.ID}}"]);
    expect(seen.stdout.trim()).toBe(hostInfo.ID);
    const containers = await execOk(builder, ["docker", "ps", "--format", "{{.Names}}"]);
    expect(containers.stdout.split("\n")).toEqual(expect.arrayContaining([names.registryContainer, builder]));
    const hostConfig = (await engine.getContainer(builder).inspect()).HostConfig;
    expect(hostConfig.Privileged).toBe(false);
    expect(hostConfig.CapAdd ?? []).toEqual([]);
    expect(hostConfig.Binds).toEqual(["/var/run/docker.sock:/var/run/docker.sock"]);
  });

  test("the client builds on the host's cache and pushes to the registry; the host pulls it back", async () => {
    const script = [
      "set -eu",
      "mkdir -p /tmp/app && cd /tmp/app",
      "printf 'FROM dind-stack-test/busybox:local\\nRUN echo built-via-dood > /proof\\n' > Dockerfile",
      'docker build -q -t "$DIND_STACK_REGISTRY/e2e/dood-app:1" .',
    ].join("\n");
    await figures.time("dev: build through the host socket", () => execOk(builder, ["sh", "-c", script]));
    await figures.time("dev: push to 127.0.0.1 registry", () => execOk(builder, ["sh", "-c", 'docker push "$DIND_STACK_REGISTRY/e2e/dood-app:1"']));

    const catalog = await registryGet(registryHost, "/v2/_catalog");
    expect(catalog.body.repositories).toContain("e2e/dood-app");
    await removeHostImage(`${registryHost}/e2e/dood-app:1`);
    await figures.time("dev: host pull from registry", () => pullToHost(`${registryHost}/e2e/dood-app:1`));
    const proof = await runToCompletion({ Image: `${registryHost}/e2e/dood-app:1`, Cmd: ["cat", "/proof"], HostConfig: { NetworkMode: "none" } });
    expect(proof).toEqual({ exitCode: 0, log: "built-via-dood\n" });
  });

  test("the client runs the client image: a docker CLI of the stack's Docker version, and no engine; no DinD image was built", async () => {
    const version = await execOk(builder, ["docker", "--version"]);
    expect(version.stdout).toContain(`version ${readStandins().dockerVersion}`);
    expect((await execIn(builder, ["sh", "-c", "command -v dockerd containerd runc iptables"])).stdout).toBe("");
    const clientImage = run.outputs.clientImage as { name: string; ref: string };
    expect((await engine.getContainer(builder).inspect()).Image).toBe(clientImage.ref);
    expect(run.outputs.dindImage).toBeUndefined();
  });

  test("outputs say where to push and that the host needs no daemon.json change", () => {
    expect(run.outputs).toMatchObject({ mode: "dood", pushRegistry: "127.0.0.1:5000", dockerHost: "unix:///var/run/docker.sock", hostDaemonJson: "" });
  });

  describe("BuildKit in the client, on the host's daemon: buildx, cache and secret mounts, compose, the inline cache pushed", () => {
    // The host's engine is shared: every name here is unique to the run.
    const client: BuildkitClient = { container: builder, baseImage: BUSYBOX_IMAGE, tagPrefix: `dind-stack-test/bk-${randomBytes(4).toString("hex")}` };
    const composeProject = `dind-stack-test-bk-${randomBytes(4).toString("hex")}`;

    afterAll(async () => {
      await removeHostImage(`${registryHost}/build-cache/dood-app`);
      for (const image of await engine.listImages({ filters: { reference: [`${client.tagPrefix}-*`] } })) {
        for (const tag of image.RepoTags ?? []) await removeHostImage(tag);
      }
    }, 120_000);

    test("the client drives the host's BuildKit through the docker driver", async () => {
      const builders = (await execOk(builder, ["docker", "buildx", "ls"])).stdout;
      expect(builders).toMatch(/^default\*?\s+docker/m);
      expect((await execOk(builder, ["docker", "buildx", "inspect", "--bootstrap"])).stdout).toMatch(/Endpoint:\s+default/);
    });

    test("docker buildx build: the image lands in the host's images and runs", async () => {
      const { proof } = await figures.time("dev buildkit: buildx build", () => buildxBuild(client, [], "plain"));
      expect(proof).toBe("built-by-buildx-plain");
      expect((await engine.getImage(`${client.tagPrefix}-plain:1`).inspect()).Id).toMatch(/^sha256:/);
    });

    test("docker buildx build --load: the image is loaded into the host's daemon and runs", async () => {
      const { proof } = await buildxBuild(client, ["--load"], "load");
      expect(proof).toBe("built-by-buildx-load");
    });

    test("RUN --mount=type=cache keeps its files between builds; RUN --mount=type=secret reaches the step and no layer", async () => {
      await figures.time("dev buildkit: cache and secret mounts, two builds", () => expectMountsToWork(client));
    });

    test("docker compose up: two services on the host's engine, one reaching the other by name; down leaves nothing", async () => {
      const { log, exitCode } = await figures.time("dev buildkit: compose up of two services", () => composeUp(client, composeProject));
      expect(log).toContain("served-by-compose-web");
      expect(exitCode).toBe(0);
      const left = await engine.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${composeProject}`] } });
      expect(left).toEqual([]);
    });

    test("the documented cached build pushes the image with BuildKit's inline cache to the stack's registry", async () => {
      expect((await execOk(builder, ["sh", "-c", "echo $DIND_STACK_BUILD_CACHE"])).stdout.trim()).toBe(`${registryHost}/build-cache`);
      await putFiles(builder, "/tmp/dood-app", { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo ${randomBytes(8).toString("hex")} > /unique\n` });
      const log = await figures.time("dev buildkit: build pushed with inline cache", () => shell(builder, cachedBuildScript("dood-app", "/tmp/dood-app")));
      expect(log).toMatch(/^#\d+ exporting cache/m);
      const config = await registryImageConfig(registryHost, "build-cache/dood-app", "latest");
      expect(Object.keys(config)).toContain("moby.buildkit.cache.v0");
    });
  });
});
