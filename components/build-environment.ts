import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ClientImage } from "./client-image/client-image";
import { Settings } from "./config/schema";
import { DindImage } from "./dind-image/dind-image";
import { ImageMirror, MirroredImage } from "./mirror/image-mirror";
import { READ_ONLY_MIRROR_ADDRESS, ReadOnlyMirror } from "./mirror/read-only-mirror";
import { planMirror } from "./mirror/mirror-plan";
import { objectNames, stackLabels } from "./naming";
import { dockerAuthConfig } from "./registry/htpasswd";
import { hubMirrorUrl } from "./registry/hub-mirror";
import { Registry } from "./registry/registry";
import { doodDaemonJsonSnippet } from "./workloads/daemon-json";
import { DindWorkload } from "./workloads/dind-workload";
import { DoodWorkload } from "./workloads/dood-workload";

/** Arguments of a BuildEnvironment. */
export interface BuildEnvironmentArgs {
  /** The stack's validated settings; its passwords are Pulumi secrets. */
  settings: Settings;
  /** The stack's name. */
  stack: string;
}

/**
 * Everything one stack deploys on a Docker host: a network, the registry, the DinD image (DinD
 * mode) or the client image (DooD mode), and the workloads in the stack's mode.
 */
export class BuildEnvironment extends pulumi.ComponentResource {
  /** Registry address for the host, e.g. `127.0.0.1:5000`. */
  readonly registryHostAddress: string;
  /** Registry address for containers on the stack's network, e.g. `registry:5000`. */
  readonly registryNetworkAddress: string;
  /** Registry address clients push to (what their daemon reaches). */
  readonly pushRegistry: string;
  /** DOCKER_HOST inside the clients. */
  readonly dockerHost: string;
  /** DOCKER_CERT_PATH inside the clients, "" without TLS. */
  readonly certPath: string;
  /** The DinD image's tag (DinD mode; a DooD stack builds none). */
  readonly dindImageName?: pulumi.Output<string>;
  /** The DinD image's unique reference (DinD mode). */
  readonly dindImageRef?: pulumi.Output<string>;
  /** DooD mode: the client image's tag and unique reference (the image clients run when their group names none). */
  readonly clientImage?: { name: pulumi.Output<string>; ref: pulumi.Output<string> };
  /** Names of the client containers. */
  readonly clientNames: pulumi.Output<string>[];
  /** DooD or a mirror list: daemon.json the host's engine needs to push to the registry, "" when none. */
  readonly hostDaemonJson: string;
  /** Volumes (or the registry's host directory) holding persistent data. */
  readonly dataVolumes: pulumi.Output<string>[];
  /** The images of the mirror list, at their local references. */
  readonly mirroredImages: pulumi.Output<MirroredImage[]>;

