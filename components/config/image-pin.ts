import { parseAll } from "@swimlane/docker-reference";

/**
 * Why an image reference is not pinned: no tag and no digest (Docker then pulls the moving tag
 * latest), the tag `latest`, or not a reference at all (as @swimlane/docker-reference, a port of
 * distribution's reference grammar, parses it); undefined when a tag other than latest or a
 * digest pins it. The config and the policy pack's pinned-image-references judge by this.
 */
export function imagePinProblem(reference: string): string | undefined {
  let parsed;
  try {
    parsed = parseAll(reference);
  } catch (error) {
    return `is not an image reference (${error instanceof Error ? error.message : String(error)})`;
  }
  if (parsed.digest) return undefined;
  if (!parsed.tag) return "has neither a tag nor a digest, so it means the moving tag latest";
  if (parsed.tag === "latest") return "uses the moving tag latest";
  return undefined;
}
