// Crafted registry storage archives on the engine. A restore extracts the archive as root into
// the registry's volume, so a hostile or broken archive could write outside it, plant a device
// or a link to the host, or fill the disk. Each such archive is refused before anything is
// declared (the error names the key and says why), nothing is created on the engine and nothing
// lands outside; an archive swapped after the check is refused by the restore itself, and the
// volume is left as it was.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { objectNames } from "../../components/naming";
import { CraftedEntry, scratchDir, writeCraftedTar, writeRegistryArchive } from "../support/archives";
import { removeByNamePrefix } from "./support/cleanup";
import { TestStack } from "./support/deploy";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { runToCompletion } from "./support/host-side";

const STACK = "test-restore";
const names = objectNames(STACK);
const GOOD: CraftedEntry[] = [{ name: "docker/registry/v2/repositories/app/_manifests/tags/1/current/link", content: "sha256:0" }];

describe("registry storage archives that would reach past the volume are refused", () => {
  const files = scratchDir("restore-engine");
  const escape = path.join(files, "escaped");

  beforeAll(() => removeByNamePrefix(names.prefix));
  afterAll(async () => {
    await removeByNamePrefix(names.prefix);
    fs.rmSync(files, { recursive: true, force: true });
  });

  /** Deploys the ci stack with the archive to restore; returns the error `up` stopped with. */
  async function refusedUp(archive: string, limit?: string): Promise<string> {
    const stack = new TestStack({ configOf: "ci", stack: STACK, overrides: { "dind-stack:registry": { port: 5043, restoreArchive: archive, ...(limit ? { restoreSizeLimit: limit } : {}) } } });
    const error = await stack.up().then(
      () => undefined,
      (failure: Error) => failure.message,
    );
    if (error === undefined) {
      await stack.destroy();
      throw new Error(`the archive ${archive} was restored`);
    }
    return error;
  }

  /** True when the engine holds any object of the test stack. */
  async function anythingOnTheEngine(): Promise<boolean> {
    const containers = await engine.listContainers({ all: true, filters: { name: [names.prefix] } });
    const volumes = (await engine.listVolumes()).Volumes.filter((volume) => volume.Name.startsWith(names.prefix));
    return containers.length + volumes.length > 0;
  }

  test.each<[string, CraftedEntry[], RegExp]>([
    ["an absolute path", [{ name: `${escape}/absolute`, content: "planted" }], /absolute path/],
    ["a path climbing out", [{ name: `docker/../../../../../..${escape}/climbed`, content: "planted" }], /path with \.\./],
    ["a link to the host's /etc", [{ name: "docker/registry/v2/etc", type: "symlink", linkname: "/etc" }], /symbolic link pointing outside/],
    ["a hard link out", [{ name: "docker/registry/v2/shadow", type: "link", linkname: "../../../etc/shadow" }], /hard link pointing outside/],
    ["a device", [{ name: "docker/registry/v2/mem", type: "character-device" }], /character-device entry/],
  ])("%s: refused naming the key, nothing created, nothing outside", async (_title, extra, reason) => {
    const archive = await writeCraftedTar(path.join(files, `${_title.replace(/\W+/g, "-")}.tar.gz`), [...GOOD, ...extra]);
    const error = await refusedUp(archive);
    expect(error).toContain(`dind-stack:registry.restoreArchive: got ${JSON.stringify(archive)}`);
    expect(error).toMatch(reason);
    expect(await anythingOnTheEngine()).toBe(false);
    expect(fs.existsSync(escape)).toBe(false);
  });

  test("an archive larger than registry.restoreSizeLimit is refused before anything is extracted", async () => {
    const archive = await writeCraftedTar(path.join(files, "large.tar"), [...GOOD, { name: "docker/registry/v2/blobs/big", content: Buffer.alloc(64 * 1024) }]);
    const error = await refusedUp(archive, "32Ki");
    expect(error).toMatch(/dind-stack:registry\.restoreArchive: .*unpacks to more than 32768 bytes/);
    expect(await anythingOnTheEngine()).toBe(false);
  });

  test("an archive swapped after the check is refused by the restore, and the volume stays empty", async () => {
    const checked = await writeRegistryArchive(path.join(files, "checked.tar"), ["app"]);
    const swapped = await writeRegistryArchive(path.join(files, "swapped.tar"), ["other"]);
    const volume = `${names.prefix}-swap-check`;
    await engine.createVolume({ Name: volume, Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID } });
    const restore = path.resolve("components/registry/restore-storage.sh");
    let output = "";
    try {
      execFileSync("sh", [restore], {
        env: {
          ...process.env,
          DIND_STACK_STACK: STACK,
          DIND_STACK_RESTORE_ARCHIVE: swapped,
          DIND_STACK_RESTORE_SHA256: createHash("sha256").update(fs.readFileSync(checked)).digest("hex"),
          DIND_STACK_RESTORE_VOLUME: volume,
          DIND_STACK_RESTORE_IMAGE: "registry:2",
          DIND_STACK_RESTORE_SCRIPT: fs.readFileSync(path.resolve("components/registry/restore-into-volume.sh"), "utf8"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      output = String((error as { stderr?: Buffer }).stderr);
    }
    expect(output).toContain("changed since the config check read it");
    const listing = await runToCompletion({ Image: "registry:2", Entrypoint: ["ls", "-A", "/var/lib/registry"], HostConfig: { Binds: [`${volume}:/var/lib/registry`] } });
    expect(listing.log.trim()).toBe("");
    await engine.getVolume(volume).remove();
  });
});
