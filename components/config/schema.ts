import { secret as pulumiSecret } from "@pulumi/pulumi/output";
import { z } from "zod";
import * as formats from "./formats";
import { choice, envMap, flag, integer, labelMap, listOf, section, secretCapable } from "./kinds";
import { cliPluginSection } from "./plugin-settings";
import { allowing } from "./words";

// Every key of the `dind-stack` namespace: its type, default (`prefault`: the value used as if
// written when the key is absent) and meaning (`describe`). The README's reference and
// schema/stack-config.schema.json are generated from this file.

/** The config namespace: keys are written `dind-stack:<key>` in Pulumi.<stack>.yaml. */
export const NAMESPACE = "dind-stack";

const dindImage = section({
  dockerVersion: formats.dockerVersion().prefault("24.0.6").describe("Version of the static Docker binaries baked into the DinD image."),
  arch: choice(["x86_64", "aarch64"]).prefault("x86_64").describe("Architecture of the static binaries (download folder name)."),
  sha256: formats.sha256().optional().describe("sha256 of docker-<version>.tgz; pinned by default for 24.0.6 (x86_64) and 24.0.9 (x86_64, aarch64), required otherwise."),
  advisories: choice(["warn", "refuse"])
    .prefault("warn")
    .describe(
      "What a known security advisory of dockerVersion (docs/advisories.md) does: warn (a warning at preview and up, an advisory finding of the policy pack) or refuse (a config error, and a mandatory violation of the pack).",
    ),
  downloadUrl: formats
    .httpUrl()
    .prefault("https://download.docker.com/linux/static/stable")
    .describe("Base URL of the static binaries (a mirror works); the tarball is <downloadUrl>/<arch>/docker-<version>.tgz."),
  localTarball: formats
    .nonEmpty()
    .optional()
    .describe("Path (absolute, or relative to the project) of a downloaded docker-<version>.tgz used instead of downloading (air-gapped builds); still sha256-verified."),
  baseImage: formats
    .pinnedImageReference()
    .prefault("debian:bookworm-slim")
    .describe("apt-based base image of the DinD image (debian:bookworm-slim, ubuntu:22.04, or a mirror of them)."),
  extraPackages: listOf(formats.aptPackage(), 50).prefault([]).describe("Extra apt packages installed in the DinD image (in DooD mode: in the client image)."),
  imageName: formats.imageRepository().prefault("dind-stack/dind").describe("Repository name of the built DinD image (kept local, never pushed)."),
  tag: formats.imageTag().optional().describe("Tag of the built DinD image; defaults to <dockerVersion>-<stack>."),
  buildNetwork: choice(["default", "host"])
    .prefault("default")
    .describe("Network of the image build; host lets the build reach a mirror or proxy on the machine's loopback."),
  buildOnPreview: flag()
    .prefault(true)
    .describe("Build the image during `pulumi preview` too, so a PR preview proves the Dockerfile and checksum and shows exact diffs."),
  buildx: cliPluginSection("buildx"),
  compose: cliPluginSection("compose"),
});

