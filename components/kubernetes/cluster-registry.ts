import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { htpasswdLine } from "../registry/htpasswd";
import { registryConfig } from "../registry/registry-config";
import {
  registryClaimArgs,
  registryConfigSecretArgs,
  registryDeploymentArgs,
  RegistryObjectsContext,
  registryNetworkPolicyArgs,
  registryServiceArgs,
} from "./registry-objects";
import { REGISTRY_SECRET_KEYS, REGISTRY_TLS_FILES } from "./registry-pod";
import { keptStorageClass } from "./storage-class";

/** Arguments of a ClusterRegistry: what its objects need (their names aside) and the passwords. */
export interface ClusterRegistryArgs extends Omit<RegistryObjectsContext, "refs"> {
  /** Password of settings.auth.username (a Pulumi secret). */
  password?: pulumi.Output<string>;
  /** Password of settings.proxy.username (a Pulumi secret). */
  proxyPassword?: pulumi.Output<string>;
}

/**
 * registry:2 on a cluster: a Deployment (Recreate) with its data on a volume claim, its
 * config.yml (and htpasswd when auth is on) in an immutable Secret, a Service on 5000 and a
 * NetworkPolicy that admits only the stack's runner pods.
 */
export class ClusterRegistry extends pulumi.ComponentResource {
  /** The registry's Service. */
  readonly service: k8s.core.v1.Service;
  /** The registry's Deployment. */
  readonly deployment: k8s.apps.v1.Deployment;
  /** Name of the data volume claim. */
  readonly claimName: string;
  /** The storage class the claim has; fails (naming the config key) when the config names another. */
  readonly storageClass: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClusterRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:kubernetes:ClusterRegistry", name, {}, opts);
    const { settings, stack, namespace } = args;
    const data: Record<string, pulumi.Input<string>> = {
      [REGISTRY_SECRET_KEYS.config]: pulumi
        .output(args.proxyPassword)
        .apply((password) => JSON.stringify(registryConfig(settings, password, args.kubernetes.registryTls ? REGISTRY_TLS_FILES : undefined), null, 2)),
    };
    const auth = settings.auth;
    if (auth && args.password) data[REGISTRY_SECRET_KEYS.htpasswd] = args.password.apply((password) => htpasswdLine(stack, auth.username, password));
    // registry:2 reads config.yml and htpasswd only when it starts, so a new password must
    // restart it. The Secret is immutable and named by pulumi-kubernetes (a random suffix):
    // changed content replaces it by a new Secret of a new name, create first, and the
    // Deployment's reference to that name rolls the pod. Nothing on the pod template or in plain
    // state is derived from the content, so nothing there helps to guess the password, and a
    // preview still shows the restart (the reference changes).
    const config = new k8s.core.v1.Secret(`${name}-config`, registryConfigSecretArgs(stack, namespace, data), { parent: this });
    const claimName = "registry-data";
    const context: RegistryObjectsContext = { stack, namespace, runnersNamespace: args.runnersNamespace, settings, kubernetes: args.kubernetes, refs: { claim: claimName, configSecret: config.metadata.name } };
    // A change of storage class (or access mode) would make pulumi-kubernetes replace the claim,
    // delete first: the registry's data would go with it (or, kept by retainOnDelete, the new
    // claim would collide with the old one). The claim keeps what it was created with, and
    // another configured class is refused (keptStorageClass): the pod mounts the claim only
    // once its class is checked, so the refusal comes before the registry is touched. Only a
    // larger size is applied (the API server expands the volume where the class allows it).
    const claim = new k8s.core.v1.PersistentVolumeClaim(`${name}-data`, registryClaimArgs(context), {
      parent: this,
      retainOnDelete: settings.retainDataOnDelete,
      ignoreChanges: ["spec.storageClassName", "spec.accessModes"],
    });
    this.storageClass = keptStorageClass(`the registry's volume claim ${claimName}`, args.kubernetes.storageClassName, claim.spec.storageClassName);
    const checked = { ...context, refs: { ...context.refs, claim: this.storageClass.apply(() => claimName) } };
    this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, registryDeploymentArgs(checked), { parent: this, dependsOn: [claim, config] });
    this.service = new k8s.core.v1.Service(`${name}-service`, registryServiceArgs(context), { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, registryNetworkPolicyArgs(context), { parent: this });
    this.claimName = claimName;
    this.registerOutputs({ claimName: this.claimName, storageClass: this.storageClass });
  }
}
