import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings } from "../config/schema";
import { NAMED_CONTAINER_OPTIONS } from "../container-options";
import { stackLabels } from "../naming";
import { declareClients, WorkloadArgs } from "./clients";
import { CLIENT_CERT_DIR, dindConnection } from "./connections";
import { renderDaemonJson } from "./daemon-json";
import { dindDaemonContainerArgs } from "./dind-daemon-spec";

/** Arguments of a DindWorkload. */
export interface DindWorkloadArgs extends WorkloadArgs {
  /** Validated daemon settings. */
  daemon: DaemonSettings;
  /** The registry as containers on the network reach it, e.g. `registry:5000`. */
  registryNetworkAddress: string;
  /** The daemons' Docker Hub mirror, e.g. `http://mirror:5000`, when the stack has one. */
  hubMirror?: string;
  /** The read-only mirror registry's address, e.g. `mirror:5000`, when the stack has one (its images are pulled by it too). */
  mirrorAddress?: string;
}

/**
 * DinD mode: one privileged daemon from the DinD image, isolated from the host's daemon,
 * with /var/lib/docker on a volume (overlay2 inside, cache kept across restarts), and
 * client containers that reach it over TLS once it is ready.
 */
export class DindWorkload extends pulumi.ComponentResource {
  /** DOCKER_HOST for clients on the stack's network. */
  readonly dockerHost: string;
  /** DOCKER_CERT_PATH for clients, or "" without TLS. */
  readonly certPath: string;
  /** The daemon container. */
  readonly daemon: docker.Container;
  /** Names of the client containers. */
  readonly clientNames: pulumi.Output<string>[];
  /** Name of the data volume. */
  readonly dataVolumeName: pulumi.Output<string>;

  constructor(name: string, args: DindWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:workloads:DindWorkload", name, {}, opts);
    const { daemon, workloads, names } = args;
    const dataVolume = new docker.Volume(
      `${name}-data`,
      { name: workloads.dataVolumeName ?? names.dindDataVolume, labels: stackLabels(args.stack, "dind-data") },
      // The daemon's image and build cache. Deleted only on destroy with retainDataOnDelete: false;
      // renaming it (workloads.dataVolumeName) leaves this one in place while retained, and
      // otherwise deletes it only after the daemon runs on the new one (create-first: the
      // provider would delete a named volume first, and this option outranks it). Label
      // changes (a code change, never a config one) are ignored so they can never replace it.
      { parent: this, retainOnDelete: workloads.retainDataOnDelete, ignoreChanges: ["labels"], deleteBeforeReplace: false },
    );
    const certsVolume = daemon.tls
      ? new docker.Volume(
          `${name}-certs`,
          { name: names.certsVolume, labels: stackLabels(args.stack, "dind-certs") },
          // A fixed name; the daemon makes the certificates again at its next start.
          { parent: this, deleteBeforeReplace: true },
        )
      : undefined;
    this.daemon = new docker.Container(
      `${name}-daemon`,
      dindDaemonContainerArgs(daemon, workloads, {
        stack: args.stack,
        containerName: names.daemonContainer,
        image: args.image,
        networkName: args.networkName,
        dataVolume: dataVolume.name,
        certsVolume: certsVolume?.name ?? "",
        daemonJson: renderDaemonJson(daemon, [args.registryNetworkAddress, ...(args.mirrorAddress ? [args.mirrorAddress] : [])], args.hubMirror),
      }),
      // A fixed container name (and network alias): a replacement (new image, daemon.json, flags)
      // must remove the old daemon before creating the new one; one that never became healthy is
      // replaced by the next up (NAMED_CONTAINER_OPTIONS). The data volume stays.
      { parent: this, ...NAMED_CONTAINER_OPTIONS },
    );
    const connection = dindConnection(daemon, workloads, certsVolume?.name ?? "", args.registryNetworkAddress);
    const clients = declareClients(name, this, args, connection, [this.daemon, ...args.dependsOn]);
    this.dockerHost = connection.dockerHost;
    this.certPath = daemon.tls ? CLIENT_CERT_DIR : "";
    this.clientNames = clients.map((client) => client.name);
    this.dataVolumeName = dataVolume.name;
    this.registerOutputs({ dockerHost: this.dockerHost, certPath: this.certPath, clientNames: this.clientNames, dataVolumeName: this.dataVolumeName });
  }
}
