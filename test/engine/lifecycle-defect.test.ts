// What delete-before-replace protects against: the same program with the option dropped from
// every resource, taken through the same changes, fails on the engine the way `pulumi up` did
// before the option was set (a replacement is created first and collides with the container it
// replaces), and leaves the running stack as it was. Put back, the same changes go through.
import { objectNames } from "../../components/naming";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { TestStack } from "./support/deploy";
import { registryGet } from "./support/host-side";
import { changesOf, containerId } from "./support/stack-objects";

const STACK = "test-life-nodbr";
const names = objectNames(STACK);
const ports = { first: 5031, moved: 5032 };

describe("the harness catches a replacement that collides with what it replaces", () => {
  const stack = new TestStack({ configOf: "ci", stack: STACK, overrides: { "dind-stack:registry": { port: ports.first } } });
  let daemonId: string | undefined;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await stack.up();
    daemonId = await containerId(names.daemonContainer);
  }, 300_000);

  afterAll(async () => {
    await stack.destroy().catch(() => undefined);
    await removeTestObjects({ images: false });
    await removeByNamePrefix(names.prefix);
  }, 120_000);

  test("without delete-before-replace, a daemon setting change fails on the daemon's name; the running daemon is untouched", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 1400 } });
    await expect(stack.up({ withoutDeleteBeforeReplace: true })).rejects.toThrow(new RegExp(`name "/${names.daemonContainer}" is already in use`));
    expect(await containerId(names.daemonContainer)).toBe(daemonId);
  });

  test("without delete-before-replace, moving the registry fails on its name; the registry keeps serving on its port", async () => {
    // Only the port changes this time (the daemon setting is taken back).
    stack.configure({ "dind-stack:daemon": { mtu: undefined }, "dind-stack:registry": { port: ports.moved } });
    await expect(stack.up({ withoutDeleteBeforeReplace: true })).rejects.toThrow(new RegExp(`name "/${names.registryContainer}" is already in use`));
    expect((await registryGet(`127.0.0.1:${ports.first}`, "/v2/")).status).toBe(200);
  });

  test("with delete-before-replace (the program as it is), the same changes go through", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 1400 } });
    const applied = await stack.up();
    expect(changesOf(applied.steps)).toEqual(expect.arrayContaining([`replace ${STACK}-dind-daemon [envs]`, `replace ${STACK}-registry-container [ports]`]));
    expect(await containerId(names.daemonContainer)).not.toBe(daemonId);
    expect((await registryGet(`127.0.0.1:${ports.moved}`, "/v2/")).status).toBe(200);
  });
});
