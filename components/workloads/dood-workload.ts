import * as pulumi from "@pulumi/pulumi";
import { declareClients, WorkloadArgs } from "./clients";
import { doodConnection } from "./connections";

/** Arguments of a DoodWorkload. */
export interface DoodWorkloadArgs extends WorkloadArgs {
  /** The registry as the host daemon reaches it, e.g. `127.0.0.1:5000`. */
  registryHostAddress: string;
}

/**
 * DooD mode: client containers drive the host's daemon through its socket. Nothing is
 * privileged and the host's image cache is shared, but a client can do anything the host
 * daemon can (root on the host) and bind-mount paths resolve on the host.
 */
export class DoodWorkload extends pulumi.ComponentResource {
  /** DOCKER_HOST inside the clients. */
  readonly dockerHost: string;
  /** Names of the client containers. */
  readonly clientNames: pulumi.Output<string>[];

  constructor(name: string, args: DoodWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:workloads:DoodWorkload", name, {}, opts);
    const connection = doodConnection(args.registryHostAddress);
    const clients = declareClients(name, this, args, connection, args.dependsOn);
    this.dockerHost = connection.dockerHost;
    this.clientNames = clients.map((client) => client.name);
    this.registerOutputs({ dockerHost: this.dockerHost, clientNames: this.clientNames });
  }
}
