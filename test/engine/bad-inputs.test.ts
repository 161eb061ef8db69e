// Scenario 4: bad inputs are refused for real. A tarball whose sha256 does not match
// fails the image build with both sums (local tarball and download), and so does a downloaded
// plugin, naming itself and its config key (its local-file path: the unit tests of
// fetch-plugin.sh); a registry with
// auth refuses anonymous pushes and accepts authenticated ones. (Clients with missing
// or foreign TLS certificates are refused in dind-ci.test.ts.)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { objectNames } from "../../components/naming";
import { deploy } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execIn, execOk } from "./support/container-io";
import { figures } from "./support/figures";
import { pushFromHost, registryGet, removeHostImage } from "./support/host-side";
import { MirrorServer, serveMirror } from "./support/mirror-server";
import { readStandins } from "./support/standins";
import { ensureBusybox } from "./support/test-images";

const WRONG_SHA256 = "0".repeat(64);

describe("the DinD image build verifies the docker tarball", () => {
  let mirror: MirrorServer;
  beforeAll(async () => {
    await removeByNamePrefix("dind-stack-test-sum");
    mirror = await serveMirror(readStandins().mirrorDir);
  });
  afterAll(async () => {
    await mirror.close();
    await removeTestObjects({ images: false });
  }, 120_000);

  test("a local tarball with the wrong sha256 fails the build, printing both sums", async () => {
    const standins = readStandins();
    const attempt = deploy({ configOf: "ci", stack: "test-sum-local", overrides: { "dind-stack:dindImage": { sha256: WRONG_SHA256 } } });
    await expect(attempt).rejects.toThrow(/sha256 mismatch/);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`expected: ${WRONG_SHA256}`);
    expect(message).toContain(`actual:   ${standins.sha256}`);
    expect(message).toContain("source:   /tmp/offline/docker-");
  });

  test("downloading from a mirror: the right sum builds, a wrong one fails with the URL and both sums", async () => {
    await removeTestObjects({ images: false });
    const standins = readStandins();
    const download = { localTarball: undefined, downloadUrl: mirror.url, buildNetwork: "host" };
    const run = await figures.time("download path: deploy with the tarball fetched from a loopback mirror", () =>
      deploy({ configOf: "ci", stack: "test-sum-download", overrides: { "dind-stack:dindImage": download } }),
    );
    expect(mirror.requests).toContain(`/${standins.arch}/docker-${standins.dockerVersion}.tgz`);
    expect((run.outputs.dindImage as { ref: string }).ref).toMatch(/^sha256:/);
    await removeTestObjects({ images: false });

    const attempt = deploy({ configOf: "ci", stack: "test-sum-download", overrides: { "dind-stack:dindImage": { ...download, sha256: WRONG_SHA256 } } });
    const message = await attempt.then(
      () => "the build succeeded",
      (error: Error) => error.message,
    );
    expect(message).toContain("sha256 mismatch");
    expect(message).toContain(`${mirror.url}/${standins.arch}/docker-${standins.dockerVersion}.tgz`);
    expect(message).toContain(`expected: ${WRONG_SHA256}`);
    expect(message).toContain(`actual:   ${standins.sha256}`);
  });
});

