import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import * as tar from "tar-stream";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";
import { waitHealthy } from "./waiting";
import { grantPrivileges, PrivilegeMode } from "./privileges";
import { buildkitTraceText } from "./buildkit-trace";
import { figures } from "./figures";
import { followStream } from "./progress";
import { realizePushedImage } from "./image-push";
import { EngineCluster } from "./kubelet/cluster";
import { realizeCommand } from "./local-command";
import { realizeRegistryImage, realizeTag } from "./registry-push";
import { isKubernetesType } from "../../support/lifecycle/kubernetes-rules";
import { InitError } from "../../support/lifecycle/deployment";

/** Outcome of realizing one resource: the provider id and the state (inputs plus computed outputs). */
export interface Realized {
  /** Provider id. */
  id: string;
  /** Output state. */
  state: Record<string, any>;
}

type Fields = Record<string, any>;

/** Fails when `inputs` carries a field the realizer does not map, naming it, so nothing declared goes unexercised. */
function onlyFields(type: string, name: string, inputs: Fields, supported: readonly string[]): void {
  for (const [field, value] of Object.entries(inputs)) {
    if (value === undefined || supported.includes(field)) continue;
    throw new Error(`realizer: ${type} ${name} sets field "${field}", which the test harness does not realize`);
  }
}

/** The docker provider's duration strings ("5s", "1m30s", "500ms") in nanoseconds. */
export function durationNs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  const pattern = /(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * units[match[2]];
    consumed += match[0].length;
  }
  if (consumed !== text.length || consumed === 0) throw new Error(`realizer: cannot read duration "${text}"`);
  return total;
}

function labelMap(labels: { label: string; value: string }[] | undefined): Record<string, string> {
  return { ...Object.fromEntries((labels ?? []).map((entry) => [entry.label, entry.value])), [TEST_RUN_LABEL]: TEST_RUN_ID };
}

function filesUnder(root: string, dir = ""): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(root, relative) : [relative];
  });
}

/** docker.Image: a local build (the provider's skipPush mode) through the engine's API, classic builder. */
async function realizeImage(name: string, inputs: Fields): Promise<Realized> {
  onlyFields("Image", name, inputs, ["imageName", "build", "skipPush", "buildOnPreview"]);
  const build: Fields = inputs.build ?? {};
  // contextDigest is what the provider's Check adds (a hash of the context); the build ignores it.
  onlyFields("Image.build", name, build, ["context", "dockerfile", "args", "platform", "network", "builderVersion", "contextDigest"]);
  if (inputs.skipPush !== true) throw new Error(`realizer: Image ${name} would be pushed (skipPush is not true); the harness only builds`);
  const context = path.resolve(build.context ?? ".");
  const dockerfile = path.relative(context, path.resolve(build.dockerfile ?? path.join(context, "Dockerfile")));
  const started = Date.now();
  const stream = await engine.buildImage(
    { context, src: filesUnder(context) },
    {
      t: inputs.imageName,
      dockerfile,
      buildargs: build.args ?? {},
      platform: build.platform,
      networkmode: build.network,
      labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
      forcerm: true,
      // The provider builds with BuildKit unless told BuilderV1.
      version: build.builderVersion === "BuilderV1" ? "1" : "2",
    } as Docker.ImageBuildOptions,
  );
  const log: string[] = [];
  await followStream(
    stream,
    `building ${inputs.imageName}`,
    (event) => {
      if (event.id === "moby.buildkit.trace" && typeof event.aux === "string") log.push(buildkitTraceText(event.aux));
      else log.push(event.stream ?? (event.error ? `${event.error}\n` : ""));
    },
    () => `...\n--- last lines of the build log ---\n${log.join("").split("\n").slice(-40).join("\n")}`,
  );
  figures.record(`image build ${inputs.imageName}`, (Date.now() - started) / 1000, "s");
  const image = await engine.getImage(inputs.imageName).inspect();
  return { id: image.Id, state: { ...inputs, repoDigest: image.Id, baseImageName: inputs.imageName, registryServer: "", context: build.context, dockerfile: build.dockerfile } };
}

/** docker.RemoteImage: use the local image, or pull it (where a registry answers). */
async function realizeRemoteImage(name: string, inputs: Fields): Promise<Realized> {
  onlyFields("RemoteImage", name, inputs, ["name", "keepLocally"]);
  let image = await engine.getImage(inputs.name).inspect().catch(() => undefined);
  if (!image) {
    const stream = await engine.pull(inputs.name);
    await followStream(stream, `pulling ${inputs.name}`);
    image = await engine.getImage(inputs.name).inspect();
  }
  return { id: `${image.Id}${inputs.name}`, state: { ...inputs, imageId: image.Id, repoDigest: image.RepoDigests?.[0] ?? "" } };
}

async function realizeNetwork(name: string, inputs: Fields): Promise<Realized> {
  onlyFields("Network", name, inputs, ["name", "driver", "labels"]);
  const network = await engine.createNetwork({ Name: inputs.name, Driver: inputs.driver ?? "bridge", Labels: labelMap(inputs.labels), CheckDuplicate: true });
  return { id: network.id, state: inputs };
}

