import { spawnSync } from "node:child_process";
import * as net from "node:net";
import { objectNames } from "../../components/naming";
import { containersHolding, PortHolder, PublishingContainer, RegistryBinding, registryBinding, takenPortMessage } from "./registry-port";

/** What the registry port check found. */
export type PortCheck =
  | { kind: "free"; binding: RegistryBinding }
  | { kind: "own"; binding: RegistryBinding }
  | { kind: "taken"; binding: RegistryBinding; message: string }
  | { kind: "skipped"; reason: string };

/**
 * The environment of the `docker` CLI for the engine the stack deploys to: the stack file's
 * `docker:host` (the provider's setting) when it has one, else the caller's DOCKER_HOST.
 */
export function engineEnvironment(config: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const host = config["docker:host"];
  return typeof host === "string" ? { ...env, DOCKER_HOST: host } : env;
}

/** True when the engine runs on this machine: a unix socket (or none named) and no Docker context chosen. */
export function engineIsLocal(env: NodeJS.ProcessEnv): boolean {
  return (!env.DOCKER_HOST || env.DOCKER_HOST.startsWith("unix://")) && !env.DOCKER_CONTEXT;
}

/** Runs the docker CLI; throws with what it said when it fails, or that there is none. */
function docker(args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync("docker", args, { env, encoding: "utf8", timeout: 30_000 });
  if (result.error) throw new Error((result.error as NodeJS.ErrnoException).code === "ENOENT" ? "no docker CLI on this machine" : result.error.message);
  if (result.status !== 0) throw new Error(result.stderr.trim() || `docker ${args[0]} exited with ${result.status}`);
  return result.stdout;
}

/** The running containers of the engine and the host addresses each publishes. */
export function runningContainers(env: NodeJS.ProcessEnv): PublishingContainer[] {
  const ids = docker(["ps", "-q", "--no-trunc"], env).split(/\s+/).filter(Boolean);
  if (ids.length === 0) return [];
  const inspected = JSON.parse(docker(["inspect", ...ids], env)) as { Name: string; NetworkSettings?: { Ports?: PublishingContainer["ports"] | null } }[];
  return inspected.map((container) => ({ name: container.Name.replace(/^\//, ""), ports: container.NetworkSettings?.Ports ?? {} }));
}

/** True when something on this machine listens on the binding (a listen there fails with EADDRINUSE); undefined when that cannot be tried here. */
export function heldOnThisMachine(binding: RegistryBinding): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE" ? true : undefined));
    server.listen({ host: binding.address, port: binding.port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** Who holds the binding: another container, or (engine on this machine only) a process; undefined when it is free. */
async function holderOf(binding: RegistryBinding, containers: readonly PublishingContainer[], ownRegistry: string, local: boolean): Promise<PortHolder | undefined> {
  const holders = containersHolding(binding, containers, ownRegistry);
  if (holders.length > 0) return { containers: holders };
  return local && (await heldOnThisMachine(binding)) ? { process: true } : undefined;
}

/**
 * Checks, before Pulumi runs, that the registry's host port is free on the engine the stack
 * deploys to, or held by the stack's own registry. Another container holding it is seen
 * through the engine (remote ones too); a process that is no container only when the engine
 * runs on this machine. Without a docker CLI or an engine that answers, the check is skipped
 * (and says why): then the engine reports a taken port when `up` creates the registry.
 */
export async function checkRegistryPort(stack: string, config: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Promise<PortCheck> {
  const binding = registryBinding(config);
  if (!binding) return { kind: "skipped", reason: "the stack publishes no registry port (Kubernetes target, or a registry section the program will refuse)" };
  const engine = engineEnvironment(config, env);
  let containers: PublishingContainer[];
  try {
    containers = runningContainers(engine);
  } catch (error) {
    return { kind: "skipped", reason: `could not ask the engine (${error instanceof Error ? error.message : String(error)})` };
  }
  const ownRegistry = objectNames(stack).registryContainer;
  const own = containers.find((container) => container.name === ownRegistry);
  if (own && containersHolding(binding, [own], "").length > 0) return { kind: "own", binding };
  const local = engineIsLocal(engine);
  const holder = await holderOf(binding, containers, ownRegistry, local);
  if (!holder) return { kind: "free", binding };
  let freePort = binding.port + 1;
  while (freePort < 65535 && (await holderOf({ ...binding, port: freePort }, containers, ownRegistry, local))) freePort += 1;
  return { kind: "taken", binding, message: takenPortMessage(stack, binding, holder, freePort) };
}
