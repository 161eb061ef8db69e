import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chooseCliSource, findPulumiOnPath, isNpmShim, noCliMessage, releaseArchive } from "../../../scripts/pulumi/cli-source";
import { npmPulumiPackage, pinnedBinaryPath } from "../../../scripts/pulumi/npm-cli";
import { REPO_ROOT } from "../../support/stack-config";

let scratch: string;
beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-cli-"))));
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

function executable(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "pulumi");
  fs.writeFileSync(file, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  return file;
}

test("the npm package's node_modules/.bin/pulumi is a downloader, not a CLI: it is skipped on PATH", () => {
  const shim = path.join(REPO_ROOT, "node_modules", ".bin", "pulumi");
  expect(isNpmShim(fs.realpathSync(shim))).toBe(true);
  expect(findPulumiOnPath(path.dirname(shim))).toBeUndefined();
  const real = executable(path.join(scratch, "bin"));
  expect(findPulumiOnPath([path.dirname(shim), path.join(scratch, "empty"), path.dirname(real)].join(path.delimiter))).toBe(real);
});

test("a file named pulumi that is not executable, or a folder, is not a CLI", () => {
  fs.mkdirSync(path.join(scratch, "a"));
  fs.writeFileSync(path.join(scratch, "a", "pulumi"), "not executable", { mode: 0o644 });
  fs.mkdirSync(path.join(scratch, "b", "pulumi"), { recursive: true });
  expect(findPulumiOnPath(`${path.join(scratch, "a")}${path.delimiter}${path.join(scratch, "b")}`)).toBeUndefined();
  expect(findPulumiOnPath(undefined)).toBeUndefined();
});

test("a CLI on PATH comes first, then the pinned version in PULUMI_HOME, else that version is downloaded", () => {
  expect(chooseCliSource("/usr/local/bin/pulumi", "/h/versions/3.265.0/bin/pulumi", true)).toEqual({ kind: "path", binary: "/usr/local/bin/pulumi" });
  expect(chooseCliSource(undefined, "/h/versions/3.265.0/bin/pulumi", true)).toEqual({ kind: "cached", binary: "/h/versions/3.265.0/bin/pulumi" });
  expect(chooseCliSource(undefined, "/h/versions/3.265.0/bin/pulumi", false)).toEqual({ kind: "download", binary: "/h/versions/3.265.0/bin/pulumi" });
});

test("the pinned CLI lives where the pulumi npm package puts it: $PULUMI_HOME/versions/<its version>/bin", () => {
  const saved = process.env.PULUMI_HOME;
  process.env.PULUMI_HOME = scratch;
  try {
    const pkg = npmPulumiPackage();
    expect(pkg.version).toBe(require("../../../package.json").devDependencies.pulumi);
    expect(pinnedBinaryPath(pkg)).toBe(path.join(scratch, "versions", pkg.version, "bin", "pulumi"));
  } finally {
    if (saved === undefined) delete process.env.PULUMI_HOME;
    else process.env.PULUMI_HOME = saved;
  }
});

test("the no-CLI message names the release archive for the machine and where to unpack it", () => {
  expect(releaseArchive("3.265.0", "linux", "x64")).toBe("pulumi-v3.265.0-linux-x64.tar.gz");
  expect(releaseArchive("3.265.0", "darwin", "arm64")).toBe("pulumi-v3.265.0-darwin-arm64.tar.gz");
  expect(releaseArchive("3.265.0", "win32", "x64")).toBe("pulumi-v3.265.0-windows-x64.zip");
  const message = noCliMessage("3.265.0", "/h/versions/3.265.0/bin/pulumi", "fetch failed", "pulumi-v3.265.0-linux-x64.tar.gz");
  expect(message).toMatch(/^no Pulumi CLI: none on PATH, none at \/h\/versions\/3.265.0\/bin\/pulumi, and downloading v3.265.0 failed \(fetch failed\)\./);
  expect(message).toContain("put a `pulumi` executable on PATH");
  expect(message).toContain("mkdir -p /h/versions/3.265.0/bin && tar -xzf pulumi-v3.265.0-linux-x64.tar.gz --strip-components=1 -C /h/versions/3.265.0/bin");
});
