/**
 * Where clients keep BuildKit build caches in the stack's registry: the repository prefix
 * `<pushRegistry>/build-cache`, handed to every client as DIND_STACK_BUILD_CACHE (docs/buildkit.md
 * gives the flags). The caches are inline caches: images pushed with their cache metadata, which
 * the daemon's own BuildKit (the docker driver) exports and imports with nothing else installed.
 */
export const BUILD_CACHE_ENV = "DIND_STACK_BUILD_CACHE";

/** The build cache prefix for clients whose daemon pushes to `pushRegistry`. */
export function buildCacheRepository(pushRegistry: string): string {
  return `${pushRegistry}/build-cache`;
}
