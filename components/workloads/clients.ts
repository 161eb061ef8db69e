import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadSettings } from "../config/schema";
import { NAMED_CONTAINER_OPTIONS } from "../container-options";
import { imageSlug, ObjectNames } from "../naming";
import { clientContainerSpecs, DaemonConnection } from "./client-spec";

/** Arguments every workload (DinD or DooD) takes. */
export interface WorkloadArgs {
  /** Stack name, for labels. */
  stack: string;
  /** Names of the stack's Docker objects. */
  names: ObjectNames;
  /** The image of the DinD daemon and of the clients that name none (it has the docker CLI): the DinD image, or in DooD mode the client image. */
  image: pulumi.Input<string>;
  /** The stack's network. */
  networkName: pulumi.Input<string>;
  /** Validated workload settings. */
  workloads: WorkloadSettings;
  /** Resources the clients wait for besides their daemon (the registry). */
  dependsOn: pulumi.Resource[];
  /** Docker CLI config with registry credentials, when the registry requires them. */
  dockerConfig?: pulumi.Input<string>;
  /** The other mode's workload (its name and URN): its clients had the same container names, and are these clients' aliases. */
  otherMode: OtherModeWorkload;
}

/** The workload a stack had in its other mode (dind or dood). */
export interface OtherModeWorkload {
  /** Its logical name, e.g. `ci-dood`. */
  name: string;
  /** Its URN. */
  urn: pulumi.Input<string>;
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
  // A stack switched between dind and dood keeps its clients' container names, while the
  // workload they belong to, and so their URNs, change: found by their aliases, the clients of
  // the other mode are replaced (deleted first) instead of left to collide with the new ones
  // ("name ... is already in use") and deleted only at the end.
  const formerly = (suffix: string): pulumi.Alias[] => [{ name: `${args.otherMode.name}-${suffix}`, parent: args.otherMode.urn }];
  for (const reference of distinct) {
    const suffix = `client-image-${imageSlug(reference)}`;
    images[reference] = new docker.RemoteImage(`${name}-${suffix}`, { name: reference, keepLocally: true }, { parent, aliases: formerly(suffix) }).imageId;
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
    secretValues: args.workloads.clientValuesSecret,
  });
  // Fixed container names (dind-stack-<stack>-<group>-<n>): a replacement must remove the old
  // container before creating the new one (NAMED_CONTAINER_OPTIONS).
  return specs.map(
    (spec) => new docker.Container(`${name}-client-${spec.id}`, spec.args, { parent, dependsOn, ...NAMED_CONTAINER_OPTIONS, aliases: formerly(`client-${spec.id}`) }),
  );
}
