import Docker from "dockerode";
import { logsOf } from "./container-io";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";
import { followStream } from "./progress";

/** Registry credentials for a push from the host. */
export interface Credentials {
  /** User name. */
  username: string;
  /** Password. */
  password: string;
}

/** Tags a local image as `target` and pushes it from the host engine (anonymously unless credentials are given). */
export async function pushFromHost(source: string, target: string, credentials?: Credentials): Promise<void> {
  const [repo, tag] = [target.slice(0, target.lastIndexOf(":")), target.slice(target.lastIndexOf(":") + 1)];
  await engine.getImage(source).tag({ repo, tag });
  const serveraddress = target.split("/")[0];
  await followStream(await engine.getImage(target).push({ authconfig: { ...credentials, serveraddress } }), `push of ${target}`);
}

/** Pulls an image into the host engine (anonymously unless credentials are given). */
export async function pullToHost(reference: string, credentials?: Credentials): Promise<void> {
  const authconfig = credentials && { ...credentials, serveraddress: reference.split("/")[0] };
  await followStream(await engine.pull(reference, { authconfig }), `pull of ${reference}`);
}

/** Removes an image from the host engine if present. */
export async function removeHostImage(reference: string): Promise<void> {
  await engine.getImage(reference).remove({ force: true }).catch(() => undefined);
}

/** GETs a registry API path from the host, optionally with basic auth; returns status and JSON body. */
export async function registryGet(hostAddress: string, apiPath: string, auth?: { username: string; password: string }): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` } : {};
  const response = await fetch(`http://${hostAddress}${apiPath}`, { headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Runs a one-off labelled container to completion and returns its exit code and log. */
export async function runToCompletion(options: Docker.ContainerCreateOptions): Promise<{ exitCode: number; log: string }> {
  const container = await engine.createContainer({ ...options, Labels: { ...options.Labels, [TEST_RUN_LABEL]: TEST_RUN_ID } });
  try {
    await container.start();
    const { StatusCode } = await container.wait();
    return { exitCode: StatusCode, log: await logsOf(container.id) };
  } finally {
    await container.remove({ force: true, v: true });
  }
}
