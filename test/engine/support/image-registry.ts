import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";
import { waitFor } from "./waiting";

/** A registry:2 on a free loopback port of the engine's host: where a cluster's nodes would pull images from. */
export interface ImageRegistry {
  /** host:port, e.g. 127.0.0.1:32771. */
  address: string;
  /** Removes the registry and its data. */
  remove(): Promise<void>;
}

/** Starts a registry on 127.0.0.1 (a port the engine picks), labelled as this test run's, and waits until it answers. */
export async function startImageRegistry(name: string): Promise<ImageRegistry> {
  const container = await engine.createContainer({
    name,
    Image: "registry:2",
    Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    ExposedPorts: { "5000/tcp": {} },
    HostConfig: { PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
  });
  await container.start();
  const port = (await container.inspect()).NetworkSettings.Ports["5000/tcp"][0].HostPort;
  const address = `127.0.0.1:${port}`;
  await waitFor(`registry ${name} on ${address}`, 30_000, async () => ((await fetch(`http://${address}/v2/`).catch(() => undefined))?.status === 200 ? true : undefined));
  return { address, remove: () => container.remove({ force: true, v: true }) };
}
