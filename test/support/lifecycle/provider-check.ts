import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RecordedResource } from "../run-program";

function filesUnder(root: string, dir = ""): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(root, relative) : [relative];
  });
}

/** A digest of a build context: every file's path and bytes, the Dockerfile first. */
export function contextDigest(context: string, dockerfile: string): string {
  const hash = createHash("sha256");
  hash.update(fs.readFileSync(dockerfile));
  for (const file of filesUnder(context).sort()) {
    hash.update(`\0${file}\0`);
    hash.update(fs.readFileSync(path.join(context, file)));
  }
  return hash.digest("hex");
}

/**
 * What the provider's Check adds to a resource's inputs before diffing them: for an Image,
 * `build.contextDigest`, so that a changed file in the build context (the entrypoint, the
 * Dockerfile, a tarball) counts as a changed input and rebuilds the image.
 */
export function checkInputs(resource: RecordedResource): void {
  if (resource.type !== "docker:index/image:Image" || !resource.inputs.build?.context) return;
  const build = resource.inputs.build;
  build.contextDigest = contextDigest(build.context, build.dockerfile ?? path.join(build.context, "Dockerfile"));
}
