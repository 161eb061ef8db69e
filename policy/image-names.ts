import { parseAll } from "@swimlane/docker-reference";

/** An image reference's repository with its registry, as Docker resolves it (`registry:2` is `docker.io/library/registry`); undefined for a bare image ID or a string that is no reference. */
export function repositoryOf(reference: string): string | undefined {
  try {
    const parsed = parseAll(reference);
    return parsed.repository === undefined ? undefined : `${parsed.domain ?? "docker.io"}/${parsed.repository}`;
  } catch {
    return undefined;
  }
}

/** The tag of an image reference, if it has one. */
export function tagOf(reference: string): string | undefined {
  try {
    return parseAll(reference).tag;
  } catch {
    return undefined;
  }
}

/** Docker Hub's official `docker` image (its -dind tags run a daemon). */
export const OFFICIAL_DOCKER = "docker.io/library/docker";

/** Docker Hub's official `registry` image (distribution). */
export const OFFICIAL_REGISTRY = "docker.io/library/registry";