const registry = section({
  image: formats.pinnedImageReference().prefault("registry:2").describe("Registry image (distribution 2.x); point it at a mirror for air-gapped hosts."),
  port: integer(1, 65535).prefault(5000).describe("Host port the registry is published on."),
  bindAddress: formats
    .ipAddress()
    .prefault("127.0.0.1")
    .describe("Host address the registry is published on; anything but loopback (127.0.0.0/8, ::1) exposes it to the network, which needs registry.auth or registry.allowUnauthenticatedExposure."),
  allowUnauthenticatedExposure: flag()
    .prefault(false)
    .describe(
      "Opt-in required for a registry without registry.auth that others can reach: on a Docker host, published beyond loopback (anyone who reaches bindAddress can push and pull); on Kubernetes, where the registry has authentication by default, any pod its NetworkPolicy does not keep out, which needs a CNI that enforces NetworkPolicy (the EKS VPC CNI does not by default, nor GKE Standard without Dataplane V2, nor flannel).",
    ),
  alias: formats.dnsLabel().prefault("registry").describe("Name of the registry on the stack's network, as containers and DinD daemons address it."),
  volumeName: formats.dockerName().optional().describe("Named volume holding the registry's data; defaults to dind-stack-<stack>-registry-data."),
  hostPath: formats
    .absolutePath()
    .optional()
    .describe("Existing directory on the Docker host bind-mounted at /var/lib/registry instead of the named volume (a registry's storage carried from elsewhere, or a fresh one); the stack never deletes it."),
  restoreArchive: formats
    .nonEmpty()
    .optional()
    .describe(
      "registry.tar.gz-style archive of a registry's storage (docker/registry/v2/... at its top, as scripts/export-registry.sh writes it), extracted into the named volume before the registry starts, once: only while the volume holds no registry data.",
    ),
  restoreSizeLimit: formats
    .byteSize()
    .prefault("100Gi")
    .describe("Most that registry.restoreArchive may unpack to; a larger archive is refused before anything is extracted."),
  retainDataOnDelete: flag().prefault(true).describe("Keep the registry's data volume when the stack is destroyed."),
  deleteEnabled: flag().prefault(true).describe("Allow deleting manifests through the API (needed for cleanup and garbage collection)."),
  auth: section({
    username: formats.userName().describe("User allowed to push and pull; the password is the secret dind-stack:registryPassword."),
  })
    .optional()
    .describe("htpasswd (bcrypt) authentication; absent means none on a Docker host, and user dind-stack on Kubernetes (unless registry.allowUnauthenticatedExposure)."),
  proxy: section({
    remoteUrl: formats.httpUrl().describe("Upstream registry this registry caches (pull-through); a cache cannot be pushed to."),
    username: formats.userName().optional().describe("Upstream user; the password is the secret dind-stack:registryProxyPassword."),
  })
    .optional()
    .describe("Pull-through cache of one upstream registry; absent means a normal registry."),
});

const mirrorImage = section({
  source: formats.taggedReference().describe("The image as it is pulled upstream or was saved, without digest: nginx:alpine, quay.io/coreos/flannel:v0.11.0-amd64."),
  repository: formats
    .localRepository()
    .optional()
    .describe("Repository (and tag) in the stack's registry; by default the source's path and tag without its registry host (Docker Hub images under library/, as Hub names them)."),
  digest: formats
    .imageId()
    .optional()
    .describe("Pin: the image ID the mirrored image must have (save, load and push keep it); checked in the archive before anything is declared, or after the pull before anything is pushed."),
  archive: formats
    .nonEmpty()
    .optional()
    .describe("A `docker save` archive holding the source (tar or tar.gz; absolute, or relative to the project), loaded instead of pulling: for hosts without a route to the upstream."),
});

const daemon = section({
  insecureRegistries: listOf(formats.registryHost(), 20)
    .prefault([])
    .describe("Registries the DinD daemons reach over plain HTTP, besides the stack's own registry (always included)."),
  registryMirrors: listOf(formats.httpUrl(), 10).prefault([]).describe("Docker Hub mirrors for the DinD daemons."),
  mtu: integer(576, 65535)
    .optional()
    .describe(
      "MTU of every network the DinD daemons make (docker0, and with dockerd 24.0 or newer also the networks of docker network create and compose); the daemon uses the smaller of this and its eth0's MTU. Unset: eth0's on a Docker host, at most 1400 on Kubernetes (below the common overlay MTUs).",
    ),
  dns: listOf(formats.ipAddress(), 3).prefault([]).describe("DNS servers for nested containers."),
  storageDriver: choice(["overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs"])
    .optional()
    .describe("Storage driver of the DinD daemons; by default dockerd chooses (overlay2 on the data volume)."),
  logOpts: section({
    maxSize: formats.logSize().prefault("10m").describe("Size at which a nested container's log is rotated."),
    maxFile: integer(1, 100).prefault(3).describe("Rotated log files kept per nested container."),
  })
    .prefault({})
    .describe("json-file log rotation for nested containers, so logs cannot fill the data volume."),
  tls: flag().prefault(true).describe("TLS between clients and DinD daemons (port 2376); false serves plain TCP on 2375."),
  iptables: choice(["auto", "legacy", "nft"]).prefault("auto").describe(
    "iptables backend of the DinD daemons, passed as DIND_IPTABLES_BACKEND; auto detects it as the official image does. The stack never sets DOCKER_IPTABLES_LEGACY, which (as in the official image) means legacy for any non-empty value, 0 included.",
  ),
  extraArgs: listOf(formats.dockerdFlag(), 30)
    .prefault([])
    .describe("Extra dockerd flags; flags the stack sets itself (--host, --tls*, --mtu, ...) are refused."),
});

