// What a second `pulumi up` does to a stack with a mirror list, as the harness models it from
// the providers' rules (docker Tag and RegistryImage, @pulumi/command's Command), checked on
// the real program under mocks: which change pushes which image again, what is deleted, and
// that nothing the registry serves is ever deleted.
import * as fs from "node:fs";
import * as path from "node:path";
import { imageSlug } from "../../../components/naming";
import { up } from "../../support/lifecycle/deployment";
import { changes } from "../../support/lifecycle/plan";
import { recordingOps } from "../../support/lifecycle/recording-ops";
import { emptyState, StackState } from "../../support/lifecycle/stack-state";
import { scratchDir, writeSavedArchive } from "../../support/archives";
import { stackConfig, withOverrides } from "../../support/stack-config";

const dir = scratchDir("mirror-lifecycle");
const archive = (name: string) => path.join(dir, name);
const entryNames = (localName: string) => {
  const base = `ci-mirror-${imageSlug(localName)}`;
  return { load: `${base}-load`, pull: `${base}-pull`, tag: `${base}-tag`, push: `${base}-push`, publish: `ci-mirror-registry-${imageSlug(localName)}-publish` };
};
const nginx = entryNames("library/nginx:alpine");
const mysql = entryNames("library/mysql:5.7");
const SECRET_KEYS = ["dind-stack:registryPassword"];

const mirror = (nginxArchive: string) => [
  { source: "nginx:alpine", archive: archive(nginxArchive) },
  { source: "mysql:5.7" },
];

describe("the lifecycle of a stack with a mirror list", () => {
  const base = withOverrides(stackConfig("ci"), {
    "dind-stack:registry": { port: 5001, auth: { username: "builder" } },
    "dind-stack:registryPassword": "first-password-1",
    "dind-stack:mirror": mirror("nginx-1.tar"),
  });
  let state: StackState;
  let ops: ReturnType<typeof recordingOps>;
  const deploy = async (overrides: Record<string, unknown> = {}) => {
    ops.calls.length = 0;
    const result = await up({ stack: "ci", config: withOverrides(base, overrides), secretKeys: SECRET_KEYS, state, ops });
    state = result.state;
    return result;
  };

  beforeAll(async () => {
    await writeSavedArchive(archive("nginx-1.tar"), [{ tags: ["nginx:alpine"], content: "one" }]);
    await writeSavedArchive(archive("nginx-2.tar"), [{ tags: ["nginx:alpine"], content: "two" }]);
    await writeSavedArchive(archive("nginx-1-copy.tar"), [{ tags: ["nginx:alpine"], content: "one" }]);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    state = emptyState();
    ops = recordingOps();
    await deploy();
  });

  test("a second up with the same list changes nothing", async () => {
    expect(changes((await deploy()).steps)).toEqual([]);
    expect(ops.calls).toEqual([]);
  });

  test("another image in an entry's archive loads, tags, pushes and publishes that entry alone; the named push is replaced delete-first, which leaves the registry alone", async () => {
    const result = await deploy({ "dind-stack:mirror": mirror("nginx-2.tar") });
    const steps = changes(result.steps);
    // The push and the publish are independent of each other, so only their order around the
    // load and tag, and every replacement before any delete, are fixed.
    expect([...steps].sort()).toEqual(
      [
        `replace ${nginx.load} [triggers]`,
        `replace ${nginx.tag} [sourceImage]`,
        `replace ${nginx.push} [triggers]`,
        `replace ${nginx.publish} [triggers]`,
        `delete ${nginx.publish}`,
        `delete ${nginx.tag}`,
        `delete ${nginx.load}`,
      ].sort(),
    );
    const position = (step: string) => steps.indexOf(step);
    expect(Math.max(...steps.filter((step) => step.startsWith("replace")).map(position))).toBeLessThan(Math.min(...steps.filter((step) => step.startsWith("delete")).map(position)));
    expect(position(`replace ${nginx.load} [triggers]`)).toBeLessThan(position(`replace ${nginx.tag} [sourceImage]`));
    expect(position(`replace ${nginx.tag} [sourceImage]`)).toBeLessThan(position(`replace ${nginx.push} [triggers]`));
    expect(position(`replace ${nginx.load} [triggers]`)).toBeLessThan(position(`replace ${nginx.publish} [triggers]`));
    expect(ops.calls.filter((call) => call.startsWith("remove")).slice(-2)).toEqual([`remove ${nginx.tag}`, `remove ${nginx.load}`]);
    // The bridge asks for delete-first for a RegistryImage whose name the program sets; its
    // delete, with keepRemotely, removes nothing from the registry, so the old image is served
    // until the new push lands.
    expect(ops.calls.indexOf(`remove ${nginx.push}`)).toBe(ops.calls.indexOf(`create ${nginx.push}`) - 1);
    expect(result.steps.find((step) => step.name === nginx.push)?.deleteBeforeReplace).toBe(true);
    expect(state.resources.find((entry) => entry.name === nginx.push)?.inputs.keepRemotely).toBe(true);
  });

  test("the same image under another archive path is loaded again, and nothing is pushed", async () => {
    const result = await deploy({ "dind-stack:mirror": mirror("nginx-1-copy.tar") });
    expect(changes(result.steps)).toEqual([`update ${nginx.load} [environment]`]);
  });

  test("a rotated password updates the pushes' credentials in place (the provider reads the digest again), pushing nothing", async () => {
    const result = await deploy({ "dind-stack:registryPassword": "second-password-2" });
    expect(changes(result.steps).filter((step) => step.includes("-mirror-"))).toEqual([`update ${nginx.push} [authConfig]`, `update ${mysql.push} [authConfig]`]);
  });

  test("a moved registry port re-tags and pushes every image to the new address; dropping the old pushes deletes nothing from the registry", async () => {
    const result = await deploy({ "dind-stack:registry": { port: 5002, auth: { username: "builder" } } });
    const mirrorSteps = changes(result.steps).filter((step) => step.includes("-mirror-"));
    expect(mirrorSteps.filter((step) => step.startsWith("replace")).sort()).toEqual(
      [`replace ${nginx.tag} [targetImage]`, `replace ${nginx.push} [name]`, `replace ${mysql.tag} [targetImage]`, `replace ${mysql.push} [name]`].sort(),
    );
    expect(state.resources.filter((entry) => entry.name.endsWith("-push")).map((entry) => entry.inputs.keepRemotely)).toEqual([true, true]);
  });

  test("another volume for the registry pushes every image again into it", async () => {
    const result = await deploy({ "dind-stack:registry": { volumeName: "ci-registry-moved", auth: { username: "builder" } } });
    expect(changes(result.steps).filter((step) => step.includes("-push") && step.startsWith("replace")).sort()).toEqual([`replace ${mysql.push} [triggers]`, `replace ${nginx.push} [triggers]`]);
  });

  test("an entry removed from the list is dropped from the state; its push, kept remotely, deletes nothing from the registry", async () => {
    const result = await deploy({ "dind-stack:mirror": [{ source: "mysql:5.7" }] });
    expect([...changes(result.steps)].sort()).toEqual([`delete ${nginx.load}`, `delete ${nginx.publish}`, `delete ${nginx.push}`, `delete ${nginx.tag}`].sort());
  });
});
