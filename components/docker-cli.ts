import * as pulumi from "@pulumi/pulumi";

/**
 * Environment of the `docker` CLI that the stack's local commands run (`docker load`, a
 * storage restore), so that it drives the engine the docker provider drives: the provider's
 * `docker:host` when the stack sets one; otherwise the CLI, like the provider, uses DOCKER_HOST
 * or the local socket.
 */
export function dockerCliEnvironment(): Record<string, string> {
  const host = new pulumi.Config("docker").get("host");
  return host ? { DOCKER_HOST: host } : {};
}