const client = section({
  name: formats.dnsLabel().describe("Name of this client group; containers are named dind-stack-<stack>-<name>-<n>."),
  image: formats
    .pinnedImageReference()
    .optional()
    .describe("Client image (must contain sh; without the docker CLI its command starts without waiting for the daemon); defaults to the DinD image, in DooD mode to dind-stack/client (the docker CLI from the same verified tarball, nothing else)."),
  command: secretCapable(listOf(secretCapable(formats.nonEmpty()), 100, 1))
    .prefault(["sleep", "infinity"])
    .describe("Command the client runs once the daemon is ready (an empty one would only restart forever)."),
  env: envMap().prefault({}).describe("Extra environment variables."),
  count: integer(0, 20).prefault(1).describe("Number of containers of this client."),
});

const workloads = section({
  allowDood: flag().prefault(false).describe("Opt-in required for mode dood: DooD clients get the host's Docker socket, i.e. root on the host."),
  daemonAlias: formats.dnsLabel().prefault("docker").describe("Name of the DinD daemon on the stack's network (clients use tcp://<alias>:2376)."),
  dataVolumeName: formats.dockerName().optional().describe("Volume holding the DinD daemon's /var/lib/docker; defaults to dind-stack-<stack>-dind-data."),
  retainDataOnDelete: flag().prefault(true).describe("Keep the DinD data volume (image and build cache) when the stack is destroyed."),
  readyTimeoutSeconds: integer(5, 3600).prefault(120).describe("How long clients wait for the daemon before failing (and being restarted)."),
  clients: listOf(client, 20)
    .prefault([{ name: "builder" }])
    .describe("Client container groups; each name once."),
});

/** A CPU, memory or storage quantity, with its default when it has one (a default in words when it is derived). */
const quantity = (doc: string, fallback: string | undefined) =>
  fallback === undefined ? formats.resourceQuantity().optional().describe(doc) : formats.resourceQuantity().prefault(fallback).describe(doc);

/** The quantities of one container's requests or limits. */
interface Quantities {
  cpu?: string;
  memory?: string;
  ephemeralStorage?: string;
}

/** CPU, memory and ephemeral storage requests and limits of one container, each key with its own default. */
const resources = (role: string, defaults: { requests: Quantities; limits: Quantities }, derivedStorageLimit?: string) =>
  section({
    requests: section({
      cpu: quantity(`CPU reserved for the ${role} (500m is half a core).`, defaults.requests.cpu),
      memory: quantity(`Memory reserved for the ${role}.`, defaults.requests.memory),
      ephemeralStorage: quantity(`Node disk reserved for the ${role} (its writable layer, logs and emptyDir volumes).`, defaults.requests.ephemeralStorage),
    })
      .prefault({})
      .describe(`What the scheduler reserves for the ${role}.`),
    limits: section({
      cpu: quantity(`CPU limit of the ${role}.`, defaults.limits.cpu),
      memory: quantity(`Memory limit of the ${role} (above it the container is killed).`, defaults.limits.memory),
      ephemeralStorage: quantity(
        `Node disk the ${role} may use at most (above it the pod is evicted)${derivedStorageLimit ? `; by default ${derivedStorageLimit}` : ""}.`,
        defaults.limits.ephemeralStorage,
      ),
    })
      .prefault({})
      .describe(`What the ${role} may use at most.`),
  })
    .prefault({})
    .describe(`Resources of the ${role}.`);

