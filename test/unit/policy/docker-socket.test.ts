import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { socketMountOf } from "../../../policy/checks/docker-socket";
import { JOB_CONTAINER, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

// The opt-in is read from the stack's file: stacks/Pulumi.dev.yaml sets workloads.allowDood: true,
// stacks/Pulumi.ci.yaml does not.
const socketFindings = (stack: string, declare: () => CustomResource[]) => policyMessages("docker-socket-only-with-dood-opt-in", stack, declare);
const image = "dind-stack/dind:24.0.6";

test.each([
  ["/var/run/docker.sock", "docker-socket"],
  ["/run/docker.sock", "docker-socket"],
  ["/srv/engine/docker.sock", "docker-socket"],
  ["/var/run/../run/docker.sock", "docker-socket"],
  ["/run/user/1000/docker.sock", "docker-socket"],
  ["/run/containerd/containerd.sock", "runtime-socket"],
  ["/var/run/containerd", "runtime-socket"],
  ["/run/k3s/containerd/containerd.sock", "runtime-socket"],
  ["/var/run/crio/crio.sock", "runtime-socket"],
  ["/run/podman/podman.sock", "runtime-socket"],
  ["/run/user/1000/podman/podman.sock", "runtime-socket"],
  ["/run/user/1000/docker", "runtime-socket"],
  ["/run/user/1000/podman/", "runtime-socket"],
  ["/srv/backup/run/user/1000/docker", undefined],
  ["/var/run/cri-dockerd.sock", "runtime-socket"],
  ["/var/run", "socket-folder"],
  ["/var/run/", "socket-folder"],
  ["/run", "socket-folder"],
  ["/var", "socket-folder"],
  ["/", "socket-folder"],
  ["/run/user/1000", "socket-folder"],
  ["/var/lib/docker", undefined],
  ["/home/builder", undefined],
  ["/run/lock", undefined],
])("host path %s gives: %s", (hostPath, expected) => {
  expect(socketMountOf(hostPath)).toBe(expected);
});

describe("Docker target", () => {
  const doodClient = () => [new docker.Container("builder", { name: "builder-1", image, volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }] })];
  const beyondDood = () => [
    new docker.Container("run", { name: "run-1", image, mounts: [{ type: "bind", source: "/run", target: "/host-run" }] }),
    new docker.Container("containerd", { name: "containerd-1", image, volumes: [{ hostPath: "/run/containerd/containerd.sock", containerPath: "/run/containerd/containerd.sock" }] }),
    new docker.Container("inherits", { name: "inherits-1", image, volumes: [{ fromContainer: "dind-stack-dev-builder-1" }] }),
    new docker.Container("cache", { name: "cache-1", image, mounts: [{ type: "volume", source: "cache", target: "/var/run" }] }),
  ];

  test("the Docker socket itself is refused without the DooD opt-in and passes with it", async () => {
    expect(await socketFindings("ci", doodClient)).toEqual([
      expect.stringMatching(/^container builder-1 mounts the host's Docker socket \(host path \/var\/run\/docker.sock\).*workloads.allowDood: true$/),
    ]);
    expect(await socketFindings("dev", doodClient)).toEqual([]);
  });

  test("a /run bind, a containerd socket and volumes-from are refused even where DooD is allowed; a named volume at /var/run is no host path", async () => {
    for (const stack of ["ci", "dev"]) {
      expect(await socketFindings(stack, beyondDood)).toEqual([
        expect.stringMatching(/^container containerd-1 mounts a container runtime's socket or state \(host path \/run\/containerd\/containerd.sock: containerd, CRI-O, Podman, \.\.\.\).*no opt-in allows it$/),
        expect.stringMatching(/^container inherits-1 takes the mounts of container dind-stack-dev-builder-1 \(volumes-from\)/),
        expect.stringMatching(/^container run-1 mounts host path \/run, a folder that holds container runtime sockets.*no opt-in allows it/),
      ]);
    }
  });

  test("host paths that hold no runtime socket pass, in any stack", async () => {
    const data = () => [
      new docker.Container("data", { name: "data-1", image, volumes: [{ hostPath: "/srv/ci-cache", containerPath: "/cache" }], mounts: [{ type: "bind", source: "/var/lib/ci", target: "/work" }] }),
    ];
    expect(await socketFindings("ci", data)).toEqual([]);
  });

  test("a stack without a config file opted into nothing", async () => {
    expect(await socketFindings("no-such-stack", doodClient)).toHaveLength(1);
  });
});

describe("Kubernetes target", () => {
  const runner = (name: string, hostPath: string, subPath?: string) =>
    new k8s.core.v1.Pod(name, {
      metadata: { name, namespace: "ci-runners" },
      spec: runnerPod({
        initContainers: [],
        containers: [{ ...JOB_CONTAINER, volumeMounts: [{ name: "host", mountPath: "/host", subPath }] }],
        volumes: [
          { name: "host", hostPath: { path: hostPath } },
          { name: "unused-socket", hostPath: { path: "/run/docker.sock", type: "Socket" } },
        ],
      }),
    });

  test("the socket through a subPath of /var/run is the Docker socket (allowed with the opt-in); a hostPath volume nothing mounts is not a mount", async () => {
    const dood = () => [runner("dood", "/var/run", "docker.sock")];
    expect(await socketFindings("ci", dood)).toEqual([expect.stringMatching(/^Pod ci-runners\/dood, container job mounts the host's Docker socket \(host path \/var\/run\/docker.sock\)/)]);
    expect(await socketFindings("dev", dood)).toEqual([]);
  });

  test("a containerd socket hostPath and the whole /var/run are refused whatever the stack file says", async () => {
    const others = () => [runner("containerd", "/run/containerd/containerd.sock"), runner("run", "/var/run")];
    expect(await socketFindings("dev", others)).toEqual([
      expect.stringMatching(/^Pod ci-runners\/containerd, container job mounts a container runtime's socket/),
      expect.stringMatching(/^Pod ci-runners\/run, container job mounts host path \/var\/run, a folder that holds container runtime sockets/),
    ]);
  });
});
