import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

const namespaceFindings = (declare: () => CustomResource[]) => policyMessages("no-host-namespaces", "ci", declare);
const image = "dind-stack/dind:24.0.6-ci";

test("Docker: the host's PID, IPC or user namespace is refused for any container, the DinD daemon included", async () => {
  expect(
    await namespaceFindings(() => [
      new docker.Container("pid", { name: "pid", image, pidMode: "host" }),
      new docker.Container("daemon", { name: "daemon", image, privileged: true, ipcMode: "host", usernsMode: "host" }),
      new docker.Container("plain", { name: "plain", image, ipcMode: "private", pidMode: "" }),
    ]),
  ).toEqual([
    "container daemon joins the host's IPC namespace (ipcMode: host), the host's user namespace (usernsMode: host); no container of the stack may share a namespace with the host",
    expect.stringMatching(/^container pid joins the host's PID namespace \(pidMode: host\); /),
  ]);
});

test("Kubernetes: hostPID and hostIPC are refused for every container of the pod", async () => {
  expect(
    await namespaceFindings(() => [
      new k8s.core.v1.Pod("runner", { metadata: { name: "runner", namespace: "ci-runners" }, spec: { ...runnerPod(), hostPID: true, hostIPC: false } }),
      new k8s.core.v1.Pod("plain", { metadata: { name: "plain", namespace: "ci-runners" }, spec: runnerPod() }),
    ]),
  ).toEqual([
    "Pod ci-runners/runner, container dind joins the node's PID namespace (hostPID); no container of the stack may share a namespace with the host",
    "Pod ci-runners/runner, container job joins the node's PID namespace (hostPID); no container of the stack may share a namespace with the host",
  ]);
});
