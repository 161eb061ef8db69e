// dind-stack: one stack per environment (stacks/Pulumi.<stack>.yaml). The config is
// validated as a whole before anything is declared (a Docker context is refused: see
// components/docker-cli.ts); then the build environment is declared on the stack's target: the
// Docker engine (local, or DOCKER_HOST / docker:host), or an existing Kubernetes cluster.
import * as pulumi from "@pulumi/pulumi";
import { BuildEnvironment } from "./components/build-environment";
import { loadSettings } from "./components/config/load-settings";
import { requireOneEngine } from "./components/docker-cli";
import { KubernetesEnvironment } from "./components/kubernetes/kubernetes-environment";
import { usageHint } from "./components/usage-hint";

const stack = pulumi.getStack();
const settings = loadSettings();
requireOneEngine(stack);

const onDocker = settings.target === "docker" ? new BuildEnvironment(stack, { settings, stack }) : undefined;
const onCluster = settings.target === "kubernetes" ? new KubernetesEnvironment(stack, { settings, stack }) : undefined;
const environment = onDocker ?? onCluster!;

/** The stack's mode: dind or dood. */
export const mode = settings.mode;
/** Docker target: registry address on the host, e.g. 127.0.0.1:5000. */
export const registryHostAddress = onDocker?.registryHostAddress;
/** Docker target: registry address for containers on the stack's network, e.g. registry:5000. */
export const registryNetworkAddress = onDocker?.registryNetworkAddress;
/** Kubernetes target: the registry's address inside the cluster, e.g. registry.dind-stack-prod-registry.svc:5000. */
export const registryClusterAddress = onCluster?.registryClusterAddress;
/** Kubernetes target: the stack's namespaces. */
export const namespaces = onCluster?.namespaces;
/** Registry address clients push to. */
export const pushRegistry = environment.pushRegistry;
/** DOCKER_HOST inside the clients. */
export const dockerHost = environment.dockerHost;
/** DOCKER_CERT_PATH inside the clients ("" without TLS). */
export const dockerCertPath = environment.certPath;
/** The DinD image's tag and unique reference (DinD mode and Kubernetes; a DooD stack on a Docker host builds none). */
export const dindImage = environment.dindImageName && { name: environment.dindImageName, ref: environment.dindImageRef };
/** Docker target, DooD mode: the image clients run when their group names none (the docker CLI alone), its tag and unique reference. */
export const clientImage = onDocker?.clientImage;
/** Docker target: client container names. */
export const clientContainers = onDocker?.clientNames;
/** Kubernetes target: the runner workloads, as kubectl names them (e.g. statefulset/runner). */
export const runnerWorkloads = onCluster?.runnerWorkloads;
/** Persistent data (volumes, or volume claims as namespace/claim, or the registry's host directory), kept on destroy unless configured otherwise. */
export const dataVolumes = environment.dataVolumes;
/** Docker target: the images of the mirror list (source, local reference, image ID). */
export const mirroredImages = onDocker?.mirroredImages;
/** DooD, or a mirror list: daemon.json the host (or each node) needs to push to the registry ("" when none is needed). */
export const hostDaemonJson = environment.hostDaemonJson;
/** How to use the stack, in one line. */
export const usage = onDocker
  ? pulumi.all(onDocker.clientNames).apply((names) =>
      usageHint({ mode: settings.mode, firstClient: names[0], pushRegistry: onDocker.pushRegistry, registryHostAddress: onDocker.registryHostAddress }),
    )
  : onCluster!.usage;
