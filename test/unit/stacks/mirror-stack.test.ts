// A ci stack with a mirror list, a registry with auth and a restore archive, under Pulumi
// mocks: what the program declares for each image (load or pull, tag, push), how the pushes
// reach the registry, what waits for what, and what the stack reports.
import * as fs from "node:fs";
import * as path from "node:path";
import { imageSlug } from "../../../components/naming";
import { savedImageId, scratchDir, writeRegistryArchive, writeSavedArchive } from "../../support/archives";
import { dependencyNames, named, ofType, parentName, registeredAfter } from "../../support/resource-queries";
import { ProgramRun, runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

const dir = scratchDir("mirror-stack");
const NGINX = { tags: ["nginx:alpine"], content: "nginx" };
const FLANNEL = { tags: ["quay.io/coreos/flannel:v0.11.0-amd64"], content: "flannel" };
const PASSWORD = "mirror-password-1";
const TYPES = { tag: "docker:index/tag:Tag", push: "docker:index/registryImage:RegistryImage", command: "command:local:Command" };
const names = (localName: string) => {
  const base = `ci-mirror-${imageSlug(localName)}`;
  return { load: `${base}-load`, pull: `${base}-pull`, tag: `${base}-tag`, push: `${base}-push` };
};
const nginx = names("library/nginx:alpine");
const flannel = names("coreos/flannel:v0.11.0-amd64");
const mysql = names("db/mysql:5.7");

function mirrorConfig(extra: Record<string, unknown> = {}): Record<string, string> {
  return withOverrides(stackConfig("ci"), {
    "dind-stack:registry": { port: 5001, auth: { username: "builder" }, restoreArchive: path.join(dir, "registry.tar.gz") },
    "dind-stack:registryPassword": PASSWORD,
    "dind-stack:mirror": [
      { source: "nginx:alpine", archive: path.join(dir, "nginx.tar") },
      { source: "quay.io/coreos/flannel:v0.11.0-amd64", archive: path.join(dir, "flannel.tar.gz"), digest: savedImageId(FLANNEL) },
      { source: "mysql:5.7", repository: "db/mysql" },
    ],
    ...extra,
  });
}

describe("a stack with a mirror list, registry auth and a restore archive", () => {
  let run: ProgramRun;

  beforeAll(async () => {
    await writeSavedArchive(path.join(dir, "nginx.tar"), [NGINX]);
    await writeSavedArchive(path.join(dir, "flannel.tar.gz"), [FLANNEL]);
    await writeRegistryArchive(path.join(dir, "registry.tar.gz"), ["carried/app"]);
    run = await runProgram("ci", mirrorConfig(), ["dind-stack:registryPassword"]);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("archived images are loaded by a local docker load, the others pulled; each is tagged and pushed, under one ImageMirror", () => {
    const mirrorResources = run.resources.filter((resource) => parentName(resource) === "ci-mirror").map((resource) => `${resource.type} ${resource.name}`);
    expect(mirrorResources.sort()).toEqual(
      [
        `${TYPES.command} ${nginx.load}`,
        `${TYPES.tag} ${nginx.tag}`,
        `${TYPES.push} ${nginx.push}`,
        `${TYPES.command} ${flannel.load}`,
        `${TYPES.tag} ${flannel.tag}`,
        `${TYPES.push} ${flannel.push}`,
        `docker:index/remoteImage:RemoteImage ${mysql.pull}`,
        `${TYPES.tag} ${mysql.tag}`,
        `${TYPES.push} ${mysql.push}`,
      ].sort(),
    );
    expect(parentName(named(run.resources, "ci-mirror"))).toBe("ci");
    const load = named(run.resources, nginx.load).inputs;
    expect(load.create).toBe(`docker load -i "$DIND_STACK_ARCHIVE" && docker image inspect --format '{{.Id}}' "$DIND_STACK_IMAGE_ID"`);
    expect(load.environment).toEqual({ DOCKER_CONTEXT: "default", DIND_STACK_ARCHIVE: path.join(dir, "nginx.tar"), DIND_STACK_IMAGE_ID: savedImageId(NGINX) });
    expect(load.triggers).toEqual([savedImageId(NGINX)]);
    expect(named(run.resources, mysql.pull).inputs).toEqual({ name: "mysql:5.7", keepLocally: true });
  });

  test("each image is tagged by its ID with its local reference on the registry's host address, and pushed from there", () => {
    expect(named(run.resources, nginx.tag).inputs).toEqual({ sourceImage: savedImageId(NGINX), targetImage: "127.0.0.1:5001/library/nginx:alpine" });
    expect(named(run.resources, flannel.tag).inputs).toEqual({ sourceImage: savedImageId(FLANNEL), targetImage: "127.0.0.1:5001/coreos/flannel:v0.11.0-amd64" });
    expect(named(run.resources, mysql.tag).inputs.targetImage).toBe("127.0.0.1:5001/db/mysql:5.7");
    const push = named(run.resources, nginx.push);
    expect(push.inputs).toEqual({
      name: "127.0.0.1:5001/library/nginx:alpine",
      keepRemotely: true,
      authConfig: { address: "http://127.0.0.1:5001", username: "builder", password: PASSWORD },
      triggers: { imageId: savedImageId(NGINX), storage: "dind-stack-ci-registry-data" },
    });
    // The password reaches the provider as a secret (the SDK sends the object holding it as one).
    expect(push.secretPaths.some((secretPath) => "authConfig.password".startsWith(secretPath))).toBe(true);
  });

  test("a pull's ID reaches its tag and push; a load is waited for; pushes wait for the healthy registry", () => {
    const registry = named(run.resources, "ci-registry-container");
    for (const image of [nginx, flannel, mysql]) {
      const push = named(run.resources, image.push);
      expect(dependencyNames(push)).toEqual(expect.arrayContaining(["ci-registry-container", image.tag]));
      expect(registeredAfter(push, registry)).toBe(true);
      expect(registeredAfter(push, named(run.resources, image.tag))).toBe(true);
    }
    expect(dependencyNames(named(run.resources, nginx.tag))).toContain(nginx.load);
    expect(named(run.resources, mysql.tag).options.propertyDependencies.sourceImage.map((urn) => urn.slice(urn.lastIndexOf("::") + 2))).toEqual([mysql.pull]);
  });

  test("the mirror sets no replacement order and retains nothing: a push moves the tag, and keepRemotely leaves the registry's content", () => {
    for (const resource of run.resources.filter((resource) => parentName(resource) === "ci-mirror")) {
      expect([resource.name, resource.options.deleteBeforeReplace, resource.options.retainOnDelete]).toEqual([resource.name, undefined, false]);
    }
  });

  test("the restore runs before the registry starts, into the registry's volume, through the registry's image", () => {
    const restore = named(run.resources, "ci-registry-restore");
    expect(restore.type).toBe(TYPES.command);
    expect(restore.inputs.environment).toMatchObject({
      DIND_STACK_STACK: "ci",
      DIND_STACK_RESTORE_ARCHIVE: path.join(dir, "registry.tar.gz"),
      DIND_STACK_RESTORE_VOLUME: "dind-stack-ci-registry-data",
      DIND_STACK_RESTORE_IMAGE: expect.stringMatching(/^sha256:/),
    });
    expect(restore.inputs.environment.DIND_STACK_RESTORE_SCRIPT).toContain("already holds registry data");
    const container = named(run.resources, "ci-registry-container");
    expect(dependencyNames(container)).toContain("ci-registry-restore");
    expect(registeredAfter(container, restore)).toBe(true);
    expect(registeredAfter(restore, named(run.resources, "ci-registry-data"))).toBe(true);
  });

  test("the DinD daemons' Docker Hub mirror is the read-only mirror registry, never the registry they push to", () => {
    const daemonJson = named(run.resources, "ci-dind-daemon").inputs.envs.find((env: string) => env.startsWith("DIND_DAEMON_JSON="));
    const parsed = JSON.parse(daemonJson.slice("DIND_DAEMON_JSON=".length));
    expect(parsed["registry-mirrors"]).toEqual(["http://mirror:5000"]);
    expect(parsed["insecure-registries"]).toEqual(["http://registry:5000", "http://mirror:5000"]);
  });

  test("the mirror registry refuses writes: read-only mode, its volume mounted read-only, on the stack's network only", () => {
    const mirror = named(run.resources, "ci-mirror-registry-container");
    expect(mirror.inputs.name).toBe("dind-stack-ci-mirror");
    const config = JSON.parse(mirror.inputs.uploads[0].content);
    expect(config.storage.maintenance.readonly).toEqual({ enabled: true });
    expect(mirror.inputs.volumes).toEqual([{ volumeName: "dind-stack-ci-mirror-data", containerPath: "/var/lib/registry", readOnly: true }]);
    expect(mirror.inputs.ports).toBeUndefined();
    expect(mirror.inputs.networksAdvanced).toEqual([{ name: "dind-stack-ci", aliases: ["mirror"] }]);
    expect(named(run.resources, "ci-mirror-registry-data").options.retainOnDelete).toBe(true);
  });

  test("each image is published into the mirror's volume by a local command, after it is loaded or pulled; the mirror starts after them, the clients after the mirror", () => {
    const publishes = run.resources.filter((resource) => resource.name.endsWith("-publish"));
    expect(publishes.map((resource) => resource.inputs.environment.DIND_STACK_LOCAL_NAME)).toEqual(["library/nginx:alpine", "coreos/flannel:v0.11.0-amd64", "db/mysql:5.7"]);
    const nginxPublish = publishes[0];
    expect(nginxPublish.inputs.environment).toMatchObject({ DIND_STACK_MIRROR_VOLUME: "dind-stack-ci-mirror-data", DIND_STACK_IMAGE_ID: savedImageId(NGINX) });
    expect(dependencyNames(nginxPublish)).toContain(nginx.load);
    expect(nginxPublish.inputs.triggers).toEqual([savedImageId(NGINX), "dind-stack-ci-mirror-data"]);
    const mirror = named(run.resources, "ci-mirror-registry-container");
    for (const publish of publishes) expect(dependencyNames(mirror)).toContain(publish.name);
    expect(dependencyNames(named(run.resources, "ci-dind-client-runner-1"))).toContain("ci-mirror-registry-container");
  });

  test("the stack reports every mirrored image at its reference in the read-only mirror", () => {
    expect(run.outputs.mirroredImages).toEqual([
      { source: "nginx:alpine", reference: "mirror:5000/library/nginx:alpine", imageId: savedImageId(NGINX) },
      { source: "quay.io/coreos/flannel:v0.11.0-amd64", reference: "mirror:5000/coreos/flannel:v0.11.0-amd64", imageId: savedImageId(FLANNEL) },
      { source: "mysql:5.7", reference: "mirror:5000/db/mysql:5.7", imageId: expect.stringMatching(/^sha256:/) },
    ]);
    expect(run.outputs.dataVolumes).toEqual(["dind-stack-ci-registry-data", "dind-stack-ci-dind-data", "dind-stack-ci-mirror-data"]);
    expect(run.outputs.hostDaemonJson).toBe("");
  });

  test("a pull whose ID is not the pinned one stops the run, naming the key, before its tag or push", async () => {
    const pinned = `sha256:${"0".repeat(64)}`;
    const config = mirrorConfig({ "dind-stack:mirror": [{ source: "mysql:5.7", repository: "db/mysql", digest: pinned }] });
    const declared: string[] = [];
    await expect(
      runProgram("ci", config, ["dind-stack:registryPassword"], {
        realize: async (resource) => {
          declared.push(resource.name);
          const { fakeRealize } = await import("../../support/run-program");
          return fakeRealize(resource);
        },
      }),
    ).rejects.toThrow(/stack "ci": dind-stack:mirror\[0\]\.digest: got "sha256:0{64}", but mysql:5\.7 was pulled as sha256:[0-9a-f]{64}; allowed: the image ID of the image to mirror .*nothing was pushed for this entry/);
    expect(declared).toContain(mysql.pull);
    expect(declared).not.toContain(mysql.tag);
    expect(declared).not.toContain(mysql.push);
  });
});

describe("registry storage and the host's engine", () => {
  test("a host directory is bind-mounted instead of a volume, and reported as the registry's data", async () => {
    const hostDir = scratchDir("registry-host-dir");
    const run = await runProgram("ci", withOverrides(stackConfig("ci"), { "dind-stack:registry": { hostPath: hostDir } }));
    expect(named(run.resources, "ci-registry-container").inputs.volumes).toEqual([{ hostPath: hostDir, containerPath: "/var/lib/registry" }]);
    expect(ofType(run.resources, "docker:index/volume:Volume").map((volume) => volume.name)).not.toContain("ci-registry-data");
    expect(run.outputs.dataVolumes).toEqual([hostDir, "dind-stack-ci-dind-data"]);
    fs.rmSync(hostDir, { recursive: true, force: true });
  });

  test("a DinD stack with a mirror list and a registry on a network address gets the host's daemon.json snippet (the host's engine pushes)", async () => {
    const config = withOverrides(stackConfig("ci"), {
      "dind-stack:registry": { bindAddress: "10.1.2.3", port: 5002, allowUnauthenticatedExposure: true },
      "dind-stack:mirror": [{ source: "mysql:5.7" }],
    });
    const run = await runProgram("ci", config);
    expect(run.outputs.hostDaemonJson).toBe('{"insecure-registries":["10.1.2.3:5002"]}');
    expect(named(run.resources, names("library/mysql:5.7").push).inputs.authConfig).toEqual({ address: "http://10.1.2.3:5002" });
  });
});
