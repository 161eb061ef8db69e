import * as pulumi from "@pulumi/pulumi";

/**
 * The resource options of every container the stack names (daemon, registry, mirror registry, clients).
 *
 * - deleteBeforeReplace: a fixed name (and the registry's fixed host port) cannot exist twice,
 *   so the old container goes first. pulumi-docker asks for that by itself, but only when its
 *   own diff replaces the container (pulumi-terraform-bridge pkg/tfbridge/provider.go, Diff:
 *   `len(replaces) > 0 && ...`); a replacement the engine forces (below) would otherwise be
 *   create-first and collide.
 * - replaceOnChanges `*`: the provider creates a container, then starts it and waits for its
 *   health; when the start or the wait fails, the container is kept in the state with init
 *   errors (kreuzwerker/terraform-provider-docker resource_docker_container_funcs.go; the bridge's
 *   initializationError), and the next `pulumi up` would only run an update that changes nothing
 *   and clears them (pulumi/pulumi step_generator.go, `hasInitErrors`), leaving a daemon or
 *   registry that never became healthy in place behind a green `up`. With `*` the engine replaces
 *   such a container instead (`applyReplaceOnChanges`: `*` covers the init-error path), so it is
 *   created, started and waited for again. It also turns the few in-place changes (restart
 *   policy, the state-only wait and grace settings) into replacements, which the stack never
 *   changes from config.
 */
export const NAMED_CONTAINER_OPTIONS: pulumi.CustomResourceOptions = { deleteBeforeReplace: true, replaceOnChanges: ["*"] };

/**
 * Seconds the provider's delete waits for a stopping DinD daemon before it kills it
 * (`destroyGraceSeconds`; the container's stop timeout for `docker stop` by hand). dockerd
 * stops its containers for up to its `shutdown-timeout` (15 s by default), then finishes: a
 * clean shutdown leaves no half-written layers in the kept data volume. Without it the
 * provider stops with a timeout of 0: SIGTERM and SIGKILL at once.
 */
export const DAEMON_STOP_SECONDS = 30;

/**
 * The same for the registry, longer than its `http.draintimeout` (REGISTRY_DRAIN_TIMEOUT), for
 * which it lets the requests in flight (a push's upload) finish after SIGTERM before it exits.
 */
export const REGISTRY_STOP_SECONDS = 10;
