import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RegistrySettings } from "../config/schema";
import { htpasswdLine } from "../registry/htpasswd";
import { KubernetesSettings } from "./settings";
import { registryClaimArgs, registryDeploymentArgs, RegistryObjectsContext, registryNetworkPolicyArgs, registryServiceArgs, secretArgs } from "./registry-objects";
import { HTPASSWD_KEY, PROXY_PASSWORD_KEY } from "./registry-pod";

/** Arguments of a ClusterRegistry. */
export interface ClusterRegistryArgs {
  /** Stack name, for labels and the htpasswd salt. */
  stack: string;
  /** The registry's namespace (the Namespace resource's name). */
  namespace: pulumi.Input<string>;
  /** The runners' namespace (its runner pods are admitted by the NetworkPolicy). */
  runnersNamespace: pulumi.Input<string>;
  /** Validated registry settings. */
  settings: RegistrySettings;
  /** Validated Kubernetes settings. */
  kubernetes: KubernetesSettings;
  /** Password of settings.auth.username (a Pulumi secret). */
  password?: pulumi.Output<string>;
  /** Password of settings.proxy.username (a Pulumi secret). */
  proxyPassword?: pulumi.Output<string>;
}

/**
 * registry:2 on a cluster: a Deployment (Recreate) with its data on a volume claim, a
 * Service on 5000, optional htpasswd auth from a Secret and a NetworkPolicy that admits only
 * the stack's runner pods.
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
    const auth = settings.auth;
    const refs = {
      claim: "registry-data",
      htpasswdSecret: auth && args.password ? "registry-htpasswd" : undefined,
      proxySecret: args.proxyPassword ? "registry-proxy" : undefined,
    };
    const context: RegistryObjectsContext = { stack, namespace, runnersNamespace: args.runnersNamespace, settings, kubernetes: args.kubernetes, refs };
    const secrets: pulumi.Resource[] = [];
    if (refs.htpasswdSecret && auth && args.password) {
      const line = args.password.apply((password) => htpasswdLine(stack, auth.username, password));
      secrets.push(new k8s.core.v1.Secret(`${name}-htpasswd`, secretArgs(stack, "registry", namespace, refs.htpasswdSecret, HTPASSWD_KEY, line), { parent: this }));
    }
    if (refs.proxySecret && args.proxyPassword) {
      secrets.push(new k8s.core.v1.Secret(`${name}-proxy`, secretArgs(stack, "registry", namespace, refs.proxySecret, PROXY_PASSWORD_KEY, args.proxyPassword), { parent: this }));
    }
    const claim = new k8s.core.v1.PersistentVolumeClaim(`${name}-data`, registryClaimArgs(context), { parent: this, retainOnDelete: settings.retainDataOnDelete });
    this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, registryDeploymentArgs(context), { parent: this, dependsOn: [claim, ...secrets] });
    this.service = new k8s.core.v1.Service(`${name}-service`, registryServiceArgs(context), { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, registryNetworkPolicyArgs(context), { parent: this });
    this.claimName = refs.claim;
    this.registerOutputs({ claimName: this.claimName });
  }
}
