import type * as docker from "@pulumi/docker";
import type { Unwrap } from "@pulumi/pulumi";
import { imagePinProblem } from "../../components/config/image-pin";

/** An image reference and where it was found. */
export interface ImageReference {
  /** What uses it, e.g. `container dind-stack-ci-docker` or `image dind-stack/dind, build arg BASE_IMAGE`. */
  where: string;
  /** The reference as given. */
  reference: string;
}

/** Type tokens of the docker provider's image resources. */
export const DOCKER_IMAGE = "docker:index/image:Image";
export const DOCKER_REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/** Why a reference is not pinned: the config's own judgement (components/config/image-pin.ts), so the two agree. */
export const imageReferenceProblem = imagePinProblem;

/** Image references held by the docker provider's image resources: what RemoteImage pulls, what Image builds and its base image build args. */
export function dockerImageReferences(type: string, name: string, props: Record<string, any>): ImageReference[] {
  if (type === DOCKER_REMOTE_IMAGE) {
    const remote = props as Unwrap<docker.RemoteImageArgs>;
    return [{ where: `remote image ${name}`, reference: remote.name }];
  }
  if (type === DOCKER_IMAGE) {
    const image = props as Unwrap<docker.ImageArgs>;
    const baseImages = Object.entries(image.build?.args ?? {})
      .filter(([arg]) => /IMAGE$/i.test(arg))
      .map(([arg, reference]) => ({ where: `image ${image.imageName}, build arg ${arg}`, reference }));
    return [{ where: `image ${name}`, reference: image.imageName }, ...baseImages];
  }
  return [];
}

/** References that are not pinned by a tag other than latest or by a digest. */
export function imageReferenceViolations(references: readonly ImageReference[]): string[] {
  return references.flatMap(({ where, reference }) => {
    const problem = imageReferenceProblem(reference);
    return problem ? [`${where} uses image "${reference}", which ${problem}; pin a tag other than latest, or a digest`] : [];
  });
}
