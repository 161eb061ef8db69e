import { parseFamiliarName } from "@swimlane/docker-reference";

/** A reference split as Docker reads it: registry host, repository path and tag. */
interface ParsedReference {
  /** Registry host (`docker.io` for Docker Hub). */
  domain: string;
  /** Repository path (`library/nginx` for Hub's official images). */
  repository: string;
  /** Tag, `latest` when none is given. */
  tag: string;
}

/** Splits a reference as Docker does; throws for a reference Docker would refuse. */
function parse(reference: string): ParsedReference {
  const parsed = parseFamiliarName(reference);
  if (parsed.digest !== undefined) throw new Error(`${reference} names a digest, not a tag`);
  return { domain: parsed.domain!, repository: parsed.repository!, tag: parsed.tag ?? "latest" };
}

/** The canonical form of a reference: `nginx:alpine` is `docker.io/library/nginx:alpine`. */
export function canonicalReference(reference: string): string {
  const { domain, repository, tag } = parse(reference);
  return `${domain}/${repository}:${tag}`;
}

/**
 * Repository and tag a mirrored image gets in the stack's registry: `repository` when given
 * (with the source's tag when it names none), else the source's path and tag without its
 * registry host, so `quay.io/coreos/flannel:v0.11.0-amd64` becomes
 * `coreos/flannel:v0.11.0-amd64` and `nginx:alpine` becomes `library/nginx:alpine`, where
 * a daemon using the registry as its Docker Hub mirror looks for it.
 */
export function localName(source: string, repository?: string): string {
  const parsed = parse(source);
  if (repository === undefined) return `${parsed.repository}:${parsed.tag}`;
  return repository.includes(":") ? repository : `${repository}:${parsed.tag}`;
}
