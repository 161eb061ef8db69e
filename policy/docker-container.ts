import type * as docker from "@pulumi/docker";
import type { Unwrap } from "@pulumi/pulumi";
import { ALL_ADDRESSES, ContainerView, covers, FileSource, normalPath } from "./container-view";
import { addedCapabilities } from "./escalations";
import { readKnown } from "./unknown-values";

/** Type token of the docker provider's container. */
export const DOCKER_CONTAINER = "docker:index/container:Container";

/** Inputs of a docker.Container as the pack receives them. */
export type DockerContainerInputs = Unwrap<docker.ContainerArgs>;

/** `K=V` strings to a map (a variable without `=` is passed through from the daemon's environment: value unknown). */
function envMap(envs: readonly string[] | undefined): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  for (const entry of envs ?? []) {
    const equals = entry.indexOf("=");
    if (equals < 0) env.set(entry, undefined);
    else env.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return env;
}

/** Docker `--security-opt` values that switch a protection off (both the `=` and the older `:` spelling). */
const UNCONFINED_OPTS: Readonly<Record<string, string>> = {
  "seccomp=unconfined": "turns seccomp off",
  "apparmor=unconfined": "turns AppArmor off",
  "label=disable": "turns SELinux labels off",
  "systempaths=unconfined": "unmasks /proc and /sys paths",
};

/** What a Docker container gets beyond a default one. */
function escalations(props: DockerContainerInputs): string[] {
  const found: string[] = props.privileged ? ["is privileged"] : [];
  found.push(...addedCapabilities(props.capabilities?.adds ?? []).map((cap) => `adds capability ${cap}`));
  for (const opt of props.securityOpts ?? []) {
    const effect = UNCONFINED_OPTS[opt.replace(":", "=")];
    if (effect) found.push(`${effect} (securityOpts ${opt})`);
  }
  found.push(...(props.devices ?? []).map((device) => `gets host device ${device.hostPath}`));
  return found;
}

/** The host namespaces a Docker container joins, besides the network. */
function hostNamespaces(props: DockerContainerInputs): string[] {
  const modes: [string, string | undefined, string][] = [
    ["pidMode", props.pidMode, "PID"],
    ["ipcMode", props.ipcMode, "IPC"],
    ["usernsMode", props.usernsMode, "user"],
  ];
  return modes.filter(([, mode]) => mode === "host").map(([setting, , namespace]) => `the host's ${namespace} namespace (${setting}: host)`);
}

/** Where a file comes from: a mount over it or a folder above it hides any upload; else the upload, else the image. */
function fileSource(props: DockerContainerInputs, targets: readonly string[], file: string): FileSource {
  if (targets.some((target) => covers(target, file))) return { from: "elsewhere" };
  const upload = (props.uploads ?? []).find((candidate) => normalPath(candidate.file) === normalPath(file));
  if (!upload) return { from: "image" };
  // Content not known yet (a preview) is content the pack cannot read.
  const content = readKnown(() => upload.content);
  if (typeof content === "string") return { from: "content", content };
  const base64 = readKnown(() => upload.contentBase64);
  return typeof base64 === "string" ? { from: "content", content: Buffer.from(base64, "base64").toString("utf8") } : { from: "elsewhere" };
}

/** A docker.Container's inputs (or state) as a ContainerView. */
export function dockerContainerView(name: string, props: DockerContainerInputs): ContainerView {
  const volumes = props.volumes ?? [];
  const mounts = props.mounts ?? [];
  const bindSources = mounts.filter((mount) => mount.type === "bind" && mount.source).map((mount) => mount.source!);
  const volumeSources = volumes.filter((volume) => volume.hostPath).map((volume) => volume.hostPath!);
  const mountTargets = [...volumes.map((volume) => volume.containerPath), ...mounts.map((mount) => mount.target), ...Object.keys(props.tmpfs ?? {})].filter(
    (target): target is string => typeof target === "string",
  );
  // An entrypoint replaces the image's command too; empty lists are how the provider says "not set".
  const entrypoint = props.entrypoints?.length ? props.entrypoints : undefined;
  const args = props.command?.length ? props.command : entrypoint ? [] : undefined;
  return {
    label: `container ${props.name ?? name}`,
    // Read only when a check asks: during a preview the image is often an unknown output, and
    // touching an unknown value makes @pulumi/policy skip the whole policy for this resource.
    get image() {
      return props.image;
    },
    env: envMap(props.envs),
    entrypoint,
    args,
    escalations: escalations(props),
    hostNamespaces: hostNamespaces(props),
    hostNetwork: props.networkMode === "host",
    hostMounts: [...volumeSources, ...bindSources],
    inheritsMountsFrom: volumes.filter((volume) => volume.fromContainer).map((volume) => volume.fromContainer!),
    replacedPaths: [...mountTargets, ...(props.uploads ?? []).map((upload) => upload.file)],
    published: (props.ports ?? []).map((port) => ({ ip: port.ip ?? ALL_ADDRESSES, port: port.external ?? port.internal })),
    publishesAllPorts: props.publishAllPorts === true,
    fileSource: (file) => fileSource(props, mountTargets, file),
  };
}