/** Where one role's pods may run: node labels, taints they tolerate, required node affinity. */
const placement = (role: string) =>
  section({
    nodeSelector: labelMap(formats.labelKey(), formats.labelValue())
      .prefault({})
      .describe(`Node labels the ${role} pods require (added to kubernetes.io/os: linux${role === "runner" ? " and the kubernetes.io/arch of dindImage.arch" : ""}).`),
    tolerations: listOf(
      section({
        key: formats.labelKey().optional().describe("Taint key; absent with operator Exists tolerates every taint."),
        operator: choice(["Equal", "Exists"]).prefault("Equal").describe("Equal matches value; Exists matches any value."),
        value: formats.labelValue().optional().describe("Taint value (operator Equal)."),
        effect: choice(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional().describe("Taint effect; absent matches every effect."),
        tolerationSeconds: integer(0, 86400).optional().describe("With NoExecute: how long the pod stays on a node after the taint appears."),
      }),
      20,
    )
      .prefault([])
      .describe(`Taints the ${role} pods tolerate, e.g. of nodes kept for privileged builds.`),
    nodeAffinity: listOf(
      section({
        key: formats.labelKey().describe("Node label key."),
        operator: choice(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]).describe("How the node's label value is compared."),
        values: listOf(formats.labelValue(), 20).prefault([]).describe("Values for In and NotIn; one integer for Gt and Lt; none for Exists and DoesNotExist."),
      }),
      20,
    )
      .prefault([])
      .describe(`Node affinity the ${role} pods require (requiredDuringSchedulingIgnoredDuringExecution): every expression must match.`),
  })
    .prefault({})
    .describe(`Placement of the ${role} pods.`);

