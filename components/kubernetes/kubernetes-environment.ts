import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config/schema";
import { DindImage } from "../dind-image/dind-image";
import { hubMirrorUrl } from "../registry/hub-mirror";
import { dockerAuthConfig } from "../registry/htpasswd";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { doodDaemonJsonSnippet } from "../workloads/daemon-json";
import { CLIENT_CERT_DIR, DAEMON_PORT } from "../workloads/connections";
import { ClusterRegistry } from "./cluster-registry";
import { ClusterRunners } from "./cluster-runners";
import { registryServiceNames } from "./daemon-config";
import { declareNamespace, runnerNamespaceLevel, stackNamespaces } from "./namespaces";
import { registryClusterAddress } from "./registry-objects";
import { DOCKER_SOCKET, JOB_CONTAINER } from "./runner-pod";
import { cacheClaimNames } from "./runner-workloads";
import { ClusterImageSource, clusterImageSource, DOCKER_HUB_AUTH_KEY } from "./settings";
import { clusterUsageHint } from "./usage";

/** Arguments of a KubernetesEnvironment. */
export interface KubernetesEnvironmentArgs {
  /** The stack's validated settings (passwords included, as secrets). */
  settings: Settings;
  /** The stack's name. */
  stack: string;
}

/**
 * Everything one stack deploys on a cluster: a namespace for the registry (Pod Security
 * `restricted`), one for the runners (privileged only when DinD or DooD needs it), each the
 * stack's own or an existing one it only labels, the registry, the DinD image (built and
 * pushed, or a prebuilt reference) and the runners.
 */
export class KubernetesEnvironment extends pulumi.ComponentResource {
  /** The stack's namespaces. */
  readonly namespaces: { registry: string; runners: string };
  /** The registry's address inside the cluster. */
  readonly registryClusterAddress: string;
  /** Where the runners push: the Service address (DinD), or the Service's cluster IP (DooD: the node's engine pushes). */
  readonly pushRegistry: pulumi.Output<string>;
  /** DOCKER_HOST in the job containers. */
  readonly dockerHost: string;
  /** DOCKER_CERT_PATH in the job containers, "" without TLS. */
  readonly certPath: string;
  /** kubectl names of the runner workloads. */
  readonly runnerWorkloads: string[];
  /** The DinD image's tag (or the prebuilt reference). */
  readonly dindImageName: pulumi.Output<string>;
  /** The DinD image reference the pods use. */
  readonly dindImageRef: pulumi.Output<string>;
  /**
   * Volume claims holding persistent data, as `<namespace>/<claim>`; fails, naming the config
   * key, when the config names a storage class other than the claims have.
   */
  readonly dataVolumes: pulumi.Output<string[]>;
  /** DooD: the daemon.json the nodes' Docker Engine needs to push to the registry. */
  readonly hostDaemonJson: pulumi.Output<string>;
  /** How to use the stack, in one line. */
  readonly usage: pulumi.Output<string>;

