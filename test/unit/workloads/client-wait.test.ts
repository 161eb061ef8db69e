// The wait every client runs before its command, run with sh as a client container runs it
// (`/bin/sh -c <script> dind-client <command...>`), with stand-in docker CLIs on PATH.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLIENT_WAIT_SCRIPT } from "../../../components/workloads/client-spec";
import { scratchDir } from "../../support/archives";

const dir = scratchDir("client-wait");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The tools the wait and its command use besides docker (this machine has a docker CLI of its own, kept off PATH). */
const tools = path.join(dir, "tools");
fs.mkdirSync(tools);
for (const tool of ["date", "sleep", "echo"]) fs.symlinkSync(["/usr/bin", "/bin"].map((folder) => path.join(folder, tool)).find((file) => fs.existsSync(file))!, path.join(tools, tool));

/** Runs the wait with `bin` and the tools on PATH, then `echo started`. */
function runWait(bin: string, timeout = "5") {
  return spawnSync("/bin/sh", ["-c", CLIENT_WAIT_SCRIPT, "dind-client", "echo", "started"], {
    env: { PATH: `${bin}:${tools}`, DOCKER_HOST: "tcp://docker:2376", DIND_READY_TIMEOUT: timeout },
    encoding: "utf8",
  });
}

/** A folder holding a stand-in `docker` that answers `docker version` with `status`. */
function dockerAnswering(name: string, status: number): string {
  const bin = path.join(dir, name);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "docker"), `#!/bin/sh\nexit ${status}\n`, { mode: 0o755 });
  return bin;
}

test("an image without the docker CLI (a runner that speaks the API itself) starts its command at once, and says why", () => {
  const empty = path.join(dir, "no-docker");
  fs.mkdirSync(empty);
  const result = runWait(empty);
  expect(result.status).toBe(0);
  expect(result.stdout).toBe("started\n");
  expect(result.stderr).toContain("[dind-client] no docker CLI in this image: not waiting for the daemon at tcp://docker:2376; starting: echo started");
});

test("with the docker CLI it waits until the daemon answers, then starts the command", () => {
  const result = runWait(dockerAnswering("ready", 0));
  expect(result.status).toBe(0);
  expect(result.stdout).toBe("started\n");
  expect(result.stderr).toContain("[dind-client] daemon at tcp://docker:2376 ready after 0.0s; starting: echo started");
});

test("a daemon that never answers fails the client after the timeout, without starting the command", () => {
  const result = runWait(dockerAnswering("down", 1), "1");
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain("[dind-client] the daemon at tcp://docker:2376 did not answer within 1s");
});