describe("the DinD image build verifies the plugins it downloads", () => {
  let mirrorDir: string;
  let mirror: MirrorServer;
  beforeAll(async () => {
    await removeByNamePrefix("dind-stack-test-plugin");
    // A mirror of buildx's GitHub release layout: <url>/v<version>/buildx-v<version>.linux-amd64.
    const { buildx } = readStandins().plugins;
    mirrorDir = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-plugin-mirror-"));
    fs.mkdirSync(path.join(mirrorDir, `v${buildx.version}`));
    fs.copyFileSync(buildx.file, path.join(mirrorDir, `v${buildx.version}`, `buildx-v${buildx.version}.linux-amd64`));
    mirror = await serveMirror(mirrorDir);
  });
  afterAll(async () => {
    await mirror.close();
    fs.rmSync(mirrorDir, { recursive: true, force: true });
    await removeTestObjects({ images: false });
  }, 120_000);

  test("a plugin downloaded from a mirror with the wrong sha256 fails the build, naming the plugin, its key, the URL and both sums", async () => {
    const { buildx } = readStandins().plugins;
    const overrides = { "dind-stack:dindImage": { buildx: { version: buildx.version, sha256: WRONG_SHA256, downloadUrl: mirror.url }, buildNetwork: "host" } };
    const message = await figures.time("plugin download path: a build that fails on the checksum", () =>
      deploy({ configOf: "ci", stack: "test-plugin-sum", overrides }).then(
        () => "the build succeeded",
        (error: Error) => error.message,
      ),
    );
    const asset = `/v${buildx.version}/buildx-v${buildx.version}.linux-amd64`;
    expect(mirror.requests).toEqual([asset]);
    expect(message).toContain(`sha256 mismatch for the buildx plugin ${buildx.version}`);
    expect(message).toContain(`source:   ${mirror.url}${asset}`);
    expect(message).toContain(`expected: ${WRONG_SHA256}`);
    expect(message).toContain(`actual:   ${buildx.sha256}`);
    expect(message).toContain("fix dind-stack:dindImage.buildx.sha256");
  });
});

describe("a registry with htpasswd auth", () => {
  const STACK = "test-auth";
  const names = objectNames(STACK);
  const runner = names.client("runner", 1);
  const credentials = { username: "builder", password: "correct-horse-battery" };
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    const run = await deploy({
      configOf: "ci",
      stack: STACK,
      overrides: { "dind-stack:registry": { auth: { username: credentials.username } }, "dind-stack:registryPassword": credentials.password },
      secretKeys: ["dind-stack:registryPassword"],
    });
    registryHost = run.outputs.registryHostAddress as string;
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/e2e/auth-busybox:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("the API answers 401 without credentials, 401 with a wrong password, 200 with the right one", async () => {
    expect((await registryGet(registryHost, "/v2/_catalog")).status).toBe(401);
    expect((await registryGet(registryHost, "/v2/_catalog", { ...credentials, password: "wrong-password" })).status).toBe(401);
    expect((await registryGet(registryHost, "/v2/_catalog", credentials)).status).toBe(200);
  });

  test("an anonymous push from the host is refused; an authenticated one succeeds", async () => {
    await expect(pushFromHost("dind-stack-test/busybox:local", `${registryHost}/e2e/auth-busybox:1`)).rejects.toThrow(/no basic auth credentials|unauthorized|authentication required/i);
    await pushFromHost("dind-stack-test/busybox:local", `${registryHost}/e2e/auth-busybox:1`, credentials);
    expect((await registryGet(registryHost, "/v2/_catalog", credentials)).body.repositories).toContain("e2e/auth-busybox");
  });

  test("clients push with the credentials the stack gave them; without them the push is refused", async () => {
    await execOk(runner, ["docker", "pull", "registry:5000/e2e/auth-busybox:1"]);
    await execOk(runner, ["docker", "tag", "registry:5000/e2e/auth-busybox:1", "registry:5000/e2e/from-client:1"]);
    const anonymous = await execIn(runner, ["sh", "-c", "mkdir -p /tmp/empty && DOCKER_CONFIG=/tmp/empty docker push registry:5000/e2e/from-client:1"]);
    expect(anonymous.exitCode).not.toBe(0);
    expect(anonymous.stderr + anonymous.stdout).toMatch(/no basic auth credentials|unauthorized|authentication required/i);
    await execOk(runner, ["docker", "push", "registry:5000/e2e/from-client:1"]);
    expect((await registryGet(registryHost, "/v2/e2e/from-client/tags/list", credentials)).body.tags).toEqual(["1"]);
  });
});
