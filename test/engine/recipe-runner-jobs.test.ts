// The GitLab Runner recipe on a real engine (examples/Pulumi.gitlab-runner.yaml). gitlab-runner
// cannot be installed here: a stand-in image with the same command name plays it (busybox, no
// docker CLI, like the real image). What is real: the stack, the client's command writing
// config.toml with the environment the stack gives it, and a job container started on the
// stack's DinD daemon with exactly the volumes, extra hosts and environment of that config.toml,
// as the docker executor starts jobs, which builds over TLS and pushes to the stack's registry.
import { parse as parseToml } from "smol-toml";
import { objectNames } from "../../components/naming";
import { deployableExample } from "../support/examples";
import { ProgramRun } from "../support/run-program";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk, logsOf } from "./support/container-io";
import { TestStack } from "./support/deploy";
import { figures } from "./support/figures";
import { pullToHost, registryGet, removeHostImage, runToCompletion } from "./support/host-side";
import { BUSYBOX_IMAGE, buildLabelled, ensureBusybox, loadImageInto } from "./support/test-images";

const STACK = "test-gl";
const names = objectNames(STACK);
const runner = names.client("gitlab-runner", 1);
const STAND_IN = "dind-stack-test/gitlab-runner:stand-in";

describe("GitLab Runner recipe on a real engine", () => {
  let run: ProgramRun;
  let config: any;
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    await buildLabelled(STAND_IN, `FROM ${BUSYBOX_IMAGE}\nRUN printf '#!/bin/sh\\necho "[stand-in gitlab-runner] $*"\\nexec sleep 3600\\n' > /bin/gitlab-runner && chmod 755 /bin/gitlab-runner\n`);
    const example = deployableExample("gitlab-runner");
    const workloads = JSON.parse(example.config["dind-stack:workloads"]);
    workloads.clients[0].image = STAND_IN;
    const stack = new TestStack({ configOf: "gitlab-runner", folder: "examples", stack: STACK, overrides: { "dind-stack:workloads": workloads }, secretKeys: example.secretKeys });
    run = (await figures.time("gitlab-runner: deploy (image, registry, daemon, runner)", () => stack.up())).run;
    registryHost = run.outputs.registryHostAddress as string;
    config = parseToml((await execOk(runner, ["cat", "/etc/gitlab-runner/config.toml"])).stdout);
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/gitlab/job:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("the runner's container starts its command at once (no docker CLI to wait with) and writes config.toml for the stack's daemon", async () => {
    expect(await logsOf(runner)).toContain("[dind-client] no docker CLI in this image: not waiting for the daemon at tcp://docker:2376");
    expect(await logsOf(runner)).toContain("[stand-in gitlab-runner] run");
    expect(config.runners[0].docker).toMatchObject({ host: "tcp://docker:2376", tls_verify: true, tls_cert_path: "/certs/client" });
    // The certificates it names are there, in the runner's container.
    await execOk(runner, ["sh", "-c", 'for f in ca cert key; do test -r "/certs/client/$f.pem"; done']);
  });

  test("a job started as config.toml says builds on the stack's daemon over TLS and pushes to its registry; the host pulls the result", async () => {
    const docker = config.runners[0].docker;
    // The job image of the recipe (docker:24.0.9-cli) cannot be pulled here: the stack's DinD
    // image, which has the docker CLI, stands in for it inside the daemon.
    const jobImage = run.outputs.dindImage as { name: string };
    await figures.time("gitlab-runner: load the job image into the daemon", () => loadImageInto(names.daemonContainer, jobImage.name));
    await loadImageInto(names.daemonContainer, BUSYBOX_IMAGE);
    const job = [
      "set -eu",
      'test "$DOCKER_HOST" = tcp://docker:2376',
      "mkdir -p /tmp/job && cd /tmp/job",
      `printf 'FROM ${BUSYBOX_IMAGE}\\nRUN echo built-by-a-gitlab-job > /proof\\n' > Dockerfile`,
      'docker build -q -t "$DIND_STACK_REGISTRY/gitlab/job:1" .',
      'docker push "$DIND_STACK_REGISTRY/gitlab/job:1"',
    ].join("\n");
    const flags = [
      ...(docker.volumes as string[]).flatMap((volume) => ["--volume", volume]),
      ...(docker.extra_hosts as string[]).flatMap((host) => ["--add-host", host]),
      ...(docker.environment as string[]).flatMap((variable) => ["--env", variable]),
    ];
    // The executor creates jobs through the daemon's API; `docker run` in the daemon's own
    // container makes the same call on the same daemon.
    await figures.time("gitlab-runner: job builds and pushes", () =>
      execOk(names.daemonContainer, ["docker", "run", "--rm", ...flags, "--entrypoint", "sh", jobImage.name, "-c", job]),
    );
    const catalog = await registryGet(registryHost, "/v2/_catalog");
    expect(catalog.body.repositories).toContain("gitlab/job");
    await pullToHost(`${registryHost}/gitlab/job:1`);
    expect(await runToCompletion({ Image: `${registryHost}/gitlab/job:1`, Cmd: ["cat", "/proof"], HostConfig: { NetworkMode: "none" } })).toEqual({ exitCode: 0, log: "built-by-a-gitlab-job\n" });
  });

  test("without the daemon's certificates the same job is refused by the daemon", async () => {
    const docker = config.runners[0].docker;
    const flags = [...(docker.extra_hosts as string[]).flatMap((host) => ["--add-host", host]), ...(docker.environment as string[]).flatMap((variable) => ["--env", variable])];
    const jobImage = run.outputs.dindImage as { name: string };
    const attempt = await execOk(names.daemonContainer, ["sh", "-c", `docker run --rm ${flags.join(" ")} --entrypoint sh ${jobImage.name} -c 'docker version' 2>&1; echo "exit=$?"`]);
    expect(attempt.stdout).toMatch(/exit=[1-9]/);
    expect(attempt.stdout).toMatch(/ca\.pem|certificate|tls/i);
  });
});
