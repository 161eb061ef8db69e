// The registry port check that `npm run preview` and `npm run up` make before Pulumi runs, on a
// real engine through the real docker CLI: a port another container publishes is reported with
// that container's name, one a process of this machine holds as such, the stack's own registry
// and a free port pass.
import * as net from "node:net";
import { objectNames } from "../../components/naming";
import { checkRegistryPort } from "../../scripts/pulumi/port-check";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { removeTestObjects } from "./support/cleanup";
import { freePort } from "./support/free-port";

const STACK = "test-port";

/** Starts a labelled registry:2 container named `name` publishing 127.0.0.1:`port`. */
async function publishing(name: string, port: number): Promise<void> {
  const container = await engine.createContainer({
    name,
    Image: "registry:2",
    Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    HostConfig: { PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] } },
  });
  await container.start();
}

const configOn = (port: number) => ({ "dind-stack:registry": { port, bindAddress: "127.0.0.1" } });

describe("registry port check on a real engine", () => {
  afterAll(() => removeTestObjects({ images: false }), 60_000);

  test("a port another container publishes is taken, naming that container", async () => {
    const port = await freePort();
    await publishing(`${STACK}-other-${TEST_RUN_ID}`, port);
    const check = await checkRegistryPort(STACK, configOn(port), process.env);
    expect(check).toMatchObject({ kind: "taken" });
    expect(check.kind === "taken" && check.message).toContain(`127.0.0.1:${port} (dind-stack:registry.port, dind-stack:registry.bindAddress) of stack ${STACK} is taken by container ${STACK}-other-${TEST_RUN_ID}`);
  });

  test("the stack's own registry on that port passes", async () => {
    const port = await freePort();
    await publishing(objectNames(STACK).registryContainer, port);
    expect(await checkRegistryPort(STACK, configOn(port), process.env)).toEqual({ kind: "own", binding: { address: "127.0.0.1", port } });
  });

  test("a port a process of this machine listens on is taken; once it stops, the port is free", async () => {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
    const check = await checkRegistryPort(STACK, configOn(port), process.env);
    expect(check.kind === "taken" && check.message).toContain(`is taken by a process of this machine that is no container; find it with \`ss -ltnp 'sport = :${port}'\``);
    await new Promise((resolve) => server.close(resolve));
    expect(await checkRegistryPort(STACK, configOn(port), process.env)).toEqual({ kind: "free", binding: { address: "127.0.0.1", port } });
  });
});