const kubernetes = section({
  context: formats.nonEmpty().optional().describe("kubeconfig context; by default the current one."),
  clusterVersion: formats
    .kubernetesVersion()
    .optional()
    .describe(
      "The cluster's Kubernetes minor version (supported: 1.29 to 1.33): Pod Security labels pin enforce-version to it (unset: latest, which can start refusing pods after a cluster upgrade), and choices that need a newer cluster (native sidecars, ReadWriteOncePod) are refused in the config.",
    ),
  namespaces: section({
    registry: formats
      .dnsLabel()
      .optional()
      .describe(
        "Namespace of the registry (Pod Security restricted); by default dind-stack-<stack>-registry, which the stack creates and owns. Any other name is an existing namespace the stack uses without owning it: it only adds its Pod Security labels (and takes them away when it stops using it) and never deletes it; default and kube-* are refused.",
      ),
    runners: formats
      .dnsLabel()
      .optional()
      .describe(
        "Namespace of the runners (privileged only when DinD or DooD needs it); by default dind-stack-<stack>-runners, which the stack creates and owns. Any other name is an existing namespace the stack uses without owning it, as for the registry's.",
      ),
  })
    .prefault({})
    .describe("The stack's two namespaces: its own by default, or existing ones it uses but never deletes."),
  clusterDomain: formats.dnsSubdomain().prefault("cluster.local").describe("The cluster's DNS domain, for the registry's fully qualified Service name."),
  storageClassName: formats
    .dnsSubdomain()
    .optional()
    .describe(
      "Storage class of every volume claim; by default the cluster's default. A claim keeps the class it was made with: once claims exist, another class is refused (docs/kubernetes.md says how to move them).",
    ),
  registryStorageSize: formats.k8sQuantity().prefault("20Gi").describe("Size of the registry's volume claim."),
  sidecar: choice(["native", "classic"])
    .prefault("native")
    .describe("native: the DinD daemon is an init container with restartPolicy Always (Kubernetes >= 1.29); classic: a second regular container, for older clusters."),
  runtimeClassName: formats.dnsSubdomain().optional().describe("RuntimeClass of the DinD runner pods (e.g. sysbox-runc): the daemon then runs unprivileged, in a baseline namespace."),
  dindCache: choice(["emptyDir", "volumeClaim"])
    .prefault("emptyDir")
    .describe("Where each DinD daemon keeps /var/lib/docker: an emptyDir (lost with the pod), or a volume claim per pod (a StatefulSet; the cache survives)."),
  dataVolumeSize: formats.k8sQuantity().prefault("20Gi").describe("Size of each DinD cache: its volume claim (dindCache: volumeClaim), or its emptyDir's sizeLimit (dindCache: emptyDir)."),
  dindCacheAccessMode: choice(["ReadWriteOncePod", "ReadWriteOnce"])
    .prefault("ReadWriteOncePod")
    .describe(
      "Access mode of the DinD cache claims: ReadWriteOncePod (Kubernetes 1.29, CSI volumes) guarantees one daemon per cache; ReadWriteOnce for storage without it (non-CSI provisioners such as k3s local-path). Existing claims keep theirs.",
    ),
  dindStorage: section({
    buildCacheKeepStorage: formats
      .byteSize()
      .prefault("10Gi")
      .describe("Builder garbage collection of each DinD daemon (daemon.json builder.gc): build cache above this size is removed, oldest first; below kubernetes.dataVolumeSize."),
    imagePruneAfterHours: integer(1, 8760)
      .prefault(168)
      .describe("Images no container uses, created more than this many hours ago, are pruned from each DinD daemon (docker image prune --all --filter until=<hours>h)."),
    imagePruneIntervalMinutes: integer(5, 10080).prefault(60).describe("How often each runner pod's prune container runs the image prune."),
  })
    .prefault({})
    .describe("What keeps each DinD daemon's /var/lib/docker from growing forever."),
  registryGarbageCollect: section({
    intervalHours: integer(1, 720)
      .prefault(24)
      .describe("The registry runs distribution's garbage-collect with the registry stopped when its pod starts and then every this many hours (pushes wait while it runs)."),
    deleteUntagged: flag()
      .prefault(true)
      .describe("Also remove manifests no tag points to (an image pushed again under the same tag frees the old one); false keeps images pushed by digest only."),
  })
    .prefault({})
    .describe("Garbage collection of the registry's storage (needs registry.deleteEnabled to free deleted images)."),
  registryTls: section({
    secretName: formats.dnsSubdomain().describe("A kubernetes.io/tls Secret in the registry's namespace (tls.crt, tls.key), e.g. from cert-manager; its certificate names the registry's Service."),
    caCertificate: formats.pemCertificate().describe("The CA certificate that signed it, which the DinD daemons trust for the registry (public, stored in a ConfigMap)."),
  })
    .optional()
    .describe("TLS for the registry, so its login does not cross the pod network in clear text; absent means plain HTTP (the DinD daemons list it as an insecure registry)."),
  terminationGracePeriodSeconds: integer(45, 3600)
    .prefault(120)
    .describe(
      "How long a runner pod has to stop: the job container first, then the DinD daemon, whose daemon.json shutdown-timeout (how long dockerd waits for its nested containers, each stopped with its own stop timeout) is 30 s less.",
    ),
  runnerDisruption: section({
    maxUnavailable: integer(0, 20)
      .prefault(0)
      .describe("PodDisruptionBudget of each client group: how many runner pods a node drain or the cluster autoscaler may evict at once; 0 lets none go until an operator scales down."),
  })
    .prefault({})
    .describe("Voluntary disruptions of the runner pods (they also carry the autoscalers' do-not-evict annotations)."),
  runnerEgress: section({
    deniedCidrs: listOf(formats.cidr(), 20)
      .prefault(["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"])
      .describe("Addresses the runner pods may not reach (an egress NetworkPolicy): link-local, where clouds serve the node's credentials (169.254.169.254), and AWS's IPv6 metadata address. DNS (port 53) stays open."),
  })
    .prefault({})
    .describe("Egress of the runner pods (enforced where the CNI enforces NetworkPolicy)."),
  placement: section({ registry: placement("registry"), runners: placement("runner") })
    .prefault({})
    .describe("Where the registry's and the runners' pods may run."),
  dindImage: section({
    reference: formats
      .pinnedImageReference()
      .optional()
      .describe("A prebuilt DinD image the nodes can pull (never the stack's own registry or another Service), pinned by tag or digest; nothing is built."),
    registry: formats.registryHost().optional().describe("Registry the stack pushes the DinD image it builds to, and the nodes pull it from."),
    repository: formats.imageRepository().optional().describe("Repository in that registry, without tag; the tag is dindImage.tag or <dockerVersion>-<stack>."),
    username: formats
      .userName()
      .optional()
      .describe("User for the push and the nodes' pull (for a prebuilt reference: the nodes' pull only, through an image pull Secret); the password is the secret dind-stack:dindImagePassword."),
  })
    .optional()
    .describe("Where the runners' DinD image comes from (required with target kubernetes): a prebuilt reference, or registry and repository to build and push it."),
  nodeCidrs: listOf(formats.cidr(), 20)
    .prefault([])
    .describe("Address ranges of the nodes, which the registry's NetworkPolicy admits; required in mode dood, where the nodes' Docker Engine pushes."),
  resources: section({
    registry: resources("registry", { requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "128Mi" }, limits: { cpu: "1", memory: "512Mi", ephemeralStorage: "1Gi" } }),
    daemon: resources(
      "DinD daemons",
      { requests: { cpu: "500m", memory: "1Gi", ephemeralStorage: "2Gi" }, limits: { cpu: "4", memory: "8Gi" } },
      "kubernetes.dataVolumeSize plus 2Gi with dindCache emptyDir (the cache counts as the pod's ephemeral storage), else 2Gi",
    ),
    runner: resources("runners' job containers", { requests: { cpu: "100m", memory: "128Mi", ephemeralStorage: "256Mi" }, limits: { cpu: "2", memory: "2Gi", ephemeralStorage: "2Gi" } }),
    pruner: resources("runners' image prune containers", { requests: { cpu: "10m", memory: "32Mi", ephemeralStorage: "16Mi" }, limits: { cpu: "200m", memory: "128Mi", ephemeralStorage: "64Mi" } }),
  })
    .prefault({})
    .describe("CPU, memory and ephemeral storage requests and limits of every container: the registry, the DinD daemons, the job containers and the prune containers (limits set, so admission policies that require them admit the pods)."),
});

