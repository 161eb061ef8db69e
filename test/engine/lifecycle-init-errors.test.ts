// A container whose start fails after the provider created it, acted out on the engine as the
// real provider, the bridge and the engine handle it: kreuzwerker's create makes the container
// and records its id before it starts it (and waits for its health), so the failed `pulumi up`
// keeps it in the state with init errors. The engine's next `up` then runs an update that
// changes nothing (the bridge finds no diff), clears the errors and is green, with the registry
// still not running. The program's `replaceOnChanges: ["*"]` on its containers makes the engine
// replace such a container instead, so the next green up has a registry that answers.
import * as net from "node:net";
import { objectNames } from "../../components/naming";
import { TestStack } from "./support/deploy";
import { engine } from "./support/engine";
import { registryGet } from "./support/host-side";
import { scenarioHooks } from "./support/scenario-hooks";
import { changesOf, containerId, stackContainers } from "./support/stack-objects";

const STACK = "test-life-init";
const names = objectNames(STACK);
const PORT = 5033;
const REGISTRY = `${STACK}-registry-container`;

/** Holds the registry's host port, as another program on the host would. */
async function occupyPort(): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(PORT, "127.0.0.1", resolve));
  return server;
}

const release = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe("a registry that never started, and the next up", () => {
  const stack = new TestStack({ configOf: "dev", stack: STACK, overrides: { "dind-stack:registry": { port: PORT } } });

  /** The first up, with the port taken: it fails, and the engine keeps the created registry with init errors. */
  async function failedFirstUp(): Promise<void> {
    const holder = await occupyPort();
    try {
      await expect(stack.up()).rejects.toThrow(/address already in use|port is already allocated/);
    } finally {
      await release(holder);
    }
    const entry = stack.entry(REGISTRY);
    expect(entry?.initErrors).toEqual([expect.stringMatching(/address already in use|port is already allocated/)]);
    expect(entry?.id).toBe(await containerId(names.registryContainer));
    expect((await engine.getContainer(names.registryContainer).inspect()).State.Running).toBe(false);
    // The clients wait for the registry: none was created.
    expect(await stackContainers(STACK)).toEqual([names.registryContainer]);
  }

  scenarioHooks(stack, { prefix: names.prefix });

  test("as the engine does it on its own (no replaceOnChanges): the next up only updates the registry, is green, and leaves it not running", async () => {
    await failedFirstUp();
    const next = await stack.up({ replaceOnChanges: false });
    expect(changesOf(next.steps)).toContain(`update ${REGISTRY}`);
    expect(stack.entry(REGISTRY)?.initErrors).toBeUndefined();
    expect((await engine.getContainer(names.registryContainer).inspect()).State.Running).toBe(false);
    await expect(registryGet(`127.0.0.1:${PORT}`, "/v2/")).rejects.toThrow();
  });

  test("with the program as it is: the next up replaces the registry for its init errors, delete-first, and it answers", async () => {
    await stack.destroy();
    await failedFirstUp();
    const failedId = await containerId(names.registryContainer);
    const next = await stack.up();
    expect(changesOf(next.steps)).toContain(`replace ${REGISTRY} [#initerror]`);
    expect(await containerId(names.registryContainer)).not.toBe(failedId);
    expect((await registryGet(`127.0.0.1:${PORT}`, "/v2/")).status).toBe(200);
    expect(await stackContainers(STACK)).toEqual([names.client("builder", 1), names.registryContainer].sort());
  });
});
