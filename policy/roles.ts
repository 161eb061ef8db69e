import { REGISTRY_GC_NAME, REGISTRY_GC_SCRIPT } from "../components/kubernetes/registry-gc";
import { verbatim } from "../components/kubernetes/verbatim";
import * as path from "node:path";
import { ContainerView, covers } from "./container-view";
import { OFFICIAL_DOCKER, repositoryOf, tagOf } from "./image-names";
import { TrustedImages } from "./trusted-images";

// A container's role is judged from two things together: which image it runs (the repository
// the stack file names for that part) and which program of that image it runs (its entrypoint
// and arguments, read the way the image's own entrypoint reads them). An environment variable,
// a file name or a path alone decides nothing.

/** What part an image plays. */
export type ImageKind = "dind" | "registry";

/** The part an image reference plays in a stack: its DinD image, a registry image, or none. */
export function imageKindOf(reference: string | undefined, trusted: TrustedImages): ImageKind | undefined {
  const repository = reference === undefined ? undefined : repositoryOf(reference);
  if (repository === undefined) return undefined;
  if (trusted.dind.has(repository) || (repository === OFFICIAL_DOCKER && /dind/.test(tagOf(reference!) ?? ""))) return "dind";
  if (trusted.registry.has(repository)) return "registry";
  return undefined;
}

/** A container's role. */
export type Role =
  /** It runs the DinD image's daemon. */
  | { kind: "dind-daemon" }
  /** It serves a registry with the config file at `configPath` (undefined: none it names; distribution then has no file of the stack's). */
  | { kind: "registry"; configPath: string | undefined };

/** Where the DinD images keep their programs: this project's (Dockerfile) and the official docker:dind. */
const DIND_BIN = "/usr/local/bin";
/** The DinD images' entrypoints: this project's, and the official image's. */
const DIND_ENTRYPOINTS = ["dind-entrypoint.sh", "dockerd-entrypoint.sh"];
/** registry:2's entrypoint script and its server (distribution/distribution-library-image, Dockerfile and docker-entrypoint.sh). */
const REGISTRY_ENTRYPOINT = "/entrypoint.sh";
const REGISTRY_BINARY = "/bin/registry";
/** registry:2's default command: serve the image's own config file (no auth). */
const REGISTRY_DEFAULT_CONFIG = "/etc/docker/registry/config.yml";

/** The paths whose files make up each image's programs (the scripts' shell included): replacing any of them, or a folder above, changes what runs. */
const PROGRAM_PATHS: Readonly<Record<ImageKind, readonly string[]>> = {
  dind: [DIND_BIN, "/bin", "/usr/bin"],
  registry: ["/bin", REGISTRY_ENTRYPOINT],
};

/**
 * True when `arg` names the image's own `file`: its full path, or its name alone while PATH is
 * the image's; never when a mount or upload replaces one of the image's programs.
 */
function isImageProgram(container: ContainerView, kind: ImageKind, arg: string | undefined, file: string): boolean {
  const tampered = container.replacedPaths.some((replaced) => PROGRAM_PATHS[kind].some((program) => covers(replaced, program) || covers(program, replaced)));
  if (arg === undefined || tampered) return false;
  return arg === file || (arg === path.posix.basename(file) && !container.env.has("PATH"));
}

/** The command line as the DinD entrypoint sees it: the entrypoint given, or the image's, then the arguments; a leading `docker-init --` (the image's init) dropped. */
function dindCommandLine(container: ContainerView): string[] {
  const line = container.entrypoint ? [...container.entrypoint, ...(container.args ?? [])] : [`${DIND_BIN}/dind-entrypoint.sh`, ...(container.args ?? [])];
  return isImageProgram(container, "dind", line[0], `${DIND_BIN}/docker-init`) && line[1] === "--" ? line.slice(2) : line;
}

/**
 * True when a container of a DinD image runs its daemon: dockerd itself, or the image's
 * entrypoint with no arguments, dockerd flags (`-...`) or `dockerd ...` (anything else is run
 * instead of the daemon: components/dind-image/docker/dind-entrypoint.sh, and the official
 * image's dockerd-entrypoint.sh likewise).
 */
export function runsDindDaemon(container: ContainerView): boolean {
  const [program, first] = dindCommandLine(container);
  if (isImageProgram(container, "dind", program, `${DIND_BIN}/dockerd`)) return true;
  if (!DIND_ENTRYPOINTS.some((entrypoint) => isImageProgram(container, "dind", program, `${DIND_BIN}/${entrypoint}`))) return false;
  return first === undefined || first.startsWith("-") || first === "dockerd";
}

/**
 * Whether a container of the registry image serves a registry, and from which config file:
 * registry:2's entrypoint serves a first argument that is a file (`/entrypoint.sh <file>`),
 * passes `serve <file>` and other subcommands to the server, and runs `sh` instead; the server
 * can also be run directly (`registry serve <file>`). No arguments: the image's default file.
 * On a cluster the stack's registry-gc.sh serves its config file between garbage collections.
 */
export function registryServed(container: ContainerView): { serves: boolean; configPath?: string } {
  const line = container.entrypoint ? [...container.entrypoint, ...(container.args ?? [])] : [REGISTRY_ENTRYPOINT, ...(container.args ?? [REGISTRY_DEFAULT_CONFIG])];
  const [program, first, second] = line;
  // The stack's garbage collection loop on a cluster (components/kubernetes/registry-gc.sh, exactly
  // that script): it serves its first argument between collections.
  if (isImageProgram(container, "registry", program, "/bin/sh") && first === "-c" && second === verbatim(REGISTRY_GC_SCRIPT) && line[3] === REGISTRY_GC_NAME) {
    return { serves: true, configPath: line[4] };
  }
  if (isImageProgram(container, "registry", program, REGISTRY_BINARY)) return first === "serve" ? { serves: true, configPath: second } : { serves: false };
  if (!isImageProgram(container, "registry", program, REGISTRY_ENTRYPOINT)) return { serves: false };
  if (first === "serve") return { serves: true, configPath: second };
  if (first === undefined) return { serves: true };
  return first.startsWith("/") ? { serves: true, configPath: first } : { serves: false };
}

/** The role of a container running an image of `kind`, judged from the program it runs; undefined for none. */
export function roleOf(kind: ImageKind | undefined, container: ContainerView): Role | undefined {
  if (kind === "dind") return runsDindDaemon(container) ? { kind: "dind-daemon" } : undefined;
  if (kind === "registry") {
    const served = registryServed(container);
    return served.serves ? { kind: "registry", configPath: served.configPath } : undefined;
  }
  return undefined;
}