/** A password held as a Pulumi secret from the moment it is parsed, so it cannot be printed or stored in plain text. */
const secret = (doc: string) =>
  allowing(
    z.string().refine((value) => value.length >= 8 && Buffer.byteLength(value) <= 72),
    "a secret of 8 to 72 bytes",
  )
    .transform((value) => pulumiSecret(value))
    .optional()
    .describe(doc);

/** Every key in the `dind-stack` namespace, with its type, default and meaning. */
export const SCHEMA = section({
  target: choice(["docker", "kubernetes"])
    .prefault("docker")
    .describe("Where the stack runs: docker, the local (or DOCKER_HOST) Docker engine; kubernetes, an existing cluster (the kubernetes section)."),
  mode: choice(["dind", "dood"]).prefault("dind").describe("dind: workloads get their own privileged daemon; dood: workloads share the host daemon."),
  dindImage: dindImage.prefault({}).describe("The DinD image built from the static Docker binaries."),
  registry: registry.prefault({}).describe("The local registry:2 that workloads push to."),
  mirror: listOf(mirrorImage, 200)
    .prefault([])
    .describe("Images `pulumi up` puts into the stack's registry (pulled, or loaded from an archive), each at its local reference; an entry removed stays in the registry."),
  daemon: daemon.prefault({}).describe("Settings of the DinD daemons (written to their daemon.json)."),
  workloads: workloads.prefault({}).describe("The containers that build images: the DinD daemon (mode dind) and the clients."),
  kubernetes: kubernetes.prefault({}).describe("Settings of the Kubernetes target (target: kubernetes)."),
  registryPassword: secret("Secret: password of registry.auth.username (set with `npm run pulumi -- config set --secret`)."),
  registryProxyPassword: secret("Secret: password of registry.proxy.username (set with `npm run pulumi -- config set --secret`)."),
  dindImagePassword: secret("Secret: password of kubernetes.dindImage.username (set with `npm run pulumi -- config set --secret`)."),
});

/** The keys whose values must be set as Pulumi secrets. */
export const SECRET_KEYS = ["registryPassword", "registryProxyPassword", "dindImagePassword"] as const;

/** The keys that may hold secrets: the passwords, and the workloads section (client env values and commands). */
export const KEYS_HOLDING_SECRETS: readonly string[] = [...SECRET_KEYS, "workloads"];

/** What the schema alone makes of a stack's config. */
export type ParsedConfig = z.output<typeof SCHEMA>;

/** Settings parsed from one stack's config, every default applied; passwords are secret Outputs. */
export type Settings = ParsedConfig & {
  workloads: {
    /**
     * True when `dind-stack:workloads` holds a secret (set with `pulumi config set --secret --path`):
     * every client's env values and command are then Pulumi secrets wherever they land.
     */
    clientValuesSecret: boolean;
  };
};

/** Settings of the DinD image. */
export type DindImageSettings = Settings["dindImage"];

/** Settings of the registry. */
export type RegistrySettings = Settings["registry"];

/** Settings of the DinD daemons. */
export type DaemonSettings = Settings["daemon"];

/** Settings of the workloads. */
export type WorkloadSettings = Settings["workloads"];

/** Settings of the Kubernetes target. */
export type KubernetesSettings = Settings["kubernetes"];

/** One client group. */
export type ClientSettings = WorkloadSettings["clients"][number];

/** One image of the mirror list. */
export type MirrorEntry = Settings["mirror"][number];
