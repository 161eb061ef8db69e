import { choice, flag, integer, listOf, mapOf, optional, section, SectionValue, text, Field } from "./fields";
import * as formats from "./patterns";

/** The config namespace: keys are written `dind-stack:<key>` in Pulumi.<stack>.yaml. */
export const NAMESPACE = "dind-stack";

function formatted(format: formats.Format, options: { doc: string; default?: string }): Field<string> {
  return text({ test: format.test, allowed: format.allowed, ...options });
}

const dindImage = section(
  {
    dockerVersion: formatted(formats.DOCKER_VERSION, { doc: "Version of the static Docker binaries baked into the DinD image.", default: "24.0.6" }),
    arch: choice(["x86_64", "aarch64"], { doc: "Architecture of the static binaries (download folder name).", default: "x86_64" }),
    sha256: optional(formatted(formats.SHA256, {
      doc: "sha256 of docker-<version>.tgz; pinned by default only for 24.0.6/x86_64, required otherwise.",
    })),
    downloadUrl: formatted(formats.HTTP_URL, {
      doc: "Base URL of the static binaries (a mirror works); the tarball is <downloadUrl>/<arch>/docker-<version>.tgz.",
      default: "https://download.docker.com/linux/static/stable",
    }),
    localTarball: optional(formatted(formats.NON_EMPTY, {
      doc: "Path (absolute, or relative to the project) of a downloaded docker-<version>.tgz used instead of downloading (air-gapped builds); still sha256-verified.",
    })),
    baseImage: formatted(formats.IMAGE_REFERENCE, { doc: "apt-based base image of the DinD image (debian:bookworm-slim, ubuntu:22.04, or a mirror of them).", default: "debian:bookworm-slim" }),
    extraPackages: listOf(formatted(formats.APT_PACKAGE, { doc: "An apt package." }), {
      doc: "Extra apt packages installed in the DinD image.",
      default: [],
      maxItems: 50,
    }),
    imageName: formatted(formats.IMAGE_REPOSITORY, { doc: "Repository name of the built DinD image (kept local, never pushed).", default: "dind-stack/dind" }),
    tag: optional(formatted(formats.IMAGE_TAG, { doc: "Tag of the built DinD image; defaults to <dockerVersion>-<stack>." })),
    buildNetwork: choice(["default", "host"], {
      doc: "Network of the image build; host lets the build reach a mirror or proxy on the machine's loopback.",
      default: "default",
    }),
    buildOnPreview: flag({ doc: "Build the image during `pulumi preview` too, so a PR preview proves the Dockerfile and checksum and shows exact diffs.", default: true }),
  },
  { doc: "The DinD image built from the static Docker binaries." },
);

const registry = section(
  {
    image: formatted(formats.IMAGE_REFERENCE, { doc: "Registry image (distribution 2.x); point it at a mirror for air-gapped hosts.", default: "registry:2" }),
    port: integer({ doc: "Host port the registry is published on.", min: 1, max: 65535, default: 5000 }),
    bindAddress: formatted(formats.IP_ADDRESS, { doc: "Host address the registry is published on; anything but loopback exposes it to the network.", default: "127.0.0.1" }),
    alias: formatted(formats.DNS_LABEL, { doc: "Name of the registry on the stack's network, as containers and DinD daemons address it.", default: "registry" }),
    volumeName: optional(formatted(formats.DOCKER_NAME, { doc: "Named volume holding the registry's data; defaults to dind-stack-<stack>-registry-data." })),
    retainDataOnDelete: flag({ doc: "Keep the registry's data volume when the stack is destroyed.", default: true }),
    deleteEnabled: flag({ doc: "Allow deleting manifests through the API (needed for cleanup and garbage collection).", default: true }),
    auth: optional(section(
      { username: formatted(formats.USER_NAME, { doc: "User allowed to push and pull; the password is the secret dind-stack:registryPassword." }) },
      { doc: "htpasswd (bcrypt) authentication; absent means no authentication." },
    )),
    proxy: optional(section(
      {
        remoteUrl: formatted(formats.HTTP_URL, { doc: "Upstream registry this registry caches (pull-through); a cache cannot be pushed to." }),
        username: optional(formatted(formats.USER_NAME, { doc: "Upstream user; the password is the secret dind-stack:registryProxyPassword." })),
      },
      { doc: "Pull-through cache of one upstream registry; absent means a normal registry." },
    )),
  },
  { doc: "The local registry:2 that workloads push to." },
);

