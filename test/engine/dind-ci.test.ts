// Scenario 1: the ci stack (DinD) on a real engine. A client builds inside its DinD
// daemon, pushes to the registry through the insecure-registry config, the host sees
// and pulls the result, and a nested container runs. Then BuildKit in the runner: the DinD
// image's buildx and compose plugins, `docker buildx build` with and without --load, cache and
// secret mounts, `docker compose up` of two services, and the registry as build cache: after
// the daemon's /var/lib/docker is wiped (the last test), a build takes its layers from the cache
// in the stack's registry instead of running its steps again. Runs on both stand-in engines
// (jest projects engine and engine-trixie).
import { objectNames } from "../../components/naming";
import { ProgramRun } from "../support/run-program";
import { deploy } from "./support/deploy";
import { buildxBuild, BuildkitClient, cachedBuildScript, catInImage, composeUp, hasImage, expectMountsToWork, putFiles, shell } from "./support/buildkit-scenarios";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execIn, execOk, logsOf } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { pullToHost, pushFromHost, registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { readStandins } from "./support/standins";
import { BUSYBOX_IMAGE, ensureBusybox } from "./support/test-images";
import { waitHealthy } from "./support/waiting";

const STACK = "test-ci";
const names = objectNames(STACK);
const runner = names.client("runner", 1);

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

describe("ci stack (DinD) on a real engine", () => {
  let run: ProgramRun;
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    run = await figures.time("ci: deploy (build image, registry, daemon, 2 clients)", () => deploy({ configOf: "ci", stack: STACK, plugins: true }));
    registryHost = run.outputs.registryHostAddress as string;
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/e2e/busybox:1`);
    await removeHostImage(`${registryHost}/e2e/app:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("the daemon is ready over TLS: clients reach it with their certs, storage is overlay2 on the data volume", async () => {
    const version = await execOk(runner, ["docker", "version", "--format", "{{.Server.Version}}"]);
    expect(version.stdout.trim()).toContain(readStandins().dockerVersion);
    const env = (await execOk(runner, ["env"])).stdout;
    expect(env).toContain("DOCKER_HOST=tcp://docker:2376");
    expect(env).toContain("DOCKER_TLS_VERIFY=1");
    const driver = await execOk(runner, ["docker", "info", "--format", "{{.Driver}}"]);
    expect(driver.stdout.trim()).toBe("overlay2");
    const clientLog = await logsOf(runner);
    expect(clientLog).toMatch(/\[dind-client\] daemon at tcp:\/\/docker:2376 ready after \d+\.\ds/);
    const daemonLog = await logsOf(names.daemonContainer);
    expect(daemonLog).toMatch(/iptables backend: (legacy|nft) \(/);
    expect(daemonLog).toMatch(/TLS: material ready in \d+ ms/);
    expect(daemonLog).not.toMatch(/WARNING.*vfs/);
  });

  test("the daemon trusts exactly the stack's registry over plain HTTP", async () => {
    const indexConfigs = JSON.parse((await execOk(runner, ["docker", "info", "--format", "{{json .RegistryConfig.IndexConfigs}}"])).stdout);
    expect(indexConfigs["registry:5000"]).toMatchObject({ Name: "registry:5000", Secure: false });
    const cidrs = JSON.parse((await execOk(runner, ["docker", "info", "--format", "{{json .RegistryConfig.InsecureRegistryCIDRs}}"])).stdout);
    // Only loopback is trusted over HTTP by default (newer engines add ::1/128 to 127.0.0.0/8).
    expect(cidrs.length).toBeGreaterThan(0);
    for (const cidr of cidrs) expect(["127.0.0.0/8", "::1/128"]).toContain(cidr);
  });

  test("an image pushed from the host is pulled inside DinD and a nested container runs from it", async () => {
    await figures.time("ci: host push of busybox to the registry", () => pushFromHost("dind-stack-test/busybox:local", `${registryHost}/e2e/busybox:1`));
    await figures.time("ci: pull inside DinD from registry:5000", () => execOk(runner, ["docker", "pull", "registry:5000/e2e/busybox:1"]));
    const nested = await figures.time("ci: nested docker run", () =>
      execOk(runner, ["docker", "run", "--rm", "--network", "none", "registry:5000/e2e/busybox:1", "echo", "nested-ok"]),
    );
    expect(nested.stdout.trim()).toBe("nested-ok");
  });

  test("a client builds inside DinD, pushes to the registry, and the host sees and pulls the image", async () => {
    const script = [
      "set -eu",
      "mkdir -p /tmp/app && cd /tmp/app",
      "printf 'FROM registry:5000/e2e/busybox:1\\nRUN echo built-in-dind > /proof\\n' > Dockerfile",
      "docker build -q -t registry:5000/e2e/app:1 .",
    ].join("\n");
    await figures.time("ci: build inside DinD", () => execOk(runner, ["sh", "-c", script]));
    await figures.time("ci: push from DinD to registry:5000", () => execOk(runner, ["docker", "push", "registry:5000/e2e/app:1"]));

    const catalog = await registryGet(registryHost, "/v2/_catalog");
    expect(catalog.status).toBe(200);
    expect(catalog.body.repositories).toEqual(expect.arrayContaining(["e2e/app", "e2e/busybox"]));
    expect((await registryGet(registryHost, "/v2/e2e/app/tags/list")).body).toEqual({ name: "e2e/app", tags: ["1"] });

    await figures.time("ci: host pull from 127.0.0.1 registry", () => pullToHost(`${registryHost}/e2e/app:1`));
    const proof = await runToCompletion({ Image: `${registryHost}/e2e/app:1`, Cmd: ["cat", "/proof"], HostConfig: { NetworkMode: "none" } });
    expect(proof).toEqual({ exitCode: 0, log: "built-in-dind\n" });
  });

  test("the second client shares the daemon and its cache", async () => {
    const images = await execOk(names.client("runner", 2), ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"]);
    expect(images.stdout.split("\n")).toContain("registry:5000/e2e/app:1");
  });

  test("a client without certificates, or with certificates from another CA, is refused", async () => {
    const probe = (script: string) =>
      runToCompletion({
        Image: (run.outputs.dindImage as { ref: string }).ref,
        Entrypoint: ["sh", "-c", script],
        HostConfig: { NetworkMode: names.network, Binds: [`${names.certsVolume}:/certs/client:ro`] },
      });
    const noCerts = await probe("unset DOCKER_TLS_VERIFY DOCKER_CERT_PATH; docker -H tcp://docker:2376 version 2>&1; echo exit=$?");
    expect(noCerts.log).toMatch(/exit=[1-9]/);
    expect(noCerts.log).toMatch(/HTTP request to an HTTPS server/i);

    // TLS to the right server, but no client certificate: --tlsverify on the daemon demands one.
    const noClientCert = await probe("docker --tls --tlscacert /certs/client/ca.pem -H tcp://docker:2376 version 2>&1; echo exit=$?");
    expect(noClientCert.log).toMatch(/exit=[1-9]/);
    expect(noClientCert.log).toMatch(/certificate required|bad certificate/i);

    const foreignCert = await probe(
      [
        "set -u; cd /tmp",
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -subj /CN=other-ca -days 1 2>/dev/null",
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out client.csr -subj /CN=intruder 2>/dev/null",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem -days 1 2>/dev/null",
        "echo '--- trusting the real CA, presenting a foreign client cert'",
        "docker --tlsverify --tlscacert /certs/client/ca.pem --tlscert cert.pem --tlskey key.pem -H tcp://docker:2376 version 2>&1; echo exit=$?",
        "echo '--- trusting a foreign CA'",
        "docker --tlsverify --tlscacert ca.pem --tlscert /certs/client/cert.pem --tlskey /certs/client/key.pem -H tcp://docker:2376 version 2>&1; echo exit=$?",
        "echo '--- the real client cert'",
        "docker --tlsverify --tlscacert /certs/client/ca.pem --tlscert /certs/client/cert.pem --tlskey /certs/client/key.pem -H tcp://docker:2376 version --format '{{.Server.Version}}' 2>&1; echo exit=$?",
      ].join("\n"),
    );
    const [, foreignClient, foreignCa, genuine] = foreignCert.log.split(/^--- .*$/m);
    expect(foreignClient).toMatch(/exit=[1-9]/);
    // A client from Go 1.21 on (docker 26) does not even offer a certificate the daemon's CA did not sign: "certificate required".
    expect(foreignClient).toMatch(/bad certificate|unknown certificate authority|certificate required/i);
    expect(foreignCa).toMatch(/exit=[1-9]/);
    expect(foreignCa).toMatch(/certificate signed by unknown authority|x509/i);
    expect(genuine).toMatch(/exit=0/);
  });

  test("what a client runs on the daemon stays off the host engine", async () => {
    const inner = await execIn(runner, ["docker", "run", "-d", "--network", "none", "--name", "isolation-probe", "registry:5000/e2e/busybox:1", "sleep", "60"]);
    expect(inner.exitCode).toBe(0);
    expect((await execOk(runner, ["docker", "ps", "--format", "{{.Names}}"])).stdout).toContain("isolation-probe");
    const hostNames = (await engine.listContainers({ all: true })).flatMap((info) => info.Names);
    expect(hostNames).not.toContain("/isolation-probe");
    await execOk(runner, ["docker", "rm", "-f", "isolation-probe"]);
  });

  describe("BuildKit in a runner: buildx, cache and secret mounts, compose, the registry as build cache", () => {
    const client: BuildkitClient = { container: runner, baseImage: "registry:5000/e2e/busybox:1", tagPrefix: "registry:5000/e2e/bk" };

    beforeAll(async () => {
      await pushFromHost("dind-stack-test/busybox:local", `${registryHost}/e2e/busybox:1`);
    });

    test("the runner has the image's buildx and compose plugins, in the versions it was built with", async () => {
      const { plugins } = readStandins();
      expect((await execOk(runner, ["docker", "buildx", "version"])).stdout).toContain(plugins.buildx.version);
      expect((await execOk(runner, ["docker", "compose", "version"])).stdout).toContain(plugins.compose.version);
      expect((await execOk(runner, ["docker-compose", "version"])).stdout).toContain(plugins.compose.version);
      const builders = (await execOk(runner, ["docker", "buildx", "ls"])).stdout;
      expect(builders).toMatch(/^default\*?\s+docker/m);
    });

    test("docker buildx build: BuildKit builds on the daemon and the image is there to run", async () => {
      const { log, proof } = await figures.time("ci buildkit: buildx build", () => buildxBuild(client, [], "plain"));
      expect(log).toMatch(/^#\d+ \[\d\/\d\] RUN echo built-by-buildx-plain/m);
      expect(proof).toBe("built-by-buildx-plain");
    });

    test("docker buildx build --load: the image is loaded into the daemon and runs", async () => {
      const { log, proof } = await buildxBuild(client, ["--load"], "load");
      expect(log).toMatch(/^#\d+ naming to .*bk-load:1/m);
      expect(proof).toBe("built-by-buildx-load");
    });

    test("RUN --mount=type=cache keeps its files between builds; RUN --mount=type=secret reaches the step and no layer", async () => {
      await figures.time("ci buildkit: cache and secret mounts, two builds", () => expectMountsToWork(client));
    });

    test("docker compose up: two services on a network of the nested daemon, one reaching the other by name", async () => {
      const { log, exitCode } = await figures.time("ci buildkit: compose up of two services", () => composeUp(client, "bk-compose"));
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
      const first = await figures.time("ci buildkit: cold build, inline cache pushed", () => shell(runner, CACHED_BUILD));
      expect(first).toContain("step-one-ran");
      expect(first).toContain("step-two-ran");
      const cacheRef = `registry:5000/build-cache/cached-app`;
      const digest = await catInImage(client, cacheRef, "/random.sha256");

      await figures.time("ci buildkit: daemon data wiped and daemon restarted", wipeDaemonData);
      expect((await execOk(runner, ["docker", "image", "ls", "-q"])).stdout).toBe("");
      expect(await hasImage(client, client.baseImage)).toBe(false);

      const second = await figures.time("ci buildkit: build on the wiped daemon from the registry cache", () => shell(runner, CACHED_BUILD));
      expect(second).toContain(`importing cache manifest from ${cacheRef}`);
      const cachedSteps = second.split("\n").filter((line) => /^#\d+ \[\d\/\d\] RUN echo step-(one|two)-ran/.test(line));
      expect(cachedSteps.length).toBe(2);
      for (const step of cachedSteps) expect(second).toMatch(new RegExp(`^${step.split(" ")[0]} CACHED$`, "m"));
      expect(second).not.toMatch(/^#\d+ \d+\.\d+ step-(one|two)-ran$/m);
      await execOk(runner, ["docker", "pull", cacheRef]);
      expect(await catInImage(client, cacheRef, "/random.sha256")).toBe(digest);
    });
  });
});
