import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNpmScript, runRealNpm } from "./support/run-npm-script";
import { RefusingProxy, startRefusingProxy, throughProxy } from "./support/refusing-proxy";

// The npm scripts end to end, as a user runs them. No Pulumi CLI can be had on these machines:
// the no-CLI path runs for real (the pinned npm package really tries to download, through a
// proxy on 127.0.0.1 that reaches nothing). Where a CLI is needed, a recording stand-in plays
// it, to show what the scripts run; the real CLI is not run here.
const CLI_VERSION: string = require("../../../package.json").devDependencies.pulumi;

let proxy: RefusingProxy;
let home: string;
let record: string;

beforeAll(async () => (proxy = await startRefusingProxy()));
afterAll(() => proxy.close());
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-home-"));
  record = path.join(home, "pulumi-runs.txt");
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** A clean environment: a home of its own (so no ~/.pulumi of this machine), a passphrase, downloads through the proxy. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: home, PULUMI_HOME: path.join(home, ".pulumi"), PULUMI_CONFIG_PASSPHRASE: "test passphrase", PULUMI_RECORD: record, ...throughProxy(proxy), ...extra };
}

/** A stand-in `pulumi` that appends "<first PATH entry>|<args>" to $PULUMI_RECORD and fails `up` with 7. */
function recordingCli(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "pulumi");
  fs.writeFileSync(file, '#!/bin/sh\nprintf \'%s|%s\\n\' "${PATH%%:*}" "$*" >> "$PULUMI_RECORD"\n[ "$1" = up ] && exit 7\nexit 0\n', { mode: 0o755 });
  return file;
}

const recorded = () => (fs.existsSync(record) ? fs.readFileSync(record, "utf8").trim().split("\n") : []);

test("without any CLI the script says so plainly, with how to provide one, and exits non-zero after a real download attempt", async () => {
  const result = await runNpmScript("preview", ["--stack", "dev"], env());
  const binDir = path.join(home, ".pulumi", "versions", CLI_VERSION, "bin");
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`[dind-stack] Pulumi CLI: none on PATH, none at ${binDir}/pulumi; downloading v${CLI_VERSION}`);
  expect(result.stderr).toContain(`[dind-stack] error: no Pulumi CLI: none on PATH, none at ${binDir}/pulumi, and downloading v${CLI_VERSION} failed`);
  expect(result.stderr).toContain("put a `pulumi` executable on PATH");
  expect(result.stderr).toContain(`mkdir -p ${binDir} && tar -xzf pulumi-v${CLI_VERSION}-`);
  expect(proxy.requests).toContain("CONNECT get.pulumi.com:443 HTTP/1.1");
});

test("a CLI placed under PULUMI_HOME is used: the stack is selected (created if new), then the command runs with the flags given", async () => {
  const cli = recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runNpmScript("preview", ["--stack", "dev", "--diff", "--policy-pack", "policy"], env());
  expect(result.stderr).toContain(`[dind-stack] Pulumi CLI: v${CLI_VERSION} at ${cli} (pinned by the pulumi npm package)`);
  expect(result.code).toBe(0);
  // The CLI's folder comes first on PATH, so the language and policy plugins shipped beside it are found.
  expect(recorded()).toEqual([`${path.dirname(cli)}|stack select --create dev`, `${path.dirname(cli)}|preview --stack dev --diff --policy-pack policy`]);
});

test("a CLI on PATH comes before the one in PULUMI_HOME and before the npm package's downloader; its exit code is the script's", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const onPath = recordingCli(path.join(home, "bin"));
  const result = await runNpmScript("up", ["-s", "ci", "--yes"], env(), [path.dirname(onPath)]);
  expect(result.stderr).toContain(`[dind-stack] Pulumi CLI: ${onPath} (on PATH)`);
  expect(result.code).toBe(7);
  expect(recorded().map((line) => line.split("|")[1])).toEqual(["stack select --create ci", "up --stack ci --yes"]);
});

test("destroy and outputs run on the existing stack only", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  expect((await runNpmScript("destroy", ["--stack", "ci", "--yes"], env())).code).toBe(0);
  expect((await runNpmScript("outputs", ["--stack", "ci", "--json"], env())).code).toBe(0);
  expect(recorded().map((line) => line.split("|")[1])).toEqual(["destroy --stack ci --yes", "stack output --stack ci --json"]);
});

test("with the local backend and no passphrase it says in one line what to set, and runs nothing", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runNpmScript("up", ["--stack", "dev"], env({ PULUMI_CONFIG_PASSPHRASE: "" }));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("[dind-stack] backend: file://~ (from Pulumi.yaml; set PULUMI_BACKEND_URL for another)");
  expect(result.stderr.trim().split("\n").pop()).toBe(
    "[dind-stack] error: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase of stack dev's secrets in file://~; a new stack takes the one set when it is created",
  );
  expect(recorded()).toEqual([]);
});

test("a backend named by PULUMI_BACKEND_URL is the one used; Pulumi Cloud needs no passphrase", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runNpmScript("preview", ["--stack", "ci"], env({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_BACKEND_URL: "https://api.pulumi.com" }));
  expect(result.stderr).toContain("[dind-stack] backend: https://api.pulumi.com (from PULUMI_BACKEND_URL)");
  expect(result.code).toBe(0);
});

