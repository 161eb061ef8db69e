import { describeAdvisories } from "../../components/dind-image/advisories";
import { ContainerView } from "../container-view";
import { OFFICIAL_DOCKER, repositoryOf, tagOf } from "../image-names";
import { readKnown } from "../unknown-values";
import { DOCKER_IMAGE } from "./image-references";

/** A Docker release a resource builds or runs, and where. */
export interface EngineVersion {
  /** What builds or runs it, for messages. */
  where: string;
  /** The release, e.g. `24.0.6`. */
  version: string;
}

/** The release of an image reference of Docker Hub's official `docker` image with a full version tag (`docker:24.0.6-dind`). */
function officialDockerVersion(reference: string): string | undefined {
  if (repositoryOf(reference) !== OFFICIAL_DOCKER) return undefined;
  return /^(\d+\.\d+\.\d+)(?:-|$)/.exec(tagOf(reference) ?? "")?.[1];
}

/**
 * The Docker releases a resource puts into use: an image build that downloads the static
 * binaries of the release in its DOCKER_VERSION build arg (the DinD image), and containers of
 * the official `docker` image with a release tag.
 */
export function engineVersionsOf(type: string, name: string, props: Record<string, any>, containers: readonly ContainerView[]): EngineVersion[] {
  const built = type === DOCKER_IMAGE && typeof props.build?.args?.DOCKER_VERSION === "string" ? [{ where: `image ${props.imageName ?? name}`, version: props.build.args.DOCKER_VERSION as string }] : [];
  const run = containers.flatMap((container) => {
    // An image not known yet is one built or pulled in the same update, never a reference of the official image.
    const image = readKnown(() => container.image);
    const version = image === undefined ? undefined : officialDockerVersion(image);
    return version === undefined ? [] : [{ where: container.label, version }];
  });
  return [...built, ...run];
}

/** What the advisory table says about each release in use, followed by `consequence`; nothing for releases it knows as fixed. */
export function engineAdvisoryFindings(versions: readonly EngineVersion[], consequence: string): string[] {
  return versions.flatMap(({ where, version }) => {
    const advisories = describeAdvisories(version);
    return advisories === undefined ? [] : [`${where}: ${advisories}. ${consequence}`];
  });
}
