// fetch-plugin.sh run on the host's sh with a local file, as the Dockerfile's plugins stage runs
// it for an air-gapped build: a verified binary is placed, executable; a wrong checksum, a file
// outside plugins/, a missing file or a malformed checksum stop it with the plugin and its config
// key named, and no plugin is placed. The download path is proven on the engine (bad-inputs).
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOCKERFILE_DIR } from "../../../components/dind-image/build-context";

const SCRIPT = path.join(DOCKERFILE_DIR, "fetch-plugin.sh");
const BINARY = "#!/bin/sh\necho plugin\n";
const SHA256 = createHash("sha256").update(BINARY).digest("hex");

let context: string;
let out: string;

/** Runs the script as the Dockerfile does: NAME VERSION SHA256 URL FILE. */
function fetchPlugin(name: string, version: string, sha256: string, file: string): { status: number | null; log: string } {
  const result = spawnSync("sh", [SCRIPT, name, version, sha256, "http://mirror.invalid/never-used", file], {
    encoding: "utf8",
    env: { ...process.env, PLUGIN_CONTEXT: context, PLUGIN_OUT: out },
  });
  return { status: result.status, log: result.stdout + result.stderr };
}

beforeEach(() => {
  context = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-fetch-plugin-"));
  out = path.join(context, "out");
  fs.mkdirSync(path.join(context, "plugins"));
  fs.writeFileSync(path.join(context, "plugins", "docker-compose-2.26.1-x86_64"), BINARY);
});
afterEach(() => fs.rmSync(context, { recursive: true, force: true }));

test("a local file with the right sha256 is placed as docker-<plugin>, executable, byte for byte", () => {
  const { status, log } = fetchPlugin("compose", "2.26.1", SHA256.toUpperCase(), "plugins/docker-compose-2.26.1-x86_64");
  expect(status).toBe(0);
  expect(log).toContain(`compose plugin: sha256 ok (${SHA256}) for the compose plugin 2.26.1`);
  expect(fs.readFileSync(path.join(out, "docker-compose"), "utf8")).toBe(BINARY);
  expect(fs.statSync(path.join(out, "docker-compose")).mode & 0o777).toBe(0o755);
});

test("a wrong sha256 stops it naming the plugin, the file, both sums and the keys; nothing is placed", () => {
  const { status, log } = fetchPlugin("compose", "2.26.1", "0".repeat(64), "plugins/docker-compose-2.26.1-x86_64");
  expect(status).toBe(1);
  expect(log).toContain("compose plugin: ERROR: sha256 mismatch for the compose plugin 2.26.1");
  expect(log).toContain(`source:   ${path.join(context, "plugins", "docker-compose-2.26.1-x86_64")}`);
  expect(log).toContain(`expected: ${"0".repeat(64)}`);
  expect(log).toContain(`actual:   ${SHA256}`);
  expect(log).toContain("fix dind-stack:dindImage.compose.sha256");
  expect(fs.existsSync(path.join(out, "docker-compose"))).toBe(false);
});

test("a plugin turned off (empty version) is left out and says so", () => {
  const { status, log } = fetchPlugin("buildx", "", "", "");
  expect(status).toBe(0);
  expect(log).toContain("buildx plugin: left out (dind-stack:dindImage.buildx.enabled is false)");
  expect(fs.existsSync(out)).toBe(false);
});

test.each([
  ["a file outside plugins/", "0.13.1", SHA256, "../etc/passwd", "the local file must be under plugins/ in the build context, got '../etc/passwd'"],
  ["a missing file", "0.13.1", SHA256, "plugins/docker-buildx-0.13.1-x86_64", "plugins/docker-buildx-0.13.1-x86_64 is not in the build context; plugins/ holds: docker-compose-2.26.1-x86_64"],
  ["a malformed sha256", "0.13.1", "abc", "plugins/docker-compose-2.26.1-x86_64", "dind-stack:dindImage.buildx.sha256 must be 64 hex digits, got 'abc'"],
])("%s stops it with a message naming the plugin", (_what, version, sha256, file, message) => {
  const { status, log } = fetchPlugin("buildx", version, sha256, file);
  expect(status).toBe(1);
  expect(log).toContain(`buildx plugin: ERROR: ${message}`);
  expect(fs.existsSync(path.join(out, "docker-buildx"))).toBe(false);
});
