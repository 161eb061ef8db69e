import type * as docker from "@pulumi/docker";
import type { Unwrap } from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { ALL_ADDRESSES, ContainerView } from "./container-view";

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

/** A file's content parsed as YAML (JSON included) when it is a mapping; undefined otherwise. */
function yamlMapping(content: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed = content === undefined ? undefined : yaml.load(content);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A docker.Container's inputs as a ContainerView. */
export function dockerContainerView(name: string, props: DockerContainerInputs): ContainerView {
  const bindSources = (props.mounts ?? []).filter((mount) => mount.type === "bind" && mount.source).map((mount) => mount.source!);
  const volumeSources = (props.volumes ?? []).filter((volume) => volume.hostPath).map((volume) => volume.hostPath!);
  return {
    label: `container ${props.name ?? name}`,
    // Read only when a check asks: during a preview the image is often an unknown output, and
    // touching an unknown value makes @pulumi/policy skip the whole policy for this resource.
    get image() {
      return props.image;
    },
    privileged: props.privileged === true,
    env: envMap(props.envs),
    command: [...(props.entrypoints ?? []), ...(props.command ?? [])],
    hostMounts: [...volumeSources, ...bindSources],
    published: (props.ports ?? []).map((port) => ({ ip: port.ip ?? ALL_ADDRESSES, port: port.external ?? port.internal })),
    get configFiles() {
      return (props.uploads ?? []).map((upload) => yamlMapping(upload.content)).filter((file): file is Record<string, unknown> => file !== undefined);
    },
  };
}
