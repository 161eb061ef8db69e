import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { isDindDaemon } from "../../../policy/container-view";
import { dockerContainerView } from "../../../policy/docker-container";
import { CustomResource } from "@pulumi/pulumi";
import { DIND_SIDECAR, JOB_CONTAINER, RUNNER_LABELS, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

const privilegedFindings = (declare: () => CustomResource[]) => policyMessages("privileged-only-dind-daemons", "ci", declare);

describe("Docker target", () => {
  test("the DinD daemon container may run privileged", async () => {
    const messages = await privilegedFindings(() => [
      new docker.Container("daemon", { name: "dind-stack-ci-docker", image: "dind-stack/dind:24.0.6-ci", privileged: true, envs: ["DOCKER_TLS_CERTDIR=/certs"] }),
    ]);
    expect(messages).toEqual([]);
  });

  test("a privileged client or registry is refused, by name", async () => {
    const messages = await privilegedFindings(() => [
      new docker.Container("client", {
        name: "dind-stack-ci-runner-1",
        image: "dind-stack/dind:24.0.6-ci",
        privileged: true,
        envs: ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_TLS_CERTDIR=/certs"],
      }),
      new docker.Container("registry", { name: "dind-stack-ci-registry", image: "registry:2", privileged: true }),
    ]);
    expect(messages).toEqual([
      expect.stringMatching(/^container dind-stack-ci-registry is privileged; only DinD daemon containers may be/),
      expect.stringMatching(/^container dind-stack-ci-runner-1 is privileged; only DinD daemon containers may be/),
    ]);
  });

  test("a container running dockerd directly counts as a DinD daemon; a client of a daemon never does", () => {
    const view = (command: string[], envs: string[]) => dockerContainerView("c", { image: "docker:24.0.6-dind", entrypoints: command, envs });
    expect(isDindDaemon(view(["/usr/local/bin/dockerd", "--host=unix:///var/run/docker.sock"], []))).toBe(true);
    expect(isDindDaemon(view(["dockerd-entrypoint.sh"], []))).toBe(true);
    expect(isDindDaemon(view(["sh", "-c", "dockerd & sleep 1"], []))).toBe(false);
    expect(isDindDaemon(view([], ["DOCKER_TLS_CERTDIR="]))).toBe(true);
    expect(isDindDaemon(view([], ["DOCKER_TLS_CERTDIR=/certs", "DOCKER_HOST=tcp://docker:2376"]))).toBe(false);
  });
});

describe("Kubernetes target", () => {
  test("a runner Deployment whose only privileged container is the DinD sidecar passes", async () => {
    const messages = await privilegedFindings(() => [
      new k8s.apps.v1.Deployment("runner", {
        metadata: { name: "runner", namespace: "ci-runners" },
        spec: { selector: { matchLabels: RUNNER_LABELS }, template: { metadata: { labels: RUNNER_LABELS }, spec: runnerPod() } },
      }),
    ]);
    expect(messages).toEqual([]);
  });

  const privilegedJob = { ...JOB_CONTAINER, securityContext: { privileged: true } };
  const podSpec = runnerPod({ containers: [privilegedJob] });
  const template = { metadata: { labels: RUNNER_LABELS }, spec: podSpec };
  const selector = { matchLabels: RUNNER_LABELS };
  const metadata = { name: "runner", namespace: "ci-runners" };

  test.each([
    ["Deployment", () => new k8s.apps.v1.Deployment("runner", { metadata, spec: { selector, template } })],
    ["StatefulSet", () => new k8s.apps.v1.StatefulSet("runner", { metadata, spec: { selector, template, serviceName: "runner" } })],
    ["DaemonSet", () => new k8s.apps.v1.DaemonSet("runner", { metadata, spec: { selector, template } })],
    ["ReplicaSet", () => new k8s.apps.v1.ReplicaSet("runner", { metadata, spec: { selector, template } })],
    ["Job", () => new k8s.batch.v1.Job("runner", { metadata, spec: { template: { ...template, spec: { ...podSpec, restartPolicy: "Never" } } } })],
    ["CronJob", () => new k8s.batch.v1.CronJob("runner", { metadata, spec: { schedule: "@hourly", jobTemplate: { spec: { template } } } })],
    ["Pod", () => new k8s.core.v1.Pod("runner", { metadata: { ...metadata, labels: RUNNER_LABELS }, spec: podSpec })],
    ["DeploymentPatch", () => new k8s.apps.v1.DeploymentPatch("runner", { metadata, spec: { template } })],
  ])("a privileged job container in a %s is refused, naming the workload and the container", async (kind, declare) => {
    const messages = await privilegedFindings(() => [declare()]);
    expect(messages).toEqual([expect.stringMatching(new RegExp(`^${kind.replace("Patch", "")} ci-runners/runner, container job is privileged`))]);
  });

  test("a privileged sidecar that is a client of another daemon is refused", async () => {
    const messages = await privilegedFindings(() => [
      new k8s.core.v1.Pod("runner", {
        metadata: { name: "runner", namespace: "ci-runners" },
        spec: runnerPod({ initContainers: [{ ...DIND_SIDECAR, env: [{ name: "DOCKER_TLS_CERTDIR", value: "/certs" }, { name: "DOCKER_HOST", value: "tcp://elsewhere:2376" }] }] }),
      }),
    ]);
    expect(messages).toEqual([expect.stringMatching(/^Pod ci-runners\/runner, container dind is privileged/)]);
  });
});
