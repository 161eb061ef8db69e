import * as fs from "node:fs";
import * as path from "node:path";
import { MirrorEntry } from "../../../components/config/schema";
import { planMirror } from "../../../components/mirror/mirror-plan";
import { readSavedImages } from "../../../components/mirror/saved-images";
import { savedImageId, scratchDir, writeSavedArchive, writeTar } from "../../support/archives";

// The mirror's images loaded from `docker save` archives: which image each archive entry names,
// found by the source's reference, with the ID it keeps when loaded and pushed.

const dir = scratchDir("mirror-plan");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const NGINX = { tags: ["nginx:alpine"], content: "nginx" };
const entry = (source: string, archive: string): MirrorEntry => ({ source, archive }) as MirrorEntry;

test("an archive saved by docker save: the image found under the source's name, with its ID and the archive's absolute path", async () => {
  const archive = await writeSavedArchive(path.join(dir, "classic.tar"), [{ tags: ["busybox:1"], content: "busybox" }, NGINX]);
  const [planned] = planMirror([entry("docker.io/library/nginx:alpine", path.relative(process.cwd(), archive))]);
  expect(planned).toMatchObject({ index: 0, source: "docker.io/library/nginx:alpine", archive: { path: archive, imageId: savedImageId(NGINX) } });
});

test("an archive in the OCI layout of Docker 25 and later (config under blobs/sha256/) gives the same image ID", async () => {
  const hex = savedImageId(NGINX).slice("sha256:".length);
  const archive = await writeTar(path.join(dir, "oci.tar"), { "manifest.json": JSON.stringify([{ Config: `blobs/sha256/${hex}`, RepoTags: ["nginx:alpine"], Layers: [] }]) });
  expect(planMirror([entry("nginx:alpine", archive)])[0].archive).toEqual({ path: archive, imageId: savedImageId(NGINX) });
});

test("an archive that does not hold the source is refused, naming both", async () => {
  const archive = await writeSavedArchive(path.join(dir, "other.tar"), [{ tags: ["busybox:1"], content: "busybox" }]);
  expect(() => planMirror([entry("nginx:alpine", archive)])).toThrow(expect.objectContaining({ message: expect.stringMatching(new RegExp(`${archive}.*nginx:alpine`)) }));
});

test("a tar whose manifest.json is not docker save's is refused, naming that file", async () => {
  const archive = await writeTar(path.join(dir, "not-saved.tar"), { "manifest.json": JSON.stringify({ schemaVersion: 2 }) });
  expect(() => readSavedImages(archive)).toThrow(/manifest\.json/);
});
