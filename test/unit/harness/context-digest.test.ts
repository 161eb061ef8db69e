// The DinD image's build context digest, as pulumi-docker's Image computes it (file modes
// included), against the staged context: the same checkout staged under another umask gives
// the same digest, so `pulumi up` from another shell or machine rebuilds nothing.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOCKERFILE_DIR, filesOf, stageBuildContext } from "../../../components/dind-image/build-context";
import { up } from "../../support/lifecycle/deployment";
import { changes } from "../../support/lifecycle/plan";
import { contextDigest, goFileModeString } from "../../support/lifecycle/provider-check";
import { recordingOps } from "../../support/lifecycle/recording-ops";
import { emptyState } from "../../support/lifecycle/stack-state";
import { REPO_ROOT, stackConfig } from "../../support/stack-config";

/** Runs `body` with the process umask set to `mask`, then restores it. */
async function underUmask<T>(mask: number, body: () => T | Promise<T>): Promise<T> {
  const before = process.umask(mask);
  try {
    return await body();
  } finally {
    process.umask(before);
  }
}

/** A copy of the DinD image's sources as a checkout under `mask` has them (0666/0777 less the mask). */
function checkout(dir: string, mask: number): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(DOCKERFILE_DIR)) {
    const executable = (fs.statSync(path.join(DOCKERFILE_DIR, file)).mode & 0o100) !== 0;
    fs.copyFileSync(path.join(DOCKERFILE_DIR, file), path.join(dir, file));
    fs.chmodSync(path.join(dir, file), (executable ? 0o777 : 0o666) & ~mask);
  }
  return dir;
}

describe("the build context digest", () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-digest-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test("modes are written as Go prints them", () => {
    expect(goFileModeString(0o100644)).toBe("-rw-r--r--");
    expect(goFileModeString(0o100755)).toBe("-rwxr-xr-x");
    expect(goFileModeString(0o120777)).toBe("Lrwxrwxrwx");
    expect(goFileModeString(0)).toBe("----------");
  });

  test("a changed mode is a changed digest, as for the provider", () => {
    const context = stageBuildContext(path.join(work, "ctx"));
    const before = contextDigest(context, path.join(context, "Dockerfile"));
    fs.chmodSync(path.join(context, "dind-entrypoint.sh"), 0o775);
    expect(contextDigest(context, path.join(context, "Dockerfile"))).not.toBe(before);
  });

  test("a checkout and a tarball under umask 002 stage to the same context, modes and digest, as under umask 022", async () => {
    const tarball = path.join(work, "docker.tgz");
    const staged = async (mask: number, name: string) =>
      underUmask(mask, () => {
        fs.rmSync(tarball, { force: true });
        fs.writeFileSync(tarball, "tarball bytes");
        const context = stageBuildContext(path.join(work, name), { "offline/docker.tgz": tarball }, filesOf(checkout(path.join(work, `src-${name}`), mask)));
        const modes = fs.readdirSync(context).map((file) => [file, fs.statSync(path.join(context, file)).mode & 0o777]);
        return { digest: contextDigest(context, path.join(context, "Dockerfile")), modes };
      });
    const wide = await staged(0o002, "wide");
    const narrow = await staged(0o022, "narrow");
    expect(wide.digest).toBe(narrow.digest);
    expect(wide.modes).toEqual(narrow.modes);
    expect(Object.fromEntries(wide.modes)).toMatchObject({ Dockerfile: 0o644, "dind-entrypoint.sh": 0o755, offline: 0o755 });
  });
});

test("an up from a shell with umask 002 after one with umask 022, each staging afresh, changes nothing", async () => {
  // A stack name of its own, so that no other test stages into the same folder meanwhile.
  const stack = "umask-check";
  const staging = path.join(REPO_ROOT, ".dind-stack", "build", stack);
  const ops = recordingOps();
  const config = stackConfig("ci");
  fs.rmSync(staging, { recursive: true, force: true });
  const first = await underUmask(0o022, () => up({ stack, config, state: emptyState(), ops }));
  fs.rmSync(staging, { recursive: true, force: true });
  const second = await underUmask(0o002, () => up({ stack, config, state: first.state, ops }));
  expect(changes(second.steps)).toEqual([]);
  fs.rmSync(staging, { recursive: true, force: true });
});