const daemon = section(
  {
    insecureRegistries: listOf(formatted(formats.REGISTRY_HOST, { doc: "A registry host." }), {
      doc: "Registries the DinD daemons reach over plain HTTP, besides the stack's own registry (always included).",
      default: [],
      maxItems: 20,
    }),
    registryMirrors: listOf(formatted(formats.HTTP_URL, { doc: "A mirror URL." }), { doc: "Docker Hub mirrors for the DinD daemons.", default: [], maxItems: 10 }),
    mtu: optional(integer({ doc: "MTU of the DinD daemons' networks; by default the MTU of the daemon container's eth0.", min: 576, max: 65535 })),
    dns: listOf(formatted(formats.IP_ADDRESS, { doc: "A DNS server." }), { doc: "DNS servers for nested containers.", default: [], maxItems: 3 }),
    storageDriver: optional(choice(["overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs"], { doc: "Storage driver of the DinD daemons; by default dockerd chooses (overlay2 on the data volume)." })),
    logOpts: section(
      {
        maxSize: formatted(formats.LOG_SIZE, { doc: "Size at which a nested container's log is rotated.", default: "10m" }),
        maxFile: integer({ doc: "Rotated log files kept per nested container.", min: 1, max: 100, default: 3 }),
      },
      { doc: "json-file log rotation for nested containers, so logs cannot fill the data volume." },
    ),
    tls: flag({ doc: "TLS between clients and DinD daemons (port 2376); false serves plain TCP on 2375.", default: true }),
    iptables: choice(["auto", "legacy", "nft"], { doc: "iptables backend of the DinD daemons; auto detects what the kernel uses.", default: "auto" }),
    extraArgs: listOf(formatted(formats.DOCKERD_FLAG, { doc: "A dockerd flag." }), {
      doc: "Extra dockerd flags; flags the stack sets itself (--host, --tls*, --mtu, ...) are refused.",
      default: [],
      maxItems: 30,
    }),
  },
  { doc: "Settings of the DinD daemons (written to their daemon.json)." },
);

const client = section(
  {
    name: formatted(formats.DNS_LABEL, { doc: "Name of this client group; containers are named dind-stack-<stack>-<name>-<n>." }),
    image: optional(formatted(formats.IMAGE_REFERENCE, { doc: "Client image (must contain sh and the docker CLI); defaults to the DinD image." })),
    command: listOf(formatted(formats.NON_EMPTY, { doc: "An argument." }), {
      doc: "Command the client runs once the daemon is ready.",
      default: ["sleep", "infinity"],
      maxItems: 100,
    }),
    env: mapOf({ doc: "Extra environment variables.", default: {}, keyPattern: formats.ENV_NAME, keyAllowed: "environment variable names" }),
    count: integer({ doc: "Number of containers of this client.", min: 0, max: 20, default: 1 }),
  },
  { doc: "A group of client containers." },
);

/** One idle "builder" client, every other field at the client field's own defaults. */
const DEFAULT_CLIENTS = [client.parse({ name: "builder" }, "", [])];

const workloads = section(
  {
    allowDood: flag({ doc: "Opt-in required for mode dood: DooD clients get the host's Docker socket, i.e. root on the host.", default: false }),
    daemonAlias: formatted(formats.DNS_LABEL, { doc: "Name of the DinD daemon on the stack's network (clients use tcp://<alias>:2376).", default: "docker" }),
    dataVolumeName: optional(formatted(formats.DOCKER_NAME, { doc: "Volume holding the DinD daemon's /var/lib/docker; defaults to dind-stack-<stack>-dind-data." })),
    retainDataOnDelete: flag({ doc: "Keep the DinD data volume (image and build cache) when the stack is destroyed.", default: true }),
    readyTimeoutSeconds: integer({ doc: "How long clients wait for the daemon before failing (and being restarted).", min: 5, max: 3600, default: 120 }),
    clients: listOf(client, {
      doc: "Client container groups.",
      default: DEFAULT_CLIENTS,
      maxItems: 20,
      unique: (value) => value.name,
      uniqueWhat: "client name",
    }),
  },
  { doc: "The containers that build images: the DinD daemon (mode dind) and the clients." },
);

const kubernetes = section(
  {
    namespace: formatted(formats.DNS_LABEL, { doc: "Namespace for the workloads.", default: "dind-stack" }),
    context: optional(formatted(formats.NON_EMPTY, { doc: "kubeconfig context; by default the current one." })),
    storageClassName: optional(formatted(formats.DNS_LABEL, { doc: "Storage class of the DinD data volume claim; by default the cluster's default." })),
    dataVolumeSize: formatted(formats.K8S_QUANTITY, { doc: "Size of each DinD data volume claim.", default: "20Gi" }),
  },
  { doc: "Settings for the Kubernetes target (validated now; the target arrives later)." },
);

const secret = (doc: string) =>
  optional(text({ test: (value) => value.length >= 8 && Buffer.byteLength(value) <= 72, allowed: "a secret of 8 to 72 bytes", doc, secret: true }));

/** Every key in the `dind-stack` namespace, with its type, default and meaning. */
export const SCHEMA = {
  target: choice(["docker"], { doc: "Where workloads run: the local (or DOCKER_HOST) Docker engine.", default: "docker" }),
  mode: choice(["dind", "dood"], { doc: "dind: workloads get their own privileged daemon; dood: workloads share the host daemon.", default: "dind" }),
  dindImage,
  registry,
  daemon,
  workloads,
  kubernetes,
  registryPassword: secret("Secret: password of registry.auth.username (set with `pulumi config set --secret`)."),
  registryProxyPassword: secret("Secret: password of registry.proxy.username (set with `pulumi config set --secret`)."),
};

/** The keys whose values must be set as Pulumi secrets. */
export const SECRET_KEYS = ["registryPassword", "registryProxyPassword"] as const;

/** Settings parsed from one stack's config, every default applied. */
export type Settings = SectionValue<typeof SCHEMA>;

/** Settings of the DinD image. */
export type DindImageSettings = Settings["dindImage"];

/** Settings of the registry. */
export type RegistrySettings = Settings["registry"];

/** Settings of the DinD daemons. */
export type DaemonSettings = Settings["daemon"];

/** Settings of the workloads. */
export type WorkloadSettings = Settings["workloads"];

/** One client group. */
export type ClientSettings = WorkloadSettings["clients"][number];
