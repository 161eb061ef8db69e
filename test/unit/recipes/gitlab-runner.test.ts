// The GitLab Runner recipe (docs/recipes/gitlab-runner.md, examples/Pulumi.gitlab-runner.yaml).
// No gitlab-runner binary can be installed here, so what can be proven is proven: the client's
// command, run as declared with the environment the program gives the container, writes a
// config.toml that a TOML parser reads and that points the docker executor and its jobs at the
// stack's DinD daemon over TLS, with its certificates and its registry; the token stays secret.
// The engine test recipe-runner-jobs.test.ts runs a job as that config.toml describes it.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseToml } from "smol-toml";
import { scratchDir } from "../../support/archives";
import { runClientCommand, standInPrograms } from "../../support/client-command";
import { deployableExample } from "../../support/examples";
import { named } from "../../support/resource-queries";
import { ProgramRun, runProgram } from "../../support/run-program";

const dir = scratchDir("gitlab-runner");
let run: ProgramRun;
let config: any;
let runnerArgs: string;
let mode: number;

beforeAll(async () => {
  const { config: stackConfig, secretKeys } = deployableExample("gitlab-runner");
  run = await runProgram("gitlab-runner", stackConfig, secretKeys);
  const bin = standInPrograms(path.join(dir, "bin"), { "gitlab-runner": `echo "$@" > "${dir}/gitlab-runner-args"` });
  const configFile = path.join(dir, "etc", "gitlab-runner", "config.toml");
  const result = runClientCommand(named(run.resources, "gitlab-runner-dind-client-gitlab-runner-1"), { cwd: dir, bin, extra: { CONFIG_FILE: configFile } });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  config = parseToml(fs.readFileSync(configFile, "utf8"));
  mode = fs.statSync(configFile).mode & 0o777;
  runnerArgs = fs.readFileSync(path.join(dir, "gitlab-runner-args"), "utf8").trim();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the command writes config.toml, readable by its owner only, then runs the runner on it", () => {
  expect(runnerArgs).toBe("run");
  expect(mode).toBe(0o600);
  expect(config.runners).toHaveLength(1);
  expect(config.runners[0]).toMatchObject({ name: "dind-stack-gitlab-runner", url: "https://gitlab.example.com", token: "glrt-example-token", executor: "docker" });
});

test("the docker executor drives the stack's DinD daemon over TLS with the clients' certificates", () => {
  expect(run.outputs).toMatchObject({ dockerHost: "tcp://docker:2376", dockerCertPath: "/certs/client" });
  expect(config.runners[0].docker).toMatchObject({ host: run.outputs.dockerHost, tls_verify: true, tls_cert_path: run.outputs.dockerCertPath, privileged: false });
  // The certificates the runner uses are the ones the stack mounts into the client, read-only.
  const client = named(run.resources, "gitlab-runner-dind-client-gitlab-runner-1").inputs;
  expect(client.volumes).toEqual([expect.objectContaining({ containerPath: run.outputs.dockerCertPath, readOnly: true })]);
});

test("jobs reach the same daemon by the same name over TLS, and push to the stack's registry", () => {
  const docker = config.runners[0].docker;
  expect(docker.volumes).toEqual(["/certs/client:/certs/client:ro"]);
  expect(docker.extra_hosts).toEqual(["docker:host-gateway"]);
  expect(docker.environment).toEqual(["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client", `DIND_STACK_REGISTRY=${run.outputs.pushRegistry}`]);
  expect(run.outputs.pushRegistry).toBe("registry:5000");
  expect(docker.image).toBe("docker:24.0.9-cli");
});

test("the token is a secret wherever it lands: the container's environment and command are stored encrypted", () => {
  const client = named(run.resources, "gitlab-runner-dind-client-gitlab-runner-1");
  expect(client.secretPaths).toEqual(expect.arrayContaining(["envs", "command"]));
  expect(client.inputs.envs).toContain("RUNNER_TOKEN=glrt-example-token");
});
