import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { daemonTlsViolations } from "../../../policy/checks/daemon-tls";
import { dockerContainerView } from "../../../policy/docker-container";
import { NO_OPT_INS } from "../../../policy/stack-opt-ins";
import { DIND_SIDECAR, JOB_CONTAINER, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

const tlsFindings = (declare: () => CustomResource[]) => policyMessages("docker-api-over-tls", "ci", declare);
const image = "dind-stack/dind:24.0.6-ci";

describe("Docker target", () => {
  test("a daemon with TLS and a client that verifies it pass; a daemon on the unix socket only passes", async () => {
    expect(
      await tlsFindings(() => [
        new docker.Container("daemon", { name: "docker", image, privileged: true, envs: ["DOCKER_TLS_CERTDIR=/certs"] }),
        new docker.Container("client", { name: "client", image, envs: ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client"] }),
        new docker.Container("plain", { name: "unix-only", image, privileged: true, entrypoints: ["dockerd", "--host=unix:///var/run/docker.sock"] }),
      ]),
    ).toEqual([]);
  });

  test("plain TCP on either side is refused, whatever the container is: empty DOCKER_TLS_CERTDIR, a tcp --host without --tlsverify (daemon or CLI), a tcp DOCKER_HOST without DOCKER_TLS_VERIFY", async () => {
    expect(
      await tlsFindings(() => [
        new docker.Container("daemon", { name: "docker", image, privileged: true, envs: ["DOCKER_TLS_CERTDIR="] }),
        new docker.Container("flags", { name: "flags", image, privileged: true, entrypoints: ["dockerd"], command: ["-H", "tcp://0.0.0.0:2375"] }),
        new docker.Container("client", { name: "client", image, envs: ["DOCKER_HOST=tcp://docker:2375", "DOCKER_TLS_VERIFY="] }),
        new docker.Container("cli", { name: "cli", image: "alpine:3.19", entrypoints: ["docker"], command: ["-H", "tcp://docker:2375", "ps"] }),
      ]),
    ).toEqual([
      expect.stringMatching(/^container cli names a tcp:\/\/ Docker host \(--host\/-H\) without --tlsverify/),
      expect.stringMatching(/^container client reaches its daemon at tcp:\/\/docker:2375 without DOCKER_TLS_VERIFY.*daemon.tls: false$/),
      expect.stringMatching(/^container docker sets DOCKER_TLS_CERTDIR empty, which makes the DinD entrypoint serve the Docker API over plain TCP \(2375\)/),
      expect.stringMatching(/^container flags names a tcp:\/\/ Docker host \(--host\/-H\) without --tlsverify/),
    ]);
  });

  test("dockerd flags in every spelling are read", () => {
    const violations = (command: string[]) => daemonTlsViolations(dockerContainerView("d", { image, entrypoints: ["dockerd"], command }), NO_OPT_INS);
    expect(violations(["--host=tcp://0.0.0.0:2375"])).toHaveLength(1);
    expect(violations(["--host", "tcp://0.0.0.0:2375"])).toHaveLength(1);
    expect(violations(["-Htcp://0.0.0.0:2375"])).toHaveLength(1);
    expect(violations(["-H=tcp://0.0.0.0:2375"])).toHaveLength(1);
    expect(violations(["--host=tcp://0.0.0.0:2376", "--tlsverify", "--tlscacert=/certs/ca.pem"])).toEqual([]);
    expect(violations(["--host=unix:///var/run/docker.sock"])).toEqual([]);
  });

  test("flags inside a shell script are read as sh splits them", () => {
    const violations = (command: string[]) => daemonTlsViolations(dockerContainerView("d", { image, entrypoints: ["sh", "-c"], command }), NO_OPT_INS);
    expect(violations(["dockerd --host=tcp://0.0.0.0:2375 & wait"])).toHaveLength(1);
    expect(violations(["exec docker -H 'tcp://docker:2375' ps"])).toHaveLength(1);
    expect(violations(["dockerd --host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=/certs/ca.pem"])).toEqual([]);
  });

  test("a tcp:// address that is no --host value is no Docker host: buildx's remote BuildKit endpoint", () => {
    const cli = dockerContainerView("d", { image, entrypoints: ["docker"], command: ["buildx", "create", "--driver", "remote", "tcp://buildkitd:1234"] });
    expect(daemonTlsViolations(cli, NO_OPT_INS)).toEqual([]);
  });

  test("DOCKER_TLS_VERIFY passed through from the daemon's environment (no =) counts as set", () => {
    const client = dockerContainerView("c", { image, envs: ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY"] });
    expect(daemonTlsViolations(client, NO_OPT_INS)).toEqual([]);
  });

  test("--tlsverify=true counts as --tlsverify", () => {
    const daemon = dockerContainerView("d", { image, entrypoints: ["dockerd"], command: ["--host=tcp://0.0.0.0:2376", "--tlsverify=true", "--tlscacert=/certs/ca.pem"] });
    expect(daemonTlsViolations(daemon, NO_OPT_INS)).toEqual([]);
  });

  test("a DOCKER_HOST on a unix socket or over ssh needs no DOCKER_TLS_VERIFY", () => {
    for (const dockerHost of ["unix:///var/run/docker.sock", "ssh://builder@docker-host"]) {
      expect(daemonTlsViolations(dockerContainerView("c", { image, envs: [`DOCKER_HOST=${dockerHost}`] }), NO_OPT_INS)).toEqual([]);
    }
  });

  test("a stack whose file sets daemon.tls: false may use plain TCP", () => {
    const daemon = dockerContainerView("d", { image, envs: ["DOCKER_TLS_CERTDIR="] });
    expect(daemonTlsViolations(daemon, NO_OPT_INS)).toHaveLength(1);
    expect(daemonTlsViolations(daemon, { ...NO_OPT_INS, plainTcpDaemon: true })).toEqual([]);
  });
});

describe("Kubernetes target", () => {
  test("the runner pod (sidecar with TLS, job verifying it) passes; DOCKER_TLS_VERIFY from a Secret counts as set", async () => {
    const fromSecret = { ...JOB_CONTAINER, env: [{ name: "DOCKER_HOST", value: "tcp://localhost:2376" }, { name: "DOCKER_TLS_VERIFY", valueFrom: { secretKeyRef: { name: "tls", key: "verify" } } }] };
    expect(
      await tlsFindings(() => [
        new k8s.core.v1.Pod("runner", { metadata: { name: "runner", namespace: "ci-runners" }, spec: runnerPod() }),
        new k8s.core.v1.Pod("secret", { metadata: { name: "secret", namespace: "ci-runners" }, spec: runnerPod({ containers: [fromSecret] }) }),
      ]),
    ).toEqual([]);
  });

  test("a sidecar without TLS and a job container that does not verify are refused", async () => {
    const plainSidecar = { ...DIND_SIDECAR, env: [{ name: "DOCKER_TLS_CERTDIR", value: "" }] };
    const plainJob = { ...JOB_CONTAINER, env: [{ name: "DOCKER_HOST", value: "tcp://localhost:2375" }] };
    expect(
      await tlsFindings(() => [
        new k8s.apps.v1.StatefulSet("runner", {
          metadata: { name: "runner", namespace: "ci-runners" },
          spec: { serviceName: "runner", selector: { matchLabels: { app: "runner" } }, template: { metadata: { labels: { app: "runner" } }, spec: runnerPod({ initContainers: [plainSidecar], containers: [plainJob] }) } },
        }),
      ]),
    ).toEqual([
      expect.stringMatching(/^StatefulSet ci-runners\/runner, container dind sets DOCKER_TLS_CERTDIR empty/),
      expect.stringMatching(/^StatefulSet ci-runners\/runner, container job reaches its daemon at tcp:\/\/localhost:2375 without DOCKER_TLS_VERIFY/),
    ]);
  });
});
