// The GitHub Actions runner recipe (docs/recipes/github-runner.md, examples/Pulumi.github-runner.yaml).
// The runner cannot be installed here: its command runs as declared, with the environment the
// program gives the container, against stand-ins for GitHub's API (curl), jq and the runner's
// config.sh/run.sh, to show what it asks GitHub for and how it registers. The jobs run in the
// runner's container, whose environment points at the stack's DinD daemon and registry.
import * as fs from "node:fs";
import * as path from "node:path";
import { scratchDir } from "../../support/archives";
import { runClientCommand, standInPrograms } from "../../support/client-command";
import { deployableExample } from "../../support/examples";
import { named } from "../../support/resource-queries";
import { ProgramRun, runProgram } from "../../support/run-program";

const dir = scratchDir("github-runner");
const record = (name: string) => fs.readFileSync(path.join(dir, name), "utf8").trim();
let run: ProgramRun;

beforeAll(async () => {
  const { config, secretKeys } = deployableExample("github-runner");
  run = await runProgram("github-runner", config, secretKeys);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("each start asks GitHub for a fresh registration token, then registers one ephemeral runner and runs it", () => {
  const bin = standInPrograms(path.join(dir, "bin"), {
    curl: `printf '%s\\n' "$@" > "${dir}/curl-args"; echo '{"token": "AABBCC-registration", "expires_at": "2030-01-01T00:00:00Z"}'`,
    jq: `sed -n 's/.*"token": *"\\([^"]*\\)".*/\\1/p'`,
    hostname: "echo 4f2a9c1b0d3e",
  });
  const home = path.join(dir, "home");
  standInPrograms(home, { "config.sh": `printf '%s\\n' "$@" > "${dir}/config-args"`, "run.sh": `echo run > "${dir}/run-args"` });
  fs.writeFileSync(path.join(home, ".runner"), "left by the previous, ephemeral runner");
  const result = runClientCommand(named(run.resources, "github-runner-dind-client-gh-runner-1"), { cwd: home, bin });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(record("curl-args").split("\n")).toEqual([
    "-fsS",
    "-X",
    "POST",
    "-H",
    "Authorization: Bearer github_pat_example",
    "-H",
    "Accept: application/vnd.github+json",
    "https://api.github.com/repos/example-org/example-repo/actions/runners/registration-token",
  ]);
  expect(record("config-args").split("\n")).toEqual([
    "--unattended",
    "--ephemeral",
    "--replace",
    "--name",
    "4f2a9c1b0d3e",
    "--url",
    "https://github.com/example-org/example-repo",
    "--token",
    "AABBCC-registration",
    "--labels",
    "dind-stack",
  ]);
  expect(record("run-args")).toBe("run");
  expect(fs.existsSync(path.join(home, ".runner"))).toBe(false);
});

test("the runner's jobs build with the stack's DinD daemon over TLS and push to its registry; the restart policy brings up the next runner", () => {
  const runner = named(run.resources, "github-runner-dind-client-gh-runner-1").inputs;
  expect(runner.envs).toEqual(expect.arrayContaining(["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client", "DIND_STACK_REGISTRY=registry:5000"]));
  expect(runner.volumes).toEqual([expect.objectContaining({ containerPath: "/certs/client", readOnly: true })]);
  expect(runner.restart).toBe("unless-stopped");
  expect(named(run.resources, "github-runner-dind-client-gh-runner-2").inputs.name).toBe("dind-stack-github-runner-gh-runner-2");
});

test("the fine-grained token is a secret wherever it lands", () => {
  const runner = named(run.resources, "github-runner-dind-client-gh-runner-1");
  expect(runner.secretPaths).toEqual(expect.arrayContaining(["envs", "command"]));
});
