import * as fs from "node:fs";
import * as path from "node:path";
import { readSavedImages } from "../../../components/mirror/saved-images";
import { SavedImageSpec, savedImageId, scratchDir, writeTar } from "../../support/archives";

// `docker save <image ID>` writes an image without tags: its manifest entry has "RepoTags": null.

test("an image saved by ID has no references, next to a tagged one", async () => {
  const dir = scratchDir("saved-images");
  try {
    const untagged = { tags: [], content: "untagged" };
    const tagged = { tags: ["busybox:1"], content: "busybox" };
    const hex = (spec: SavedImageSpec) => savedImageId(spec).slice("sha256:".length);
    const manifest = [
      { Config: `${hex(untagged)}.json`, RepoTags: null, Layers: [] },
      { Config: `${hex(tagged)}.json`, RepoTags: ["busybox:1"], Layers: [] },
    ];
    const archive = await writeTar(path.join(dir, "by-id.tar"), { "manifest.json": JSON.stringify(manifest) });
    expect(readSavedImages(archive)).toEqual([
      { id: savedImageId(untagged), repoTags: [] },
      { id: savedImageId(tagged), repoTags: ["busybox:1"] },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
