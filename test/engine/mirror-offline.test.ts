// Offline image sets, across two sites. Site A (a DooD stack) keeps its registry in a host
// directory, mirrors an image from a `docker save` archive, and its registry's storage is
// exported with scripts/export-registry.sh. Site B (a DinD stack) restores that archive into
// its volume, mirrors stand-ins for nginx:alpine and a quay.io image from archives and a third
// image pulled from a local upstream registry; then, with no route out of the stack's network,
// a DinD client builds FROM the Hub-style name (served by the read-only mirror registry, the
// daemon's Docker Hub mirror) and FROM the local references, and runs the results. A job then
// tries to poison `FROM nginx:alpine` for everyone (a push under the Hub path, a push to the
// mirror, a raw upload from a nested container) and still gets the stack's image back. Later
// `up`s change one entry (only it is pushed again), pin a wrong digest (refused, nothing lost)
// and remove an entry (the registry keeps serving it). Every image is built here: nothing is
// pulled from the internet.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { objectNames, imageSlug } from "../../components/naming";
import { scratchDir } from "../support/archives";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk } from "./support/container-io";
import { TestStack } from "./support/deploy";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { figures } from "./support/figures";
import { pushFromHost, registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { readRegistryDigest } from "./support/registry-push";
import { changesOf } from "./support/stack-objects";
import { BUSYBOX_IMAGE, buildStandinImage, saveImage } from "./support/test-images";
import { waitFor } from "./support/waiting";

const A = "test-mirror-a";
const B = "test-mirror-b";
const PORTS = { a: 5041, b: 5042 };
const NGINX = "nginx:alpine";
const FLANNEL = "quay.io/coreos/flannel:v0.11.0-amd64";
const CARRIED = "carried/app:1";
const UPSTREAM = `${objectNames(B).prefix}-upstream`;
const runner = objectNames(B).client("runner", 1);
const registryB = `127.0.0.1:${PORTS.b}`;
const mirrorB = objectNames(B).mirrorContainer;

/** The resource names of one mirrored image of site B. */
const entry = (localName: string) => {
  const base = `${B}-mirror-${imageSlug(localName)}`;
  return { load: `${base}-load`, pull: `${base}-pull`, tag: `${base}-tag`, push: `${base}-push`, publish: `${B}-mirror-registry-${imageSlug(localName)}-publish` };
};

/** The read-only mirror registry's catalog and tags, asked from inside its container (it is published nowhere). */
async function mirrorContent(): Promise<Record<string, string[]>> {
  const get = async (url: string) => JSON.parse((await execOk(mirrorB, ["wget", "-q", "-O-", `http://127.0.0.1:5000${url}`])).stdout);
  const content: Record<string, string[]> = {};
  for (const repository of (await get("/v2/_catalog")).repositories as string[]) content[repository] = ((await get(`/v2/${repository}/tags/list`)).tags as string[]).sort();
  return content;
}

/** The registry's catalog, and every repository's tags, as the API lists them. */
async function registryContent(host: string): Promise<Record<string, string[]>> {
  const repositories = (await registryGet(host, "/v2/_catalog")).body.repositories as string[];
  const content: Record<string, string[]> = {};
  for (const repository of repositories) content[repository] = ((await registryGet(host, `/v2/${repository}/tags/list`)).body.tags as string[]).sort();
  return content;
}

/** The manifest digest the registry serves for each `repository:tag`. */
async function servedDigests(host: string, references: string[]): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const reference of references) digests[reference] = await readRegistryDigest(`${host}/${reference}`, { address: `http://${host}` });
  return digests;
}

/** Removes the default route in the network namespace of `container` (from a throw-away container sharing it); returns the routes left. */
async function cutRouteOut(container: string): Promise<string> {
  const result = await runToCompletion({
    Image: BUSYBOX_IMAGE,
    Cmd: ["sh", "-c", "ip route del default 2>/dev/null || true; ip route"],
    HostConfig: { NetworkMode: `container:${container}`, CapAdd: ["NET_ADMIN"] },
  });
  if (result.exitCode !== 0) throw new Error(`cutting the route out of ${container} failed: ${result.log}`);
  return result.log;
}

