// loadSettings reads the current stack's config as Pulumi hands it to the program (the config
// map and the keys set as secrets), the file system for the files and directories it names, and
// the stack file for the values stored encrypted. Called directly: no program run, no mocks of
// the engine; the stack file is replaced where a test needs encrypted values in it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../../components/config/config-error";
import { loadSettings } from "../../../components/config/load-settings";
import * as stackFiles from "../../../scripts/stack-files";
import { encode } from "../../support/config-problems";

afterEach(() => jest.restoreAllMocks());

/** Sets the config Pulumi hands the program (full keys, objects as JSON text) and the full keys set as secrets. */
function setStackConfig(config: Record<string, unknown>, secretKeys: string[] = []): void {
  pulumi.runtime.setAllConfig(encode(config), secretKeys);
}

/** The keys of the problems loadSettings reports for the config set; fails the test if it is accepted. */
function problemKeys(): string[] {
  try {
    loadSettings();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.key);
    throw error;
  }
  throw new Error("config was accepted");
}

/** Runs `check` with a new temporary folder holding a file `docker.tgz` and a folder `registry`, and removes it afterwards. */
function withFiles(check: (file: string, directory: string) => void): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "load-settings-"));
  try {
    fs.writeFileSync(path.join(root, "docker.tgz"), "");
    fs.mkdirSync(path.join(root, "registry"));
    check(path.join(root, "docker.tgz"), path.join(root, "registry"));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test("a file and a directory that do not exist are reported at their keys", () => {
  withFiles((file, directory) => {
    setStackConfig({ "dind-stack:dindImage": { localTarball: `${file}.missing` }, "dind-stack:registry": { hostPath: `${directory}-missing` } });
    expect(problemKeys()).toEqual(["dind-stack:dindImage.localTarball", "dind-stack:registry.hostPath"]);
  });
});

test("an existing file and directory are accepted", () => {
  withFiles((file, directory) => {
    setStackConfig({ "dind-stack:dindImage": { localTarball: file }, "dind-stack:registry": { hostPath: directory } });
    const settings = loadSettings();
    expect(settings.dindImage.localTarball).toBe(file);
    expect(settings.registry.hostPath).toBe(directory);
  });
});

test("a directory where a file belongs, and a file where a directory belongs, are reported", () => {
  withFiles((file, directory) => {
    setStackConfig({ "dind-stack:dindImage": { localTarball: directory }, "dind-stack:registry": { hostPath: file } });
    expect(problemKeys()).toEqual(["dind-stack:dindImage.localTarball", "dind-stack:registry.hostPath"]);
  });
});

test("a key of a namespace that looks like a typo of dind-stack draws a warning naming it", () => {
  const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
  setStackConfig({ "dind-stak:mode": "dood" });
  loadSettings();
  expect(warn.mock.calls.map(([message]) => message).join("\n")).toContain("dind-stak:mode");
});

test("dind-stack:workloads set as a secret: the settings keep the clients' values secret", () => {
  const workloads = { clients: [{ name: "runner", env: { RUNNER_TOKEN: "glrt-123" } }] };
  setStackConfig({ "dind-stack:workloads": workloads }, ["dind-stack:workloads"]);
  expect(loadSettings().workloads.clientValuesSecret).toBe(true);
  setStackConfig({ "dind-stack:workloads": workloads });
  expect(loadSettings().workloads.clientValuesSecret).toBe(false);
});

test("a client name the stack file stores encrypted is refused at its key", () => {
  jest.spyOn(stackFiles, "readStackFile").mockReturnValue({ config: { "dind-stack:workloads": { clients: [{ name: { secure: "v1:AAAAAAAAAAAAAAAA" } }] } } });
  setStackConfig({ "dind-stack:workloads": { clients: [{ name: "runner" }] } }, ["dind-stack:workloads"]);
  expect(problemKeys()).toEqual(["dind-stack:workloads.clients[0].name"]);
});