  constructor(name: string, args: BuildEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:index:BuildEnvironment", name, {}, opts);
    const { settings, stack } = args;
    const names = objectNames(stack);
    // A fixed name; replacing it replaces every container on it (Pulumi deletes them first).
    const network = new docker.Network(
      `${name}-network`,
      { name: names.network, driver: "bridge", labels: stackLabels(stack, "network") },
      { parent: this, deleteBeforeReplace: true },
    );
    const registry = new Registry(
      `${name}-registry`,
      {
        settings: settings.registry,
        stack,
        containerName: names.registryContainer,
        volumeName: settings.registry.volumeName ?? names.registryDataVolume,
        networkName: network.name,
        password: settings.registryPassword,
        proxyPassword: settings.registryProxyPassword,
      },
      { parent: this },
    );
    // DinD runs the DinD image (the daemon, and the clients that name no image); DooD clients get
    // an image with the docker CLI alone, from the same verified tarball, and no DinD image is built.
    const staging = (image: string) => path.join(".dind-stack", "build", stack, image);
    const image =
      settings.mode === "dind"
        ? new DindImage(`${name}-dind-image`, { settings: settings.dindImage, stack, stagingDir: staging("dind-image") }, { parent: this })
        : new ClientImage(`${name}-client-image`, { settings: settings.dindImage, stack, stagingDir: staging("client-image") }, { parent: this });
    const addresses = { host: registry.hostAddress, network: registry.networkAddress };
    const auth = settings.registry.auth;
    const dockerConfig =
      auth && settings.registryPassword
        ? pulumi.secret(settings.registryPassword.apply((password) => dockerAuthConfig([addresses.network, addresses.host], auth.username, password)))
        : undefined;
    // The mirror list: into the stack's registry (its local references; what an export carries)
    // and, for the DinD daemons, into a read-only mirror registry: their Docker Hub mirror, which
    // only `pulumi up` writes.
    const mirror =
      settings.mirror.length > 0
        ? new ImageMirror(
            `${name}-mirror`,
            {
              stack,
              images: planMirror(settings.mirror),
              registryHostAddress: addresses.host,
              referenceRegistry: settings.mode === "dind" ? READ_ONLY_MIRROR_ADDRESS : addresses.host,
              registryStorage: registry.storage,
              auth: auth && settings.registryPassword ? { username: auth.username, password: settings.registryPassword } : undefined,
              registry: registry.container,
            },
            { parent: this },
          )
        : undefined;
    const readOnlyMirror =
      mirror && settings.mode === "dind"
        ? new ReadOnlyMirror(
            `${name}-mirror-registry`,
            {
              stack,
              containerName: names.mirrorContainer,
              volumeName: names.mirrorDataVolume,
              retainDataOnDelete: settings.registry.retainDataOnDelete,
              registryImageId: registry.imageId,
              networkName: network.name,
              entries: mirror.loaded,
            },
            { parent: this },
          )
        : undefined;
    const registries = [registry.container, ...(readOnlyMirror ? [readOnlyMirror.container] : [])];
    const common = { stack, names, image: image.imageRef, networkName: network.name, workloads: settings.workloads, dependsOn: registries, dockerConfig };
    // The workload of the stack's other mode, whose clients had the same container names.
    const otherMode = (mode: "dind" | "dood") => {
      const type = mode === "dind" ? "dind-stack:workloads:DindWorkload" : "dind-stack:workloads:DoodWorkload";
      return { name: `${name}-${mode}`, urn: pulumi.createUrn(`${name}-${mode}`, type, this) };
    };
    if (settings.mode === "dind") {
      const hubMirror = readOnlyMirror ? `http://${readOnlyMirror.address}` : hubMirrorUrl(settings.registry, addresses.network);
      const workload = new DindWorkload(
        `${name}-dind`,
        { ...common, otherMode: otherMode("dood"), daemon: settings.daemon, registryNetworkAddress: addresses.network, hubMirror, mirrorAddress: readOnlyMirror?.address },
        { parent: this },
      );
      this.dockerHost = workload.dockerHost;
      this.certPath = workload.certPath;
      this.clientNames = workload.clientNames;
      this.pushRegistry = addresses.network;
      this.dataVolumes = [registry.storage, workload.dataVolumeName, ...(readOnlyMirror ? [readOnlyMirror.volumeName] : [])];
    } else {
      const workload = new DoodWorkload(`${name}-dood`, { ...common, otherMode: otherMode("dind"), registryHostAddress: addresses.host }, { parent: this });
      this.dockerHost = workload.dockerHost;
      this.certPath = "";
      this.clientNames = workload.clientNames;
      this.pushRegistry = addresses.host;
      this.dataVolumes = [registry.storage];
    }
    this.registryHostAddress = registry.hostAddress;
    this.registryNetworkAddress = registry.networkAddress;
    if (image instanceof DindImage) {
      this.dindImageName = image.imageName;
      this.dindImageRef = image.imageRef;
    } else {
      this.clientImage = { name: image.imageName, ref: image.imageRef };
    }
    this.mirroredImages = mirror?.images ?? pulumi.output([]);
    // The host's engine pushes to the registry's host address in DooD mode and for the mirror list.
    this.hostDaemonJson = settings.mode === "dood" || mirror ? (doodDaemonJsonSnippet(addresses.host) ?? "") : "";
    this.registerOutputs({
      registryHostAddress: this.registryHostAddress,
      registryNetworkAddress: this.registryNetworkAddress,
      dockerHost: this.dockerHost,
      certPath: this.certPath,
      dindImageRef: this.dindImageRef,
      clientImage: this.clientImage,
      clientNames: this.clientNames,
      mirroredImages: this.mirroredImages,
    });
  }
}
