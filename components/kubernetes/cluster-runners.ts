import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings, KubernetesSettings, WorkloadSettings } from "../config/schema";
import { contentDigest, clusterDaemonJson, daemonJsonConfigMapArgs, daemonJsonText } from "./daemon-config";
import { objectLabels } from "./labels";
import { secretArgs } from "./registry-objects";
import { clientEnvSecretName, DOCKER_CONFIG_KEY } from "./runner-pod";
import { runnerWorkload, RunnerWorkload, workloadRef } from "./runner-workloads";

/** Arguments of ClusterRunners. */
export interface ClusterRunnersArgs {
  /** Stack name, for labels. */
  stack: string;
  /** dind or dood. */
  mode: "dind" | "dood";
  /** The runners' namespace (the Namespace resource's name). */
  namespace: pulumi.Input<string>;
  /** Validated daemon settings. */
  daemon: DaemonSettings;
  /** Validated workload settings (the client groups). */
  workloads: WorkloadSettings;
  /** Validated Kubernetes settings. */
  kubernetes: KubernetesSettings;
  /** The DinD image reference the cluster pulls. */
  image: pulumi.Input<string>;
  /** The registry's Service address, which the DinD daemons trust over plain HTTP. */
  registryClusterAddress: string;
  /** The registry as the DinD daemons' Docker Hub mirror (`http://<Service address>`), when it can serve as one. */
  hubMirror?: string;
  /** Where pushes go, as the pushing daemon reaches the registry. */
  pushRegistry: pulumi.Input<string>;
  /** Docker CLI config.json with the registry's credentials, when it has auth. */
  dockerConfig?: pulumi.Input<string>;
  /** `.dockerconfigjson` to pull the DinD image, when its registry needs credentials. */
  imagePullConfig?: pulumi.Input<string>;
  /** Resources the runners wait for (the registry). */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The runners of a stack on a cluster: one workload per client group, the DinD daemons'
 * daemon.json in a ConfigMap, the credentials they need in Secrets, and a NetworkPolicy that
 * lets nothing connect to the runner pods.
 */
export class ClusterRunners extends pulumi.ComponentResource {
  /** kubectl names of the workloads, e.g. `deployment/runner`. */
  readonly workloadRefs: string[];

  constructor(name: string, args: ClusterRunnersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:kubernetes:ClusterRunners", name, {}, opts);
    const { stack, namespace, mode } = args;
    const dependsOn: pulumi.Input<pulumi.Resource>[] = [...args.dependsOn];
    const text = daemonJsonText(clusterDaemonJson(args.daemon, args.registryClusterAddress, args.hubMirror));
    if (mode === "dind") dependsOn.push(new k8s.core.v1.ConfigMap(`${name}-daemon-json`, daemonJsonConfigMapArgs(stack, namespace, text), { parent: this }));
    const dockerConfigSecret = args.dockerConfig ? "registry-credentials" : undefined;
    if (dockerConfigSecret && args.dockerConfig) {
      dependsOn.push(new k8s.core.v1.Secret(`${name}-registry-credentials`, secretArgs(stack, "runner", namespace, dockerConfigSecret, { [DOCKER_CONFIG_KEY]: args.dockerConfig }), { parent: this }));
    }
    const imagePullSecret = args.imagePullConfig ? "dind-image-pull" : undefined;
    if (imagePullSecret && args.imagePullConfig) {
      const pull = new k8s.core.v1.Secret(
        `${name}-image-pull`,
        {
          metadata: { name: imagePullSecret, namespace, labels: objectLabels(stack, "runner") },
          type: "kubernetes.io/dockerconfigjson",
          stringData: { ".dockerconfigjson": pulumi.secret(args.imagePullConfig) },
        },
        { parent: this },
      );
      dependsOn.push(pull);
    }
    new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      {
        metadata: { name: "runners-deny-ingress", namespace, labels: objectLabels(stack, "runner") },
        spec: { podSelector: {}, policyTypes: ["Ingress"] },
      },
      { parent: this },
    );
    const context = {
      stack,
      namespace,
      mode,
      daemon: args.daemon,
      workloads: args.workloads,
      kubernetes: args.kubernetes,
      image: args.image,
      pushRegistry: args.pushRegistry,
      dockerConfigSecret,
      imagePullSecret,
      daemonJsonDigest: contentDigest(text),
    };
    this.workloadRefs = args.workloads.clients.map((client) => {
      const workload: RunnerWorkload = runnerWorkload(client, context);
      const envSecret =
        args.workloads.clientValuesSecret && Object.keys(client.env).length > 0
          ? [new k8s.core.v1.Secret(`${name}-${client.name}-env`, secretArgs(stack, "runner", namespace, clientEnvSecretName(client), client.env), { parent: this })]
          : [];
      const options = { parent: this, dependsOn: [...dependsOn, ...envSecret] };
      // pulumi-kubernetes replaces a StatefulSet whose volumeClaimTemplates change (the API
      // server refuses to update them): every runner pod would stop at once, and the claims it
      // made stay (Retain) and are used again by the new pods, so a new size or class would not
      // reach them anyway, or they go with it (Delete) and the caches are lost. The templates
      // stay as created; docs/changes.md says how to resize or move the cache claims.
      if (workload.kind === "StatefulSet") new k8s.apps.v1.StatefulSet(`${name}-${client.name}`, workload.args, { ...options, ignoreChanges: ["spec.volumeClaimTemplates"] });
      else new k8s.apps.v1.Deployment(`${name}-${client.name}`, workload.args, options);
      return workloadRef(workload.kind, client.name);
    });
    this.registerOutputs({ workloadRefs: this.workloadRefs });
  }
}