  constructor(name: string, args: KubernetesEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:kubernetes:KubernetesEnvironment", name, {}, opts);
    const { settings, stack } = args;
    const kubernetes = settings.kubernetes;
    const { mode, registry: registrySettings, workloads } = settings;
    const provider = new k8s.Provider(
      `${name}-provider`,
      {
        context: kubernetes.context,
        // By default pulumi-kubernetes replaces a ConfigMap or Secret whose data changes, delete
        // first since the stack names them: the daemon.json, the registry's config and the
        // runners' credentials would be missing for a moment (pods starting then cannot mount
        // them), and gone if the deployment stops there. Updated in place instead, the kubelet
        // rewrites their files in running pods; what is read only at start rolls the pods
        // through a digest on their template.
        enableConfigMapMutable: true,
        enableSecretMutable: true,
        // pulumi destroy keeps the namespaces and claims that hold data (retainOnDelete); by
        // default the provider's create refuses an object that exists, so the next pulumi up
        // would fail on them. With upsert it adopts them, as the Docker target adopts its volumes.
        // A namespace the config names is never declared as a Namespace, so never adopted (see
        // declareNamespace); the objects the stack puts in it have fixed names, so such a
        // namespace must hold nothing else of those names (docs/kubernetes-basics.md asks for one dedicated to
        // the stack).
        upsertExistingObjects: true,
      },
      { parent: this },
    );
    const namespaces = stackNamespaces(stack, kubernetes.namespaces);
    const names = { registry: namespaces.registry.name, runners: namespaces.runners.name };
    const keepCache = mode === "dind" && kubernetes.dindCache === "volumeClaim" && workloads.retainDataOnDelete;
    // Deleting a namespace deletes its claims: a namespace of the stack's holding kept data is kept too.
    const registryNamespace = declareNamespace(
      `${name}-registry-namespace`,
      { stack, namespace: namespaces.registry, role: "registry", level: "restricted", clusterVersion: kubernetes.clusterVersion, retainOnDelete: registrySettings.retainDataOnDelete },
      { parent: this, provider },
    );
    const runnersNamespace = declareNamespace(
      `${name}-runners-namespace`,
      {
        stack,
        namespace: namespaces.runners,
        role: "runners",
        level: runnerNamespaceLevel(mode, kubernetes.runtimeClassName),
        clusterVersion: kubernetes.clusterVersion,
        retainOnDelete: keepCache,
      },
      { parent: this, provider },
    );
    const registry = new ClusterRegistry(
      `${name}-registry`,
      {
        stack,
        namespace: registryNamespace,
        runnersNamespace,
        settings: registrySettings,
        kubernetes,
        password: settings.registryPassword,
        proxyPassword: settings.registryProxyPassword,
      },
      { parent: this, providers: [provider] },
    );
    const image = this.dindImage(name, args, clusterImageSource(kubernetes));
    this.registryClusterAddress = registryClusterAddress(registrySettings.alias, names.registry);
    this.pushRegistry =
      mode === "dind" ? pulumi.output(this.registryClusterAddress) : registry.service.spec.clusterIP.apply((ip) => `${ip}:${REGISTRY_CONTAINER_PORT}`);
    const auth = registrySettings.auth;
    const password = settings.registryPassword;
    const dockerConfig =
      auth && password ? pulumi.secret(pulumi.all([this.pushRegistry, password]).apply(([address, secret]) => dockerAuthConfig([address], auth.username, secret))) : undefined;
    const source = clusterImageSource(kubernetes);
    const pullPassword = settings.dindImagePassword;
    // The nodes' pull of the DinD image, built and pushed or prebuilt, through an image pull Secret.
    const pullHost = source.registry === "docker.io" ? DOCKER_HUB_AUTH_KEY : source.registry;
    const imagePullConfig =
      source.username && pullPassword ? pulumi.secret(pullPassword.apply((secret) => dockerAuthConfig([pullHost], source.username!, secret))) : undefined;
    const runners = new ClusterRunners(
      `${name}-runners`,
      {
        stack,
        mode,
        namespace: runnersNamespace,
        daemon: settings.daemon,
        workloads,
        kubernetes,
        image: image.ref,
        registryNames: registryServiceNames(registrySettings.alias, names.registry, kubernetes.clusterDomain),
        arch: settings.dindImage.arch,
        hubMirror: kubernetes.registryTls ? hubMirrorUrl(settings.registry, this.registryClusterAddress)?.replace(/^http:/, "https:") : hubMirrorUrl(settings.registry, this.registryClusterAddress),
        pushRegistry: this.pushRegistry,
        dockerConfig,
        imagePullConfig,
        dependsOn: [registry],
      },
      { parent: this, providers: [provider] },
    );
    this.namespaces = names;
    this.dockerHost = mode === "dood" ? `unix://${DOCKER_SOCKET}` : `tcp://localhost:${settings.daemon.tls ? DAEMON_PORT.tls : DAEMON_PORT.plain}`;
    this.certPath = mode === "dind" && settings.daemon.tls ? CLIENT_CERT_DIR : "";
    this.runnerWorkloads = runners.workloadRefs;
    this.dindImageName = image.name;
    this.dindImageRef = image.ref;
    const cacheClaims = mode === "dind" && kubernetes.dindCache === "volumeClaim" ? workloads.clients.flatMap(cacheClaimNames) : [];
    const claims = [`${names.registry}/${registry.claimName}`, ...cacheClaims.map((claim) => `${names.runners}/${claim}`)];
    this.dataVolumes = pulumi.all([registry.storageClass, runners.storageClasses]).apply(() => claims);
    this.hostDaemonJson = mode === "dood" ? this.pushRegistry.apply((address) => doodDaemonJsonSnippet(address) ?? "") : pulumi.output("");
    this.usage = this.pushRegistry.apply((pushRegistry) =>
      clusterUsageHint({ mode, context: kubernetes.context, namespace: names.runners, firstWorkload: this.runnerWorkloads[0], container: JOB_CONTAINER, pushRegistry }),
    );
    this.registerOutputs({
      namespaces: this.namespaces,
      registryClusterAddress: this.registryClusterAddress,
      pushRegistry: this.pushRegistry,
      runnerWorkloads: this.runnerWorkloads,
      dindImageRef: this.dindImageRef,
      usage: this.usage,
    });
  }

  /** The DinD image the cluster pulls: a prebuilt reference, or the stack's build pushed to the configured registry. */
  private dindImage(name: string, args: KubernetesEnvironmentArgs, source: ClusterImageSource): { name: pulumi.Output<string>; ref: pulumi.Output<string> } {
    if (source.kind === "prebuilt") return { name: pulumi.output(source.reference), ref: pulumi.output(source.reference) };
    const built = new DindImage(
      `${name}-dind-image`,
      {
        settings: args.settings.dindImage,
        stack: args.stack,
        stagingDir: path.join(".dind-stack", "build", args.stack, "dind-image"),
        push: { registry: source.registry, repository: source.repository, username: source.username, password: args.settings.dindImagePassword },
      },
      { parent: this },
    );
    return { name: built.imageName, ref: built.imageRef };
  }
}
