import { SCHEMA } from "../components/config/schema";
import { PROJECT_DIR, readStackFile } from "../scripts/stack-files";
import { OFFICIAL_REGISTRY, repositoryOf } from "./image-names";

/**
 * Which images play which part in a stack, as its config file says (never the program): the
 * repositories of the DinD image and of the registry image, with registry and all
 * (`docker.io/dind-stack/dind`). Roles are judged from these together with the program a
 * container runs (roles.ts).
 */
export interface TrustedImages {
  /** The DinD image: what the stack builds (`dindImage.imageName`, or `kubernetes.dindImage` registry/repository), or its prebuilt `kubernetes.dindImage.reference`. */
  dind: ReadonlySet<string>;
  /** The registry image: `registry.image`, and Docker Hub's official `registry`. */
  registry: ReadonlySet<string>;
}

/** A section of the stack file as the config parser reads it, every default applied; the defaults alone when the section is not valid (the program refuses such a file before declaring anything). */
function parsedSection<S extends { safeParse(value: unknown): { success: boolean; data?: unknown }; parse(value: unknown): unknown }>(schema: S, value: unknown): ReturnType<S["parse"]> {
  const result = schema.safeParse(value);
  return (result.success ? result.data : schema.parse(undefined)) as ReturnType<S["parse"]>;
}

const repositories = (references: (string | undefined)[]) =>
  new Set(references.map((reference) => (reference === undefined ? undefined : repositoryOf(reference))).filter((repository): repository is string => repository !== undefined));

/** The trusted images of a stack file's `config:` mapping. */
export function trustedImagesFromConfig(config: Readonly<Record<string, unknown>>): TrustedImages {
  const dindImage = parsedSection(SCHEMA.shape.dindImage, config["dind-stack:dindImage"]);
  const registry = parsedSection(SCHEMA.shape.registry, config["dind-stack:registry"]);
  const cluster = parsedSection(SCHEMA.shape.kubernetes, config["dind-stack:kubernetes"]).dindImage;
  const pushed = cluster?.registry && cluster.repository ? `${cluster.registry}/${cluster.repository}` : undefined;
  return {
    dind: repositories([dindImage.imageName, pushed, cluster?.reference]),
    registry: repositories([registry.image, OFFICIAL_REGISTRY]),
  };
}

/** The trusted images of a stack, read from its config file; a stack without a file has only the defaults. */
export function readTrustedImages(stack: string, projectDir = PROJECT_DIR): TrustedImages {
  return trustedImagesFromConfig(readStackFile(stack, projectDir)?.config ?? {});
}
