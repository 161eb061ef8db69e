import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { isDockerSocketPath } from "../../../policy/checks/docker-socket";
import { JOB_CONTAINER, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

// The opt-in is read from the stack's file: stacks/Pulumi.dev.yaml sets workloads.allowDood: true,
// stacks/Pulumi.ci.yaml does not.
const socketFindings = (stack: string, declare: () => CustomResource[]) => policyMessages("docker-socket-only-with-dood-opt-in", stack, declare);

test.each([
  ["/var/run/docker.sock", true],
  ["/run/docker.sock", true],
  ["/var/run", true],
  ["/var/run/", true],
  ["/run", true],
  ["/var", true],
  ["/", true],
  ["/srv/engine/docker.sock", true],
  ["/var/run/../run/docker.sock", true],
  ["/var/lib/docker", false],
  ["/var/run/containerd", false],
  ["/run/user/1000", false],
  ["/home/builder", false],
])("host path %s gives the Docker socket: %s", (hostPath, expected) => {
  expect(isDockerSocketPath(hostPath)).toBe(expected);
});

describe("Docker target", () => {
  const doodClient = () => [
    new docker.Container("builder", {
      name: "builder-1",
      image: "dind-stack/dind:24.0.6",
      volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
    }),
    new docker.Container("sneaky", { name: "sneaky-1", image: "dind-stack/dind:24.0.6", mounts: [{ type: "bind", source: "/run", target: "/host-run" }] }),
    new docker.Container("cache", { name: "cache-1", image: "dind-stack/dind:24.0.6", mounts: [{ type: "volume", source: "cache", target: "/var/run" }] }),
  ];

  test("a socket bind (volume or mount) in a stack without the DooD opt-in is refused", async () => {
    expect(await socketFindings("ci", doodClient)).toEqual([
      expect.stringMatching(/^container builder-1 mounts the host's Docker socket \(host path \/var\/run\/docker.sock\).*workloads.allowDood: true$/),
      expect.stringMatching(/^container sneaky-1 mounts the host's Docker socket \(host path \/run\)/),
    ]);
  });

  test("the same containers pass in a stack whose file opted in", async () => {
    expect(await socketFindings("dev", doodClient)).toEqual([]);
  });

  test("a stack without a config file opted into nothing", async () => {
    expect(await socketFindings("no-such-stack", doodClient)).toHaveLength(2);
  });
});

describe("Kubernetes target", () => {
  const doodRunner = () => [
    new k8s.core.v1.Pod("runner", {
      metadata: { name: "runner", namespace: "ci-runners" },
      spec: runnerPod({
        initContainers: [],
        containers: [{ ...JOB_CONTAINER, volumeMounts: [{ name: "host-run", mountPath: "/var/run/docker.sock", subPath: "docker.sock" }] }],
        volumes: [
          { name: "host-run", hostPath: { path: "/var/run" } },
          { name: "unused-socket", hostPath: { path: "/run/docker.sock", type: "Socket" } },
        ],
      }),
    }),
  ];

  test("a mounted hostPath that holds the socket is refused without the opt-in; a hostPath volume nothing mounts is not a mount", async () => {
    expect(await socketFindings("ci", doodRunner)).toEqual([
      expect.stringMatching(/^Pod ci-runners\/runner, container job mounts the host's Docker socket \(host path \/var\/run\/docker.sock\)/),
    ]);
  });

  test("it passes in a stack whose file opted in", async () => {
    expect(await socketFindings("dev", doodRunner)).toEqual([]);
  });
});
