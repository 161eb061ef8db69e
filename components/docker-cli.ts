import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/config-error";
import { Problem, renderValue } from "./config/problem";

/**
 * Why the stack refuses Docker contexts: pulumi-docker's Image builds on `docker:host`, else
 * DOCKER_HOST, else the local socket (provider/image.go, configureDockerClient), while its
 * bridged resources (containers, volumes, networks) follow `docker:context` or DOCKER_CONTEXT
 * when one is set (kreuzwerker/terraform-provider-docker internal/provider/provider.go: the
 * context "overrides the host"), and the `docker` CLI of the local commands its own current
 * context. With a context the stack's image, containers and commands would land on different engines.
 */
const ONE_ENGINE = "the stack drives one engine, named by docker:host or DOCKER_HOST (a context would send its containers to another engine than its image)";

/** The engine settings that would split the stack across engines: the `docker:context` key and the DOCKER_CONTEXT variable. */
export function dockerContextProblems(contextKey: string | undefined, environment: Readonly<Record<string, string | undefined>>): Problem[] {
  const problems: Problem[] = [];
  if (contextKey) problems.push({ key: "docker:context", message: `got ${renderValue(contextKey)}; allowed: unset (${ONE_ENGINE}; use docker:host)` });
  const variable = environment.DOCKER_CONTEXT;
  if (variable) problems.push({ key: "DOCKER_CONTEXT (environment variable)", message: `got ${renderValue(variable)}; allowed: unset or empty (${ONE_ENGINE}; unset it, or set DOCKER_HOST)` });
  return problems;
}

/** Refuses a Docker context before any resource is declared, naming the key or the variable. */
export function requireOneEngine(stack: string): void {
  const problems = dockerContextProblems(new pulumi.Config("docker").get("context"), process.env);
  if (problems.length > 0) throw new ConfigError(stack, problems);
}

/**
 * Environment of the `docker` CLI that the stack's local commands run (`docker load`, a
 * storage restore), so that it drives the engine the docker provider drives: the provider's
 * `docker:host` when the stack sets one, otherwise DOCKER_HOST or the local socket, as the
 * provider does. DOCKER_CONTEXT=default keeps the CLI off a current context chosen with
 * `docker context use` (the CLI takes DOCKER_HOST first, then DOCKER_CONTEXT, then that one).
 */
export function dockerCliEnvironment(): Record<string, string> {
  const host = new pulumi.Config("docker").get("host");
  return { DOCKER_CONTEXT: "default", ...(host ? { DOCKER_HOST: host } : {}) };
}
