// The DooD client image (components/client-image) is built from the same verified tarball as
// the DinD image, for real: a wrong sha256 fails the build with both sums and nothing runs the
// CLI; from a download mirror the right sum builds an image whose CLI drives the host's engine.
import { objectNames } from "../../components/naming";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk } from "./support/container-io";
import { deploy } from "./support/deploy";
import { engine } from "./support/engine";
import { MirrorServer, serveMirror } from "./support/mirror-server";
import { readStandins } from "./support/standins";

const WRONG_SHA256 = "0".repeat(64);

describe("the DooD client image verifies the docker tarball", () => {
  let mirror: MirrorServer;
  beforeAll(async () => {
    await removeByNamePrefix("dind-stack-test-client-");
    mirror = await serveMirror(readStandins().mirrorDir);
  });
  afterAll(async () => {
    await mirror.close();
    await removeTestObjects({ images: false });
    await removeByNamePrefix("dind-stack-test-client-");
  }, 120_000);

  test("a local tarball with the wrong sha256 fails the build, printing both sums; no client is created", async () => {
    const standins = readStandins();
    const stack = "test-client-sum";
    const message = await deploy({ configOf: "dev", stack, overrides: { "dind-stack:registry": { port: 5051 }, "dind-stack:dindImage": { sha256: WRONG_SHA256 } } }).then(
      () => "the build succeeded",
      (error: Error) => error.message,
    );
    expect(message).toContain("sha256 mismatch");
    expect(message).toContain(`expected: ${WRONG_SHA256}`);
    expect(message).toContain(`actual:   ${standins.sha256}`);
    expect(message).toContain("[client-image] ERROR: refusing to use docker-");
    const containers = await engine.listContainers({ all: true });
    expect(containers.flatMap((container) => container.Names)).not.toContain(`/${objectNames(stack).client("builder", 1)}`);
  });

  test("downloaded from a mirror with the right sum, the CLI is the tarball's and drives the host's engine", async () => {
    const standins = readStandins();
    const stack = "test-client-download";
    const download = { localTarball: undefined, downloadUrl: mirror.url, buildNetwork: "host" };
    const run = await deploy({ configOf: "dev", stack, overrides: { "dind-stack:registry": { port: 5052 }, "dind-stack:dindImage": download } });
    expect(mirror.requests).toContain(`/${standins.arch}/docker-${standins.dockerVersion}.tgz`);
    const builder = objectNames(stack).client("builder", 1);
    expect((await execOk(builder, ["docker", "--version"])).stdout).toContain(`version ${standins.dockerVersion}`);
    expect((await execOk(builder, ["docker", "info", "--format", "{{.ID}}"])).stdout.trim()).toBe((await engine.info()).ID);
    expect((run.outputs.clientImage as { ref: string }).ref).toMatch(/^sha256:/);
  });
});
