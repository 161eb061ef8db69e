import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { htpasswdLine } from "../registry/htpasswd";
import { registryConfig } from "../registry/registry-config";
import { registryClaimArgs, registryDeploymentArgs, RegistryObjectsContext, registryNetworkPolicyArgs, registryServiceArgs, secretArgs } from "./registry-objects";
import { REGISTRY_SECRET_KEYS } from "./registry-pod";
import { secretRolloutDigest } from "./secret-digest";

/** Arguments of a ClusterRegistry: what its objects need (their names aside) and the passwords. */
export interface ClusterRegistryArgs extends Omit<RegistryObjectsContext, "refs"> {
  /** Password of settings.auth.username (a Pulumi secret). */
  password?: pulumi.Output<string>;
  /** Password of settings.proxy.username (a Pulumi secret). */
  proxyPassword?: pulumi.Output<string>;
}

/**
 * registry:2 on a cluster: a Deployment (Recreate) with its data on a volume claim, its
 * config.yml (and htpasswd when auth is on) in a Secret, a Service on 5000 and a
 * NetworkPolicy that admits only the stack's runner pods.
 */
export class ClusterRegistry extends pulumi.ComponentResource {
  /** The registry's Service. */
  readonly service: k8s.core.v1.Service;
  /** The registry's Deployment. */
  readonly deployment: k8s.apps.v1.Deployment;
  /** Name of the data volume claim. */
  readonly claimName: string;

  constructor(name: string, args: ClusterRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:kubernetes:ClusterRegistry", name, {}, opts);
    const { settings, stack, namespace } = args;
    const refs = { claim: "registry-data", configSecret: "registry-config" };
    const context: RegistryObjectsContext = { stack, namespace, runnersNamespace: args.runnersNamespace, settings, kubernetes: args.kubernetes, refs };
    const data: Record<string, pulumi.Input<string>> = {
      [REGISTRY_SECRET_KEYS.config]: pulumi.output(args.proxyPassword).apply((password) => JSON.stringify(registryConfig(settings, password), null, 2)),
    };
    const auth = settings.auth;
    if (auth && args.password) data[REGISTRY_SECRET_KEYS.htpasswd] = args.password.apply((password) => htpasswdLine(stack, auth.username, password));
    const config = new k8s.core.v1.Secret(`${name}-config`, secretArgs(stack, "registry", namespace, refs.configSecret, data), { parent: this });
    // The digest is made so that it reveals nothing usable about the Secret; it is not kept a
    // Pulumi secret, so a preview shows when the registry will restart.
    const configDigest = pulumi.unsecret(pulumi.all(data).apply((content) => secretRolloutDigest(stack, "registry-config", content)));
    // A change of storage class (or access mode) would make pulumi-kubernetes replace the claim,
    // delete first: the registry's data would go with it (or, kept by retainOnDelete, the new
    // claim would collide with the old one). The claim keeps what it was created with; only a
    // larger size is applied (the API server expands the volume where the class allows it).
    const claim = new k8s.core.v1.PersistentVolumeClaim(`${name}-data`, registryClaimArgs(context), {
      parent: this,
      retainOnDelete: settings.retainDataOnDelete,
      ignoreChanges: ["spec.storageClassName", "spec.accessModes"],
    });
    this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, registryDeploymentArgs(context, configDigest), { parent: this, dependsOn: [claim, config] });
    this.service = new k8s.core.v1.Service(`${name}-service`, registryServiceArgs(context), { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, registryNetworkPolicyArgs(context), { parent: this });
    this.claimName = refs.claim;
    this.registerOutputs({ claimName: this.claimName });
  }
}
