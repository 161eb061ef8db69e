import { DOCKER_IMAGE, DOCKER_REMOTE_IMAGE } from "./checks/image-references";
import { DOCKER_CONTAINER } from "./docker-container";
import { repositoryOf } from "./image-names";
import { ResourceInput } from "./resource-input";
import { readKnown } from "./unknown-values";

// Docker containers name their image by ID (a RemoteImage's imageId, a built Image's digest):
// the ID says nothing about what the image is. The stack view knows which resource the value
// came from (its property dependencies), and that resource knows the reference it pulled or
// built. That reference is the container's image.

/** The reference an image resource pulled (RemoteImage `name`) or built (Image `imageName`). */
function builtOrPulledAs(resource: ResourceInput): string | undefined {
  if (resource.type === DOCKER_REMOTE_IMAGE) return readKnown(() => resource.props.name as string);
  if (resource.type === DOCKER_IMAGE) return readKnown(() => resource.props.imageName as string);
  return undefined;
}

/** The IDs an image resource is known by once it exists (its outputs): what a container's `image` holds. */
function idsOf(resource: ResourceInput): string[] {
  return ["imageId", "repoDigest"].map((output) => readKnown(() => resource.props[output])).filter((id): id is string => typeof id === "string" && id !== "");
}

/** The resources a container's image may come from: the Docker container's `image` input, or anything a pod template's inputs come from. */
function imageSources(resource: ResourceInput): readonly ResourceInput[] {
  const dependencies = resource.propertyDependencies ?? {};
  const candidates = resource.type === DOCKER_CONTAINER ? (dependencies.image ?? []) : Object.values(dependencies).flat();
  return candidates.filter((candidate) => candidate.type === DOCKER_IMAGE || candidate.type === DOCKER_REMOTE_IMAGE);
}

/**
 * The image reference a container runs: the reference it names, or, for an image ID (or a value
 * not known yet in a preview), the reference of the one image resource it comes from, matched
 * by ID when both are known. Undefined when that cannot be told.
 */
export function imageReferenceOf(resource: ResourceInput, image: string | undefined): string | undefined {
  if (image !== undefined && repositoryOf(image) !== undefined) return image;
  const sources = imageSources(resource).filter((source) => {
    const ids = idsOf(source);
    return image === undefined || ids.length === 0 || ids.includes(image);
  });
  const references = [...new Set(sources.map(builtOrPulledAs))];
  return references.length === 1 ? references[0] : undefined;
}
