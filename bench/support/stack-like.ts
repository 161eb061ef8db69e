import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { BUILD_CACHE_ENV, buildCacheRepository } from "../../components/workloads/build-cache";
import { BENCH_SOCKET_FLAG, BenchContainer, createBenchContainer, daemonSocket, isRunning, PREFIX, waitForInfo } from "./bench-engine";

/** The daemon.json the ci stack's program renders for its DinD daemon. */
export const DAEMON_JSON = JSON.stringify({ "insecure-registries": ["http://registry:5000"], "log-driver": "json-file", "log-opts": { "max-size": "20m", "max-file": "3" } });

/** The script the stack's client containers run before their command (waits for the daemon). */
export const CLIENT_WAIT_SCRIPT = fs.readFileSync(path.join(__dirname, "..", "..", "components", "workloads", "client-wait.sh"), "utf8");

/** Environment the program gives a DinD daemon container; an empty `certDir` turns TLS off. */
export function daemonEnv(container: string, certDir: string): string[] {
  return [`DOCKER_TLS_CERTDIR=${certDir}`, `DOCKER_TLS_SAN=DNS:docker,DNS:${container}`, `DIND_DAEMON_JSON=${DAEMON_JSON}`];
}

/** A DinD daemon container as the stack declares it (privileged, data on a volume), plus the benchmark's socket. */
export function dindSpec(image: string, network: string, name: string, extra: Partial<BenchContainer> = {}): BenchContainer {
  return {
    name,
    image,
    privileged: true,
    benchSocket: true,
    network: { name: network },
    env: daemonEnv(`${PREFIX}-${name}`, "/certs"),
    binds: [`${PREFIX}-${name}-data:/var/lib/docker`, `${PREFIX}-${name}-certs:/certs/client`],
    cmd: [BENCH_SOCKET_FLAG],
    ...extra,
  };
}

/** Creates and starts a container, then waits until its daemon answers GET /info; returns the container and the ms since the create request. */
export async function startDaemon(spec: BenchContainer): Promise<{ container: Docker.Container; ms: number }> {
  const started = Date.now();
  const container = await createBenchContainer(spec);
  await container.start();
  const ready = await waitForInfo(daemonSocket(spec.name), 120_000, () => isRunning(container));
  return { container, ms: ready - started };
}

/** Stops a ready daemon container (dockerd shuts down cleanly), starts it again and returns the ms until it answers. */
export async function restartDaemon(name: string, container: Docker.Container): Promise<number> {
  await container.stop({ t: 30 });
  const started = Date.now();
  await container.start();
  return (await waitForInfo(daemonSocket(name), 120_000, () => isRunning(container))) - started;
}

/** A client container of the DinD daemon aliased `docker` (TLS, certificates from that daemon's volume), idle until exec'd into. */
export function dindClientSpec(image: string, network: string, name: string, daemonName: string): BenchContainer {
  return {
    name,
    image,
    entrypoint: ["sleep", "infinity"],
    env: ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client", `${BUILD_CACHE_ENV}=${buildCacheRepository("registry:5000")}`],
    binds: [`${PREFIX}-${daemonName}-certs:/certs/client:ro`],
    network: { name: network },
  };
}
