// Scenario 2: the dev stack (DooD) on a real engine. The client drives the host's own
// daemon through the mounted socket, builds with the host's cache and pushes to the
// registry through its loopback-published address.
import { objectNames } from "../../components/naming";
import { ProgramRun } from "../support/run-program";
import { deploy } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execIn, execOk } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { pullToHost, registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { readStandins } from "./support/standins";
import { ensureBusybox } from "./support/test-images";

const STACK = "test-dev";
const names = objectNames(STACK);
const builder = names.client("builder", 1);

describe("dev stack (DooD) on a real engine", () => {
  let run: ProgramRun;
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    run = await figures.time("dev: deploy (build image, registry, 1 DooD client)", () => deploy({ configOf: "dev", stack: STACK }));
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
});
