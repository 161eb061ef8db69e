import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { DIND_SIDECAR, JOB_CONTAINER, RUNNER_LABELS, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

// Roles come from the image and the program together. The Docker containers name their image by
// ID, as the program's do; the pack traces it to the image resource (stack validation).
const privilegedFindings = (stack: string, declare: () => CustomResource[]) => policyMessages("privileged-only-dind-daemons", stack, declare);
const onDocker = (declare: () => CustomResource[]) => privilegedFindings("ci", declare);

/** The ci stack's DinD image (stacks/Pulumi.ci.yaml keeps the default repository dind-stack/dind) and a stranger's. */
const dindImage = () => new docker.Image("dind", { imageName: "dind-stack/dind:24.0.6-ci", build: { context: "." }, skipPush: true });
const alpine = () => new docker.RemoteImage("alpine", { name: "alpine:3.19" });

describe("Docker target", () => {
  test("the DinD daemon may run privileged: the stack's DinD image running its entrypoint, dockerd, or what the provider reads back", async () => {
    expect(
      await onDocker(() => {
        const image = dindImage().repoDigest;
        return [
          new docker.Container("daemon", { name: "dind-stack-ci-docker", image, privileged: true, envs: ["DOCKER_TLS_CERTDIR=/certs"] }),
          new docker.Container("flags", { name: "flags", image, privileged: true, command: ["--mtu=1400"] }),
          new docker.Container("direct", { name: "direct", image, privileged: true, entrypoints: ["/usr/local/bin/dockerd", "--host=unix:///var/run/docker.sock"], capabilities: { adds: ["ALL"] } }),
          new docker.Container("read-back", {
            name: "read-back",
            image,
            privileged: true,
            entrypoints: ["/usr/local/bin/docker-init", "--", "/usr/local/bin/dind-entrypoint.sh"],
            command: [],
          }),
          new docker.Container("official", { name: "official", image: "docker:24.0.6-dind", privileged: true }),
        ];
      }),
    ).toEqual([]);
  });

  test("an env var or an entrypoint path does not make a daemon: privileged alpine with DOCKER_TLS_CERTDIR, or with entrypoint /tmp/dockerd, is refused", async () => {
    expect(
      await onDocker(() => {
        const image = alpine().imageId;
        return [
          new docker.Container("certdir", { name: "certdir", image, privileged: true, envs: ["DOCKER_TLS_CERTDIR=/certs"] }),
          new docker.Container("tmp", { name: "tmp", image, privileged: true, entrypoints: ["/tmp/dockerd"] }),
        ];
      }),
    ).toEqual([
      expect.stringMatching(/^container certdir is privileged; only a DinD daemon container may, and it runs image alpine:3\.19, not the stack's DinD image/),
      expect.stringMatching(/^container tmp is privileged; .*it runs image alpine:3\.19, not the stack's DinD image/),
    ]);
  });

  test("the DinD image running anything but its daemon is refused: another program, a dockerd it does not ship, a PATH of its own, a replaced binary", async () => {
    const messages = await onDocker(() => {
      const image = dindImage().repoDigest;
      return [
        new docker.Container("shell", { name: "shell", image, privileged: true, entrypoints: ["sh", "-c", "dockerd & sleep infinity"] }),
        new docker.Container("instead", { name: "instead", image, privileged: true, command: ["sh"] }),
        new docker.Container("tmp", { name: "tmp", image, privileged: true, entrypoints: ["/tmp/dockerd"] }),
        new docker.Container("path", { name: "path", image, privileged: true, entrypoints: ["dockerd"], envs: ["PATH=/tmp:/usr/bin"] }),
        new docker.Container("upload", { name: "upload", image, privileged: true, uploads: [{ file: "/usr/local/bin/dockerd", content: "#!/bin/sh\nexec sh\n" }] }),
        new docker.Container("mount", { name: "mount", image, privileged: true, volumes: [{ hostPath: "/srv/tools", containerPath: "/usr/local/bin" }] }),
      ];
    });
    expect(messages).toHaveLength(6);
    for (const message of messages) expect(message).toMatch(/is privileged; only a DinD daemon container may, and it runs the stack's DinD image, but not its daemon/);
  });

  test("an image ID the pack cannot trace to an image resource is no DinD image", async () => {
    expect(await onDocker(() => [new docker.Container("bare", { name: "bare", image: `sha256:${"a".repeat(64)}`, privileged: true })])).toEqual([
      expect.stringMatching(/^container bare is privileged; .*it runs an image the pack cannot trace to a reference/),
    ]);
  });

  test("escalation short of privileged is refused too: capabilities beyond the baseline, seccomp, AppArmor or SELinux off, unmasked paths, host devices", async () => {
    const messages = await onDocker(() => {
      const image = alpine().imageId;
      return [
        new docker.Container("all", { name: "all", image, capabilities: { adds: ["ALL"] } }),
        new docker.Container("admin", { name: "admin", image, capabilities: { adds: ["CAP_SYS_ADMIN", "NET_BIND_SERVICE"] } }),
        new docker.Container("opts", { name: "opts", image, securityOpts: ["seccomp=unconfined", "apparmor:unconfined", "label=disable", "systempaths=unconfined", "no-new-privileges"] }),
        new docker.Container("device", { name: "device", image, devices: [{ hostPath: "/dev/sda" }] }),
        new docker.Container("baseline", { name: "baseline", image, capabilities: { adds: ["NET_BIND_SERVICE", "chown"], drops: ["ALL"] } }),
      ];
    });
    expect(messages).toEqual([
      expect.stringMatching(/^container admin adds capability CAP_SYS_ADMIN; only a DinD daemon container may/),
      expect.stringMatching(/^container all adds capability ALL; /),
      expect.stringMatching(/^container device gets host device \/dev\/sda; /),
      expect.stringMatching(
        /^container opts turns seccomp off \(securityOpts seccomp=unconfined\), turns AppArmor off \(securityOpts apparmor:unconfined\), turns SELinux labels off \(securityOpts label=disable\), unmasks \/proc and \/sys paths \(securityOpts systempaths=unconfined\); /,
      ),
    ]);
  });
});

describe("Kubernetes target", () => {
  // stacks/Pulumi.prod.yaml names the DinD image registry.example.com/platform/dind (kubernetes.dindImage).
  const onCluster = (declare: () => CustomResource[]) => privilegedFindings("prod", declare);
  const metadata = { name: "runner", namespace: "ci-runners" };

  test("a runner Deployment whose only privileged container is the DinD sidecar passes", async () => {
    expect(await onCluster(() => [new k8s.apps.v1.Deployment("runner", { metadata, spec: { selector: { matchLabels: RUNNER_LABELS }, template: { metadata: { labels: RUNNER_LABELS }, spec: runnerPod() } } })])).toEqual(
      [],
    );
  });

  const privilegedJob = { ...JOB_CONTAINER, securityContext: { privileged: true } };
  const podSpec = runnerPod({ containers: [privilegedJob] });
  const template = { metadata: { labels: RUNNER_LABELS }, spec: podSpec };
  const selector = { matchLabels: RUNNER_LABELS };

  test.each([
    ["Deployment", () => new k8s.apps.v1.Deployment("runner", { metadata, spec: { selector, template } })],
    ["StatefulSet", () => new k8s.apps.v1.StatefulSet("runner", { metadata, spec: { selector, template, serviceName: "runner" } })],
    ["DaemonSet", () => new k8s.apps.v1.DaemonSet("runner", { metadata, spec: { selector, template } })],
    ["ReplicaSet", () => new k8s.apps.v1.ReplicaSet("runner", { metadata, spec: { selector, template } })],
    ["Job", () => new k8s.batch.v1.Job("runner", { metadata, spec: { template: { ...template, spec: { ...podSpec, restartPolicy: "Never" } } } })],
    ["CronJob", () => new k8s.batch.v1.CronJob("runner", { metadata, spec: { schedule: "@hourly", jobTemplate: { spec: { template } } } })],
    ["Pod", () => new k8s.core.v1.Pod("runner", { metadata: { ...metadata, labels: RUNNER_LABELS }, spec: podSpec })],
    ["DeploymentPatch", () => new k8s.apps.v1.DeploymentPatch("runner", { metadata, spec: { template } })],
  ])("a privileged job container (the DinD image, running a shell) in a %s is refused, naming the workload and the container", async (kind, declare) => {
    expect(await onCluster(() => [declare()])).toEqual([
      expect.stringMatching(new RegExp(`^${kind.replace("Patch", "")} ci-runners/runner, container job is privileged; .*it runs the stack's DinD image, but not its daemon`)),
    ]);
  });

  test("a privileged sidecar of another image, or with DOCKER_TLS_CERTDIR but a shell for command, is refused", async () => {
    const alpineSidecar = { ...DIND_SIDECAR, image: "alpine:3.19" };
    const shellSidecar = { ...DIND_SIDECAR, command: ["sh", "-c", "dockerd"] };
    expect(
      await onCluster(() => [
        new k8s.core.v1.Pod("alpine", { metadata: { name: "alpine", namespace: "ci-runners" }, spec: runnerPod({ initContainers: [alpineSidecar] }) }),
        new k8s.core.v1.Pod("shell", { metadata: { name: "shell", namespace: "ci-runners" }, spec: runnerPod({ initContainers: [shellSidecar] }) }),
      ]),
    ).toEqual([
      expect.stringMatching(/^Pod ci-runners\/alpine, container dind is privileged; .*it runs image alpine:3\.19, not the stack's DinD image/),
      expect.stringMatching(/^Pod ci-runners\/shell, container dind is privileged; .*but not its daemon/),
    ]);
  });

  test("escalation short of privileged: an added capability, seccomp Unconfined for the pod, AppArmor unconfined, an unmasked /proc", async () => {
    const job = (securityContext: k8s.types.input.core.v1.SecurityContext) => ({ ...JOB_CONTAINER, securityContext });
    const pod = (name: string, spec: k8s.types.input.core.v1.PodSpec, annotations: Record<string, string> = {}) =>
      new k8s.apps.v1.Deployment(name, { metadata: { name, namespace: "ci-runners" }, spec: { selector, template: { metadata: { labels: RUNNER_LABELS, annotations }, spec } } });
    expect(
      await onCluster(() => [
        pod("caps", runnerPod({ containers: [job({ capabilities: { add: ["SYS_PTRACE"], drop: ["ALL"] } })] })),
        pod("seccomp", { ...runnerPod(), securityContext: { seccompProfile: { type: "Unconfined" } } }),
        pod("apparmor", runnerPod(), { "container.apparmor.security.beta.kubernetes.io/job": "unconfined" }),
        pod("proc", runnerPod({ containers: [job({ procMount: "Unmasked" })] })),
      ]),
    ).toEqual([
      expect.stringMatching(/^Deployment ci-runners\/apparmor, container job turns AppArmor off \(Unconfined\); /),
      expect.stringMatching(/^Deployment ci-runners\/caps, container job adds capability SYS_PTRACE; /),
      expect.stringMatching(/^Deployment ci-runners\/proc, container job unmasks \/proc \(procMount Unmasked\); /),
      // The pod's seccomp setting reaches every container; the daemon may have it, the job may not.
      expect.stringMatching(/^Deployment ci-runners\/seccomp, container job turns seccomp off \(seccompProfile Unconfined\); /),
    ]);
  });
});