test("a usage mistake is one line and exit code 2, before any CLI is looked for", async () => {
  const result = await runNpmScript("up", ["--stack", "staging"], env());
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe('[dind-stack] error: stack "staging" has no config file stacks/Pulumi.staging.yaml; allowed: ci, dev, prod (add the file to create a stack)');
});

test("`npm run pulumi -- <args>` runs any Pulumi command as given, with the same CLI, backend and passphrase check for the named stack", async () => {
  const cli = recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const key = "dind-stack:workloads.clients[0].env.RUNNER_TOKEN";
  const result = await runNpmScript("pulumi", ["config", "set", "--secret", "--path", key, "--stack", "ci"], env());
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("[dind-stack] stack ci: stacks/Pulumi.ci.yaml");
  expect(result.stderr).toContain(`[dind-stack] Pulumi CLI: v${CLI_VERSION} at ${cli} (pinned by the pulumi npm package)`);
  expect(recorded()).toEqual([`${path.dirname(cli)}|config set --secret --path ${key} --stack ci`]);

  const noPassphrase = await runNpmScript("pulumi", ["stack", "output", "--stack", "ci"], env({ PULUMI_CONFIG_PASSPHRASE: "" }));
  expect(noPassphrase.code).toBe(1);
  expect(noPassphrase.stderr).toContain("[dind-stack] error: set PULUMI_CONFIG_PASSPHRASE");
  expect(recorded()).toHaveLength(1);
});

test("`npm run pulumi -- <args>` without a stack needs no passphrase: plugin commands run as they are", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runNpmScript("pulumi", ["plugin", "install", "resource", "docker", "5.2.0", "--file", "pulumi-resource-docker-v5.2.0-linux-amd64.tar.gz"], env({ PULUMI_CONFIG_PASSPHRASE: "" }));
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("[dind-stack] no --stack: a command that needs a stack uses the one `pulumi stack select` chose");
  expect(recorded().map((line) => line.split("|")[1])).toEqual(["plugin install resource docker 5.2.0 --file pulumi-resource-docker-v5.2.0-linux-amd64.tar.gz"]);
});

test("`npm run up --stack dev` typed without `--`: npm itself keeps --stack, and the script says what to type instead", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runRealNpm(["up", "--stack", "dev"], env());
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(
    '[dind-stack] error: npm took --stack for itself because no `--` came before (the script got npm_config_stack=true, "dev" as a plain argument); write `npm run up -- --stack dev`',
  );
  expect(recorded()).toEqual([]);
});

test("`npm run pulumi config set --secret ...` typed without `--` is refused before a secret could be stored in plain text", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runRealNpm(["pulumi", "config", "set", "--secret", "dind-stack:registryPassword", "--stack", "ci"], env());
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("write `npm run pulumi -- config set dind-stack:registryPassword --stack ci --secret`");
  expect(recorded()).toEqual([]);
});

/** A stand-in `docker` CLI whose engine runs one container, "old-registry", publishing 127.0.0.1:<port>. */
function engineWithContainerOn(dir: string, port: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const inspect = JSON.stringify([{ Name: "/old-registry", NetworkSettings: { Ports: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] } } }]);
  fs.writeFileSync(path.join(dir, "docker"), `#!/bin/sh\ncase "$1" in ps) echo 0123abcd ;; inspect) echo '${inspect}' ;; *) exit 1 ;; esac\n`, { mode: 0o755 });
}

test("a registry port another container holds stops `up` before Pulumi runs, naming the holder and the fix; a preview only warns", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  engineWithContainerOn(path.join(home, "docker-bin"), 5000);
  const up = await runNpmScript("up", ["--stack", "dev", "--yes"], env(), [path.join(home, "docker-bin")]);
  expect(up.code).toBe(1);
  expect(up.stderr).toContain(
    "[dind-stack] error: the registry's host port 127.0.0.1:5000 (dind-stack:registry.port, dind-stack:registry.bindAddress) of stack dev is taken by container old-registry (not this stack's registry); free it with `docker stop old-registry`",
  );
  expect(recorded()).toEqual([]);

  const preview = await runNpmScript("preview", ["--stack", "dev"], env(), [path.join(home, "docker-bin")]);
  expect(preview.code).toBe(0);
  expect(preview.stderr).toContain("[dind-stack] warning: the registry's host port 127.0.0.1:5000");
  expect(preview.stderr).toContain("(`npm run up` stops here)");
  expect(recorded().map((line) => line.split("|")[1])).toEqual(["stack select --create dev", "preview --stack dev"]);
});

test("without a docker CLI the port check says it is skipped, and the engine has the last word at `up`", async () => {
  recordingCli(path.join(home, ".pulumi", "versions", CLI_VERSION, "bin"));
  const result = await runNpmScript("up", ["--stack", "ci"], env());
  expect(result.stderr).toContain("[dind-stack] registry port check skipped: could not ask the engine (no docker CLI on this machine)");
  expect(result.code).toBe(7);
});