/** In the DinD client: builds a Dockerfile `FROM base` that copies the base's /standin, runs the result without a network, and returns what it prints. */
async function buildAndRunFrom(base: string, name: string): Promise<string> {
  const script = [
    "set -eu",
    `mkdir -p /tmp/${name} && cd /tmp/${name}`,
    `printf 'FROM ${base}\\nRUN cp /standin /proof\\n' > Dockerfile`,
    `docker build -q -t offline/${name} . >/dev/null`,
    `docker run --rm --network none offline/${name} cat /proof`,
  ].join("\n");
  return (await execOk(runner, ["sh", "-c", script])).stdout.trim();
}

/** Fails unless `reference` is absent from the host engine or a stand-in of an earlier run (which it then removes). */
async function claimHostName(reference: string): Promise<void> {
  const existing = await engine.getImage(reference).inspect().catch(() => undefined);
  if (!existing) return;
  if (!existing.Config.Labels?.[TEST_RUN_LABEL]) throw new Error(`the engine has a ${reference} that no test built; the test would overwrite it, so it stops`);
  await removeHostImage(reference);
}

describe("offline image sets: mirror list, carried registry storage, DinD builds without a route out", () => {
  const files = scratchDir("mirror-engine");
  const hostDirA = path.join(files, "site-a-registry");
  const archives = {
    carried: path.join(files, "carried.tar"),
    nginx: path.join(files, "nginx.tar"),
    nginx2: path.join(files, "nginx-2.tar.gz"),
    flannel: path.join(files, "flannel.tar"),
    exported: path.join(files, "registry.tar.gz"),
  };
  const ids: Record<string, string> = {};
  let upstream = "";
  let siteB: TestStack;
  let digestsAfterFirstUp: Record<string, string> = {};

  beforeAll(async () => {
    for (const prefix of [objectNames(A).prefix, objectNames(B).prefix]) await removeByNamePrefix(prefix);
    for (const reference of [NGINX, FLANNEL, CARRIED]) await claimHostName(reference);
    // The upstream images: built here under their upstream names, saved, and removed from the
    // engine again, so that what the stack mirrors can only come from the archives.
    for (const [key, reference, content] of [["carried", CARRIED, "carried-app"], ["nginx", NGINX, "nginx-standin-1"], ["flannel", FLANNEL, "flannel-standin"]] as const) {
      ids[key] = await buildStandinImage(reference, content);
      await saveImage(reference, archives[key]);
      await removeHostImage(reference);
    }
    // A second nginx:alpine, gzip-compressed, for the changed entry.
    ids.nginx2 = await buildStandinImage(NGINX, "nginx-standin-2");
    await saveImage(NGINX, `${archives.nginx2}.tar`);
    execFileSync("gzip", ["-c", `${archives.nginx2}.tar`], { stdio: ["ignore", fs.openSync(archives.nginx2, "w"), "inherit"] });
    await removeHostImage(NGINX);
    // An upstream registry the engine can pull from (on loopback), holding team/tool:1.
    const container = await engine.createContainer({
      name: UPSTREAM,
      Image: "registry:2",
      Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
      ExposedPorts: { "5000/tcp": {} },
      HostConfig: { PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
    });
    await container.start();
    upstream = `127.0.0.1:${(await container.inspect()).NetworkSettings.Ports["5000/tcp"]![0].HostPort}`;
    await waitFor("the upstream registry", 30_000, async () => ((await registryGet(upstream, "/v2/").catch(() => undefined))?.status === 200 ? true : undefined));
    ids.tool = await buildStandinImage("dind-stack-test/tool:1", "tool-standin");
    await pushFromHost("dind-stack-test/tool:1", `${upstream}/team/tool:1`);
    await removeHostImage(`${upstream}/team/tool:1`);
  }, 600_000);

  afterAll(async () => {
    await siteB?.destroy().catch(() => undefined);
    await engine.getContainer(UPSTREAM).remove({ force: true, v: true }).catch(() => undefined);
    for (const reference of [NGINX, FLANNEL, CARRIED]) await removeHostImage(reference);
    await removeTestObjects({ images: false });
    for (const prefix of [objectNames(A).prefix, objectNames(B).prefix]) await removeByNamePrefix(prefix);
    fs.rmSync(files, { recursive: true, force: true });
  }, 180_000);

  test("site A: the registry lives in a host directory, an archived image is mirrored, the storage is exported; destroy leaves the directory", async () => {
    fs.mkdirSync(hostDirA);
    const siteA = new TestStack({
      configOf: "dev",
      stack: A,
      overrides: {
        "dind-stack:registry": { port: PORTS.a, hostPath: hostDirA },
        "dind-stack:mirror": [{ source: CARRIED, archive: archives.carried }],
        "dind-stack:workloads": { clients: [{ name: "builder", count: 0 }] },
      },
    });
    const result = await figures.time("mirror: site A up (host directory, one archived image)", () => siteA.up());
    expect(result.run.outputs.mirroredImages).toEqual([{ source: CARRIED, reference: `127.0.0.1:${PORTS.a}/carried/app:1`, imageId: ids.carried }]);
    expect(await registryContent(`127.0.0.1:${PORTS.a}`)).toEqual({ "carried/app": ["1"] });
    expect(fs.readdirSync(path.join(hostDirA, "docker/registry/v2/repositories/carried"))).toEqual(["app"]);

    const started = Date.now();
    execFileSync(path.resolve("scripts/export-registry.sh"), [objectNames(A).registryContainer, archives.exported], { stdio: "inherit" });
    figures.record("mirror: export of site A's registry storage", (Date.now() - started) / 1000, "s");
    expect(execFileSync("tar", ["-tzf", archives.exported], { encoding: "utf8" })).toContain("docker/registry/v2/repositories/carried/app/");
    // The registry serves again after the export paused it.
    expect((await registryGet(`127.0.0.1:${PORTS.a}`, "/v2/_catalog")).status).toBe(200);

    const destroyed = await siteA.destroy();
    expect(destroyed.some((step) => step.name === `${A}-mirror-${imageSlug("carried/app:1")}-push`)).toBe(true);
    expect(fs.existsSync(path.join(hostDirA, "docker/registry/v2/repositories/carried/app/_manifests"))).toBe(true);
  });

  test("site B: the exported storage is restored into the volume, three images are mirrored; the API lists exactly what was declared", async () => {
    siteB = new TestStack({
      configOf: "ci",
      stack: B,
      overrides: {
        "dind-stack:registry": { port: PORTS.b, restoreArchive: archives.exported },
        "dind-stack:mirror": [
          { source: NGINX, archive: archives.nginx },
          { source: FLANNEL, archive: archives.flannel, digest: ids.flannel },
          { source: `${upstream}/team/tool:1`, repository: "tools/tool" },
        ],
        "dind-stack:workloads": { clients: [{ name: "runner", count: 1 }] },
      },
    });
    const result = await figures.time("mirror: site B up (restore, two archives, one pull)", () => siteB.up());
    expect(result.steps.filter((step) => step.op !== "create")).toEqual([]);
    expect(result.run.outputs.mirroredImages).toEqual([
      { source: NGINX, reference: "mirror:5000/library/nginx:alpine", imageId: ids.nginx },
      { source: FLANNEL, reference: "mirror:5000/coreos/flannel:v0.11.0-amd64", imageId: ids.flannel },
      { source: `${upstream}/team/tool:1`, reference: "mirror:5000/tools/tool:1", imageId: ids.tool },
    ]);
    // The mirror registry holds what the list declares, and only that (the carried storage is the registry's).
    expect(await mirrorContent()).toEqual({ "coreos/flannel": ["v0.11.0-amd64"], "library/nginx": ["alpine"], "tools/tool": ["1"] });
    expect(await registryContent(registryB)).toEqual({
      "carried/app": ["1"],
      "coreos/flannel": ["v0.11.0-amd64"],
      "library/nginx": ["alpine"],
      "tools/tool": ["1"],
    });
    digestsAfterFirstUp = await servedDigests(registryB, ["library/nginx:alpine", "coreos/flannel:v0.11.0-amd64", "tools/tool:1", "carried/app:1"]);
  });

  test("with no route out of the stack's network, a DinD client builds FROM nginx:alpine (the Hub mirror) and FROM local references, and runs them", async () => {
    for (const container of [objectNames(B).daemonContainer, runner]) {
      const routes = await cutRouteOut(container);
      expect(routes).not.toMatch(/^default/m);
      expect(routes).toMatch(/dev eth0/);
    }
    const info = await execOk(runner, ["docker", "info", "--format", "{{json .RegistryConfig.Mirrors}}"]);
    expect(JSON.parse(info.stdout)).toEqual(["http://mirror:5000/"]);

    expect(await buildAndRunFrom(NGINX, "hub")).toBe("nginx-standin-1");
    expect((await execOk(runner, ["docker", "image", "inspect", "--format", "{{.Id}}", NGINX])).stdout.trim()).toBe(ids.nginx);
    expect(await buildAndRunFrom("mirror:5000/coreos/flannel:v0.11.0-amd64", "quay")).toBe("flannel-standin");
    expect(await buildAndRunFrom("registry:5000/tools/tool:1", "tool")).toBe("tool-standin");
    expect(await buildAndRunFrom("registry:5000/carried/app:1", "carried")).toBe("carried-app");
  });

  test("a job cannot change what FROM nginx:alpine gives the others: its push under the Hub path lands only in the registry it pushes to, the mirror refuses it, and the Hub name still gives the stack's image", async () => {
    const script = [
      "set -eu",
      "mkdir -p /tmp/poison && cd /tmp/poison",
      "printf 'FROM nginx:alpine\\nRUN echo poisoned > /standin\\n' > Dockerfile",
      "docker build -q -t registry:5000/library/nginx:alpine . >/dev/null",
      "docker push registry:5000/library/nginx:alpine >/dev/null",
      "docker tag registry:5000/library/nginx:alpine mirror:5000/library/nginx:alpine",
      "if docker push mirror:5000/library/nginx:alpine >/dev/null 2>&1; then echo 'push to mirror: accepted'; else echo 'push to mirror: refused'; fi",
      // A nested container writes to the mirror over plain HTTP (names do not resolve in nested containers: its address).
      'address=$(getent hosts mirror | cut -d" " -f1)',
      'echo "raw upload: $(docker run --rm nginx:alpine wget -q -O- --post-data= "http://$address:5000/v2/library/nginx/blobs/uploads/" 2>&1 || true)"',
      // The job drops its local copies and asks for the Hub name, as the next job would.
      "docker rmi -f registry:5000/library/nginx:alpine mirror:5000/library/nginx:alpine nginx:alpine >/dev/null",
      "docker pull nginx:alpine >/dev/null",
      'echo "pulled: $(docker image inspect --format "{{.Id}}" nginx:alpine)"',
      'echo "runs: $(docker run --rm nginx:alpine cat /standin)"',
    ].join("\n");
    const output = (await execOk(runner, ["sh", "-c", script])).stdout;
    expect(output).toContain("push to mirror: refused");
    expect(output).toMatch(/raw upload: .*405/);
    expect(output).toContain(`pulled: ${ids.nginx}`);
    expect(output).toContain("runs: nginx-standin-1");
    // The push did land in the registry the runners share (that is what it is for), and the mirror is unchanged.
    expect((await servedDigests(registryB, ["library/nginx:alpine"]))["library/nginx:alpine"]).not.toBe(digestsAfterFirstUp["library/nginx:alpine"]);
    expect(await mirrorContent()).toEqual({ "coreos/flannel": ["v0.11.0-amd64"], "library/nginx": ["alpine"], "tools/tool": ["1"] });
  });

  test("a second up with one entry changed (another nginx:alpine archive) replaces only that entry's load, tag and push; the registry changes only there", async () => {
    const nginx = entry("library/nginx:alpine");
    siteB.configure({
      "dind-stack:mirror": [
        { source: NGINX, archive: archives.nginx2 },
        { source: FLANNEL, archive: archives.flannel, digest: ids.flannel },
        { source: `${upstream}/team/tool:1`, repository: "tools/tool" },
      ],
    });
    // The push is replaced delete-first (the bridge does so for a RegistryImage the program names); its delete leaves the registry alone.
    const expected = [
      `replace ${nginx.load} [triggers]`,
      `replace ${nginx.tag} [sourceImage]`,
      `replace ${nginx.push} [triggers]`,
      `replace ${nginx.publish} [triggers]`,
      `delete ${nginx.publish}`,
      `delete ${nginx.tag}`,
      `delete ${nginx.load}`,
    ].sort();
    expect(changesOf((await siteB.preview()).steps).sort()).toEqual(expected);
    const applied = await figures.time("mirror: up with one entry changed", () => siteB.up());
    expect(changesOf(applied.steps).sort()).toEqual(expected);

    const digests = await servedDigests(registryB, Object.keys(digestsAfterFirstUp));
    expect(digests["library/nginx:alpine"]).not.toBe(digestsAfterFirstUp["library/nginx:alpine"]);
    expect({ ...digests, "library/nginx:alpine": "" }).toEqual({ ...digestsAfterFirstUp, "library/nginx:alpine": "" });
    expect((await registryContent(registryB))["library/nginx"]).toEqual(["alpine"]);
    await execOk(runner, ["docker", "pull", "-q", NGINX]);
    expect(await buildAndRunFrom(NGINX, "hub2")).toBe("nginx-standin-2");
    digestsAfterFirstUp = digests;
  });

  test("a pin that the pulled image does not match stops the up with the key named; the registry keeps what it had", async () => {
    siteB.configure({
      "dind-stack:mirror": [
        { source: NGINX, archive: archives.nginx2 },
        { source: FLANNEL, archive: archives.flannel, digest: ids.flannel },
        { source: `${upstream}/team/tool:1`, repository: "tools/tool", digest: `sha256:${"0".repeat(64)}` },
      ],
    });
    await expect(siteB.up()).rejects.toThrow(
      `stack "${B}": dind-stack:mirror[2].digest: got "sha256:${"0".repeat(64)}", but ${upstream}/team/tool:1 was pulled as ${ids.tool}; allowed: the image ID of the image to mirror`,
    );
    expect(await servedDigests(registryB, Object.keys(digestsAfterFirstUp))).toEqual(digestsAfterFirstUp);

    siteB.configure({
      "dind-stack:mirror": [
        { source: NGINX, archive: archives.nginx2 },
        { source: FLANNEL, archive: archives.flannel, digest: ids.flannel },
        { source: `${upstream}/team/tool:1`, repository: "tools/tool", digest: ids.tool },
      ],
    });
    expect(changesOf((await siteB.up()).steps)).toEqual([]);
  });

  test("an entry removed from the list is dropped from the stack, and the registry still serves it", async () => {
    const flannel = entry("coreos/flannel:v0.11.0-amd64");
    siteB.configure({
      "dind-stack:mirror": [
        { source: NGINX, archive: archives.nginx2 },
        { source: `${upstream}/team/tool:1`, repository: "tools/tool", digest: ids.tool },
      ],
    });
    const applied = await siteB.up();
    expect(changesOf(applied.steps).sort()).toEqual([`delete ${flannel.push}`, `delete ${flannel.tag}`, `delete ${flannel.load}`, `delete ${flannel.publish}`].sort());
    expect(applied.run.outputs.mirroredImages).toHaveLength(2);
    expect(await registryContent(registryB)).toEqual({
      "carried/app": ["1"],
      "coreos/flannel": ["v0.11.0-amd64"],
      "library/nginx": ["alpine"],
      "tools/tool": ["1"],
    });
    expect(await servedDigests(registryB, Object.keys(digestsAfterFirstUp))).toEqual(digestsAfterFirstUp);
  });
});