async function realizeVolume(name: string, inputs: Fields): Promise<Realized> {
  onlyFields("Volume", name, inputs, ["name", "labels"]);
  // Like `docker volume create`, creating an existing volume returns it unchanged (its data kept).
  await engine.createVolume({ Name: inputs.name, Labels: labelMap(inputs.labels) });
  return { id: inputs.name, state: inputs };
}

const CONTAINER_FIELDS = [
  "name", "image", "envs", "command", "entrypoints", "volumes", "ports", "networksAdvanced", "restart",
  "healthcheck", "privileged", "hostname", "labels", "uploads", "wait", "waitTimeout", "cgroupnsMode",
  "stopTimeout", "destroyGraceSeconds",
] as const;

/**
 * The engine's create-container body for the docker provider's Container inputs, as
 * resourceDockerContainerCreate (kreuzwerker/terraform-provider-docker v4.5.0,
 * internal/provider/resource_docker_container_funcs.go) builds it: the container starts out on
 * `network_mode` (default `bridge`), joins its networks_advanced only after the create (see
 * joinNetworks), and `init` is sent as false when the program leaves it unset.
 */
export function containerCreateOptions(inputs: Fields): Docker.ContainerCreateOptions {
  const binds = (inputs.volumes ?? []).map((volume: Fields) => {
    onlyFields("Container.volumes", inputs.name, volume, ["volumeName", "hostPath", "containerPath", "readOnly"]);
    return `${volume.volumeName ?? volume.hostPath}:${volume.containerPath}${volume.readOnly ? ":ro" : ""}`;
  });
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const port of inputs.ports ?? []) {
    onlyFields("Container.ports", inputs.name, port, ["internal", "external", "ip", "protocol"]);
    const key = `${port.internal}/${port.protocol ?? "tcp"}`;
    exposed[key] = {};
    portBindings[key] = [{ HostIp: port.ip ?? "0.0.0.0", HostPort: String(port.external ?? "") }];
  }
  for (const network of inputs.networksAdvanced ?? []) onlyFields("Container.networksAdvanced", inputs.name, network, ["name", "aliases"]);
  const health = inputs.healthcheck;
  if (health) onlyFields("Container.healthcheck", inputs.name, health, ["tests", "interval", "timeout", "startPeriod", "retries"]);
  return {
    name: inputs.name,
    Image: inputs.image,
    Hostname: inputs.hostname,
    Env: inputs.envs,
    Cmd: inputs.command,
    Entrypoint: inputs.entrypoints,
    Labels: labelMap(inputs.labels),
    ExposedPorts: exposed,
    StopTimeout: inputs.stopTimeout,
    Healthcheck: health && {
      Test: health.tests,
      Interval: durationNs(health.interval),
      Timeout: durationNs(health.timeout),
      StartPeriod: durationNs(health.startPeriod),
      Retries: health.retries,
    },
    // CgroupnsMode (engine API 1.41) is missing from dockerode's types.
    HostConfig: {
      Binds: binds,
      PortBindings: portBindings,
      RestartPolicy: inputs.restart ? { Name: inputs.restart } : undefined,
      NetworkMode: "bridge",
      Init: false,
      CgroupnsMode: inputs.cgroupnsMode,
    } as Docker.HostConfig,
  };
}

/** The provider's join after the create: off the default bridge (it may not be on it), onto each networks_advanced network with its aliases. */
async function joinNetworks(container: Docker.Container, networks: Fields[] | undefined): Promise<void> {
  if (!networks || networks.length === 0) return;
  await engine
    .getNetwork("bridge")
    .disconnect({ Container: container.id, Force: false })
    .catch((error: Error) => {
      if (!/is not connected to the network bridge/.test(error.message)) throw error;
    });
  for (const network of networks) {
    await engine.getNetwork(network.name).connect({ Container: container.id, EndpointConfig: { Aliases: network.aliases ?? [] } });
  }
}

/** Uploads files like the provider does: one tar entry named by the full path, extracted at /, mode `permissions` (default 0644). */
async function upload(container: Docker.Container, uploads: Fields[] | undefined): Promise<void> {
  for (const file of uploads ?? []) {
    onlyFields("Container.uploads", "upload", file, ["file", "content", "permissions"]);
    const pack = tar.pack();
    pack.entry({ name: file.file, mode: parseInt(file.permissions ?? "0644", 8) }, file.content);
    pack.finalize();
    await container.putArchive(pack as unknown as NodeJS.ReadableStream, { path: "/" });
  }
}

/**
 * docker.Container, in the provider's order: create (the container exists from here on: the
 * provider sets its id), join the networks, upload files, start (privileged as the engine
 * allows), wait for health when asked. A failure after the create is an init error: the
 * container stays, as it does under the real provider.
 */
