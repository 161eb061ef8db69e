import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadSettings } from "../config/schema";
import { ObjectNames } from "../naming";
import { clientContainerSpecs, DaemonConnection } from "./client-spec";

/** Arguments every workload (DinD or DooD) takes. */
export interface WorkloadArgs {
  /** Stack name, for labels. */
  stack: string;
  /** Names of the stack's Docker objects. */
  names: ObjectNames;
  /** The DinD image reference: the daemon's image, and the clients' when they name none (it has the docker CLI). */
  image: pulumi.Input<string>;
  /** The stack's network. */
  networkName: pulumi.Input<string>;
  /** Validated workload settings. */
  workloads: WorkloadSettings;
  /** Resources the clients wait for besides their daemon (the registry). */
  dependsOn: pulumi.Resource[];
  /** Docker CLI config with registry credentials, when the registry requires them. */
  dockerConfig?: pulumi.Input<string>;
}

/**
 * Declares the client containers of a workload under `parent`: one RemoteImage per distinct
 * client image named in the config, then the containers, each depending on `dependsOn`
 * (daemon and registry) so it is created after them.
 */
export function declareClients(
  name: string,
  parent: pulumi.Resource,
  args: WorkloadArgs,
  connection: DaemonConnection,
  dependsOn: pulumi.Resource[],
): docker.Container[] {
  const clients = args.workloads.clients;
  const images: Record<string, pulumi.Output<string>> = {};
  const distinct = [...new Set(clients.filter((client) => client.count > 0 && client.image).map((client) => client.image!))];
  for (const reference of distinct) {
    // Named after the reference, so reordering clients in the config changes nothing.
    const slug = reference.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    images[reference] = new docker.RemoteImage(`${name}-client-image-${slug}`, { name: reference, keepLocally: true }, { parent }).imageId;
  }
  const specs = clientContainerSpecs(clients, {
    stack: args.stack,
    defaultImage: args.image,
    images,
    networkName: args.networkName,
    containerName: args.names.client,
    readyTimeoutSeconds: args.workloads.readyTimeoutSeconds,
    connection,
    dockerConfig: args.dockerConfig,
  });
  return specs.map((spec) => new docker.Container(`${name}-client-${spec.id}`, spec.args, { parent, dependsOn }));
}
