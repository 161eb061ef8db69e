import { localName } from "../mirror/local-name";
import { SavedImage, savedImageOf } from "../mirror/saved-images";
import { imagePinProblem } from "./image-pin";
import { fullKey } from "./key-path";
import { Problem, renderValue } from "./problem";
import { RuleContext } from "./rules";
import { Settings } from "./schema";

// Rules of the mirror list: every entry parses and lands at a reference of its own; an archive
// exists, is a `docker save` archive, holds the source, with the pinned image ID.

/** Each source parses as Docker parses it, and no two entries land at the same local reference. */
export function checkMirrorNames(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  const firstIndex = new Map<string, number>();
  settings.mirror.forEach((entry, index) => {
    let name: string;
    try {
      name = localName(entry.source, entry.repository);
    } catch (error) {
      problems.push({
        key: fullKey(["mirror", index, "source"]),
        message: `got ${renderValue(entry.source)}, which Docker cannot parse (${(error as Error).message}); allowed: an image reference without digest, such as "nginx:alpine"`,
      });
      return;
    }
    const first = firstIndex.get(name);
    if (first === undefined) {
      firstIndex.set(name, index);
      return;
    }
    problems.push({
      key: fullKey(["mirror", index]),
      message: `got ${renderValue(entry.source)}, which lands at ${name} in the registry like [${first}]; allowed: each local reference once (set repository to put an entry elsewhere)`,
    });
  });
}

/**
 * An entry that is pulled names a tag other than latest, or the policy pack refuses the pull
 * (pinned-image-references). An archive entry is judged by its content instead: its image ID is
 * read from the archive at every preview and up, so whatever its tag, the same image lands.
 */
export function checkMirrorPulls(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  settings.mirror.forEach((entry, index) => {
    const problem = entry.archive === undefined ? imagePinProblem(entry.source) : undefined;
    if (problem === undefined) return;
    problems.push({
      key: fullKey(["mirror", index, "source"]),
      message: `got ${renderValue(entry.source)}, which is pulled and ${problem}; allowed: a tag other than latest, such as "nginx:1.27-alpine" (or an archive, whose image ID pins it)`,
    });
  });
}

/** What an archive holds, in words: its tags, or that it holds only untagged images. */
function holdings(images: readonly SavedImage[]): string {
  const tags = images.flatMap((image) => image.repoTags);
  return tags.length > 0 ? `holds ${tags.join(", ")}` : "holds only untagged images (saved by ID)";
}

/** An entry's archive exists, is a `docker save` archive, holds the source, and has the pinned image ID. */
export function checkMirrorArchives(settings: Settings, context: RuleContext, problems: Problem[]): void {
  settings.mirror.forEach((entry, index) => {
    if (entry.archive === undefined) return;
    const key = fullKey(["mirror", index, "archive"]);
    const given = `got ${renderValue(entry.archive)}`;
    const allowed = `allowed: a \`docker save\` archive of ${entry.source} (tar or tar.gz; absolute, or relative to the project directory)`;
    if (!context.isFile(entry.archive)) {
      problems.push({ key, message: `${given}, which is not an existing file; ${allowed}` });
      return;
    }
    let images: SavedImage[];
    try {
      images = context.savedImages(entry.archive);
    } catch (error) {
      problems.push({ key, message: `${given}, which is not a \`docker save\` archive (${(error as Error).message}); ${allowed}` });
      return;
    }
    const image = savedImageOf(images, entry.source);
    if (!image) {
      problems.push({ key, message: `${given}, which ${holdings(images)} but not ${entry.source}; allowed: an archive made with \`docker save -o <file> ${entry.source}\`` });
    } else if (entry.digest !== undefined && entry.digest !== image.id) {
      problems.push({
        key: fullKey(["mirror", index, "digest"]),
        message: `got ${renderValue(entry.digest)}, but ${entry.source} in ${entry.archive} is ${image.id}; allowed: the image ID of the image to mirror (\`docker inspect -f '{{.Id}}' ${entry.source}\`)`,
      });
    }
  });
}

/** The mirror list fills a registry on a Docker host (the Kubernetes target has none), which must not be a pull-through cache: a cache cannot be pushed to. */
export function checkMirrorTarget(settings: Settings, _context: RuleContext, problems: Problem[]): void {
  if (settings.mirror.length > 0 && settings.target !== "docker") {
    problems.push({
      key: fullKey(["mirror"]),
      message: `got ${settings.mirror.length} image(s) with ${fullKey(["target"])} ${renderValue(settings.target)}; allowed: a mirror list only with target "docker" (on a cluster, push the images to the registry's Service address)`,
    });
  } else if (settings.mirror.length > 0 && settings.registry.proxy) {
    problems.push({
      key: fullKey(["mirror"]),
      message: `got ${settings.mirror.length} image(s) for a registry that is a pull-through cache (${fullKey(["registry", "proxy"])}), which cannot be pushed to; allowed: a mirror list only for a registry without proxy`,
    });
  }
}
