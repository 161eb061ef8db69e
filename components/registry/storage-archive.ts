import { runTar } from "../tar";

/** Where distribution keeps everything under its root directory (/var/lib/registry). */
const STORAGE_PREFIX = /^(?:\.\/)?docker\/registry\/v2\//;

/**
 * Why `file` is not an archive of a registry's storage (what /var/lib/registry holds, with
 * `docker/registry/v2/` at its top, as scripts/export-registry.sh writes it), or undefined
 * when it is one.
 */
export function registryArchiveProblem(file: string): string | undefined {
  let listing: string;
  try {
    listing = runTar(["-tf", file]);
  } catch (error) {
    return `it cannot be read as a tar archive (${(error as Error).message})`;
  }
  const entries = listing.split("\n").filter(Boolean);
  if (entries.some((entry) => STORAGE_PREFIX.test(entry))) return undefined;
  const sample = entries.slice(0, 3).join(", ");
  return `it holds no docker/registry/v2/ at its top (${entries.length === 0 ? "it is empty" : `it starts with ${sample}`})`;
}