async function realizeContainer(name: string, inputs: Fields, privilegeMode: () => Promise<PrivilegeMode>): Promise<Realized> {
  onlyFields("Container", name, inputs, CONTAINER_FIELDS);
  const options = containerCreateOptions(inputs);
  if (inputs.privileged) grantPrivileges(options, await privilegeMode());
  const container = await engine.createContainer(options);
  const realized = { id: container.id, state: inputs };
  try {
    await joinNetworks(container, inputs.networksAdvanced);
    await upload(container, inputs.uploads);
    await container.start();
    if (inputs.wait) {
      const waited = await waitHealthy(inputs.name, (inputs.waitTimeout ?? 60) * 1000);
      figures.record(`healthy after start: ${inputs.name}`, waited / 1000, "s");
    }
  } catch (error) {
    throw new InitError(error instanceof Error ? error.message : String(error), realized);
  }
  return realized;
}

/**
 * An Image in a preview with buildOnPreview, as pulumi-docker's dockerBuild does it
 * (provider/image.go: "if we are not pushing to the registry, or we are in Preview mode, we
 * return after building the local image"): built, never pushed, its repoDigest the local image ID.
 */
async function previewImage(type: string, name: string, inputs: Fields): Promise<Realized> {
  if (type !== "docker:index/image:Image") throw new Error(`realizer: ${type} ${name} does not act in a preview`);
  const { registry, ...buildInputs } = inputs;
  const built = await realizeImage(name, { ...buildInputs, skipPush: true });
  return { id: built.id, state: { ...built.state, skipPush: inputs.skipPush, ...(registry ? { registry } : {}) } };
}

/** Realizes docker provider resources on the engine, as the mock monitor receives them. */
export class Realizer {
  /** The one-node cluster the stack's Kubernetes objects are realized on, made when the first one arrives. */
  cluster?: EngineCluster;

  constructor(private readonly privilegeMode: () => Promise<PrivilegeMode>) {}

  /**
   * Creates the resource on the engine, or runs a local command (logging each step); components
   * (dind-stack:*) have no engine object. In a preview only an Image acts (buildOnPreview).
   */
  async realize(type: string, name: string, inputs: Fields, preview = false): Promise<Realized> {
    if (type.startsWith("dind-stack:")) return { id: "", state: {} };
    const started = Date.now();
    process.stderr.write(`[harness] realizing ${type} ${name}${preview ? " (preview)" : ""}\n`);
    const realized = preview ? await previewImage(type, name, inputs) : await this.realizeOnEngine(type, name, inputs);
    process.stderr.write(`[harness] realized ${type} ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return realized;
  }

  /** The cluster of the Kubernetes objects, made when the first one arrives. */
  private clusterOnEngine(): EngineCluster {
    this.cluster ??= new EngineCluster(this.privilegeMode);
    return this.cluster;
  }

  /** Updates a Kubernetes object (or the provider's settings) on the engine's cluster; `state` is what the last deployment left. */
  updateOnCluster(type: string, name: string, inputs: Fields, state: Fields): Promise<Realized> {
    process.stderr.write(`[harness] updating ${type} ${name} on the cluster\n`);
    return this.clusterOnEngine().update(type, name, inputs, state);
  }

  /** Deletes a Kubernetes object from the engine's cluster; `state` is what the last deployment left. */
  removeFromCluster(type: string, name: string, inputs: Fields, state: Fields): Promise<void> {
    process.stderr.write(`[harness] deleting ${type} ${name} from the cluster\n`);
    return this.clusterOnEngine().remove(type, name, inputs, state);
  }

  private realizeOnEngine(type: string, name: string, inputs: Fields): Promise<Realized> {
    if (isKubernetesType(type)) return this.clusterOnEngine().realize(type, name, inputs);
    switch (type) {
      case "docker:index/image:Image":
        return inputs.skipPush === false ? realizePushedImage(name, inputs, realizeImage) : realizeImage(name, inputs);
      case "docker:index/remoteImage:RemoteImage":
        return realizeRemoteImage(name, inputs);
      case "docker:index/network:Network":
        return realizeNetwork(name, inputs);
      case "docker:index/volume:Volume":
        return realizeVolume(name, inputs);
      case "docker:index/container:Container":
        return realizeContainer(name, inputs, this.privilegeMode);
      case "docker:index/tag:Tag":
        onlyFields("Tag", name, inputs, ["sourceImage", "targetImage"]);
        return realizeTag(inputs);
      case "docker:index/registryImage:RegistryImage":
        onlyFields("RegistryImage", name, inputs, ["name", "keepRemotely", "authConfig", "triggers"]);
        onlyFields("RegistryImage.authConfig", name, inputs.authConfig ?? {}, ["address", "username", "password"]);
        return realizeRegistryImage(inputs);
      case "command:local:Command":
        onlyFields("Command", name, inputs, ["create", "environment", "triggers"]);
        return realizeCommand(name, inputs, "create");
      default:
        throw new Error(`realizer: resource type ${type} (${name}) is not realized by the test harness`);
    }
  }
}
