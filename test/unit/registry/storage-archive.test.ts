import * as fs from "node:fs";
import * as path from "node:path";
import { registryArchiveProblem } from "../../../components/registry/storage-archive";
import { CraftedEntry, scratchDir, writeCraftedTar } from "../../support/archives";

// A registry storage archive is extracted by root into the registry's volume: every entry must
// stay inside it and be a plain file, directory or link, and the whole must fit the size limit.

const dir = scratchDir("storage-archive");
const STORAGE = "docker/registry/v2/repositories/app/_manifests/tags/1/current/link";
const good: CraftedEntry[] = [{ name: "docker/registry/v2/", type: "directory" }, { name: STORAGE, content: "sha256:0" }];

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes an archive of the good entries plus `extra`, and returns what the check says of it. */
async function problemOf(extra: CraftedEntry[], maxBytes = 1 << 20, name = "crafted.tar"): Promise<string | undefined> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await writeCraftedTar(file, [...good, ...extra]);
  return registryArchiveProblem(file, maxBytes);
}

test("a registry's storage, with a link inside it, is restorable (tar and tar.gz)", async () => {
  expect(await problemOf([])).toBeUndefined();
  expect(await problemOf([{ name: "docker/registry/v2/repositories/app/alias", type: "symlink", linkname: "_manifests" }], 1 << 20, "ok.tar.gz")).toBeUndefined();
});

test("links that stay inside are restorable: a symbolic link through .. to a sibling, a hard link to a file of the archive", async () => {
  expect(await problemOf([{ name: "docker/registry/v2/repositories/copy", type: "symlink", linkname: "../repositories/app" }])).toBeUndefined();
  expect(await problemOf([{ name: "docker/registry/v2/repositories/app/same-link", type: "link", linkname: STORAGE }])).toBeUndefined();
});

test.each<[string, CraftedEntry, RegExp]>([
  ["an absolute path", { name: "/etc/cron.d/evil", content: "* * * * * root sh" }, /absolute path \("\/etc\/cron\.d\/evil"\)/],
  ["a path climbing out with ..", { name: "docker/../../../etc/evil", content: "x" }, /path with \.\./],
  ["a symbolic link to an absolute path", { name: "docker/registry/v2/blobs", type: "symlink", linkname: "/etc" }, /symbolic link pointing outside/],
  ["a symbolic link climbing out", { name: "docker/registry/v2/up", type: "symlink", linkname: "../../../../etc" }, /symbolic link pointing outside/],
  ["a hard link to a file outside", { name: "docker/registry/v2/passwd", type: "link", linkname: "../etc/passwd" }, /hard link pointing outside/],
  ["a hard link to an absolute path", { name: "docker/registry/v2/shadow", type: "link", linkname: "/etc/shadow" }, /hard link pointing outside/],
  ["a character device", { name: "docker/registry/v2/mem", type: "character-device" }, /character-device entry/],
  ["a block device", { name: "docker/registry/v2/disk", type: "block-device" }, /block-device entry/],
  ["a fifo", { name: "docker/registry/v2/pipe", type: "fifo" }, /fifo entry/],
])("%s is refused", async (_title, entry, expected) => {
  expect(await problemOf([entry])).toMatch(expected);
});

test("an archive that unpacks to more than the limit is refused, and reading stops there", async () => {
  const big: CraftedEntry = { name: "docker/registry/v2/blobs/big", content: Buffer.alloc(64 * 1024) };
  expect(await problemOf([big], 32 * 1024)).toMatch(/unpacks to more than 32768 bytes/);
  expect(await problemOf([big], 1 << 20)).toBeUndefined();
});

test("a contiguous file (tar type 7, which some tar writers use for plain files) is restorable", async () => {
  expect(await problemOf([{ name: "docker/registry/v2/blobs/data", type: "contiguous-file", content: "x" }])).toBeUndefined();
});

test("other entries beside docker/registry/v2/ at the top do not make a storage archive unrestorable", async () => {
  expect(await problemOf([{ name: "README", content: "exported by scripts/export-registry.sh" }])).toBeUndefined();
});

test("an archive without docker/registry/v2/ at its top is refused, naming its first entries, or saying it is empty", async () => {
  const archive = async (entries: CraftedEntry[]) => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}-other.tar`);
    await writeCraftedTar(file, entries);
    return registryArchiveProblem(file, 1 << 20);
  };
  const names = ["app/", "app/a", "app/b", "app/c"];
  const problem = await archive(names.map((name) => (name.endsWith("/") ? { name, type: "directory" } : { name, content: "x" })));
  expect(problem).toMatch(/no docker\/registry\/v2\/ at its top \(it starts with app\/, app\/a, app\/b\)$/);
  expect(await archive([])).toMatch(/no docker\/registry\/v2\/ at its top \(it is empty\)$/);
});

test("a file that is no tar archive is refused, saying why in one line", () => {
  const file = path.join(dir, "not-a-tar.tar");
  fs.writeFileSync(file, "this is no tar archive\n".repeat(40));
  expect(registryArchiveProblem(file, 1 << 20)).toMatch(/^it cannot be read as a tar archive \([^\n]+\S\)$/);
});
