import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings, DindImageSettings, KubernetesSettings, WorkloadSettings } from "../config/schema";
import { contentDigest, clusterDaemonJson, daemonJsonConfigMapArgs, daemonJsonText } from "./daemon-config";
import { objectLabels } from "./labels";
import { secretArgs } from "./registry-objects";
import { clientEnvSecretName, DOCKER_CONFIG_KEY, REGISTRY_CA_KEY } from "./runner-pod";
import { runnerDisruptionBudgetArgs, runnerEgressPolicyArgs, runnerHeadlessServiceArgs } from "./runner-policies";
import { keptStorageClass } from "./storage-class";
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
  /** Every name (with port) of the registry's Service: the DinD daemons reach it over plain HTTP, or trust its CA under each with registry TLS. */
  registryNames: string[];
  /** The architecture the DinD image is built for. */
  arch: DindImageSettings["arch"];
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
 * The runners of a stack on a cluster: one workload per client group (a StatefulSet with its
 * headless Service, or a Deployment) with a PodDisruptionBudget, the DinD daemons' daemon.json
 * (and the registry's CA) in ConfigMaps, the credentials they need in Secrets, a NetworkPolicy
 * that lets nothing connect to the runner pods and one that keeps them from link-local
 * addresses (the cloud's metadata endpoint).
 */
export class ClusterRunners extends pulumi.ComponentResource {
  /** kubectl names of the workloads, e.g. `deployment/runner`. */
  readonly workloadRefs: string[];
  /** The storage classes of the DinD cache claim templates; fails (naming the config key) when the config names another. */
  readonly storageClasses: pulumi.Output<(string | undefined)[]>;

  constructor(name: string, args: ClusterRunnersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:kubernetes:ClusterRunners", name, {}, opts);
    const { stack, namespace, mode } = args;
    const dependsOn: pulumi.Input<pulumi.Resource>[] = [...args.dependsOn];
    const tls = args.kubernetes.registryTls;
    const text = daemonJsonText(clusterDaemonJson(args.daemon, args.kubernetes, tls ? [] : args.registryNames, args.hubMirror));
    if (mode === "dind") dependsOn.push(new k8s.core.v1.ConfigMap(`${name}-daemon-json`, daemonJsonConfigMapArgs(stack, namespace, text), { parent: this }));
    const registryCa = mode === "dind" && tls ? { configMap: "registry-ca", registryNames: args.registryNames } : undefined;
    if (registryCa && tls) {
      const data = { [REGISTRY_CA_KEY]: tls.caCertificate };
      dependsOn.push(new k8s.core.v1.ConfigMap(`${name}-registry-ca`, { metadata: { name: registryCa.configMap, namespace, labels: objectLabels(stack, "dind-config") }, data }, { parent: this }));
    }
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
    new k8s.networking.v1.NetworkPolicy(`${name}-egress-policy`, runnerEgressPolicyArgs(stack, namespace, args.kubernetes), { parent: this });
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
      arch: args.arch,
      registryCa,
      daemonJsonDigest: contentDigest(text),
    };
    const storageClasses: pulumi.Output<string | undefined>[] = [];
    this.workloadRefs = args.workloads.clients.map((client) => {
      const workload: RunnerWorkload = runnerWorkload(client, context);
      const envSecret =
        args.workloads.clientValuesSecret && Object.keys(client.env).length > 0
          ? [new k8s.core.v1.Secret(`${name}-${client.name}-env`, secretArgs(stack, "runner", namespace, clientEnvSecretName(client), client.env), { parent: this })]
          : [];
      const options = { parent: this, dependsOn: [...dependsOn, ...envSecret] };
      new k8s.policy.v1.PodDisruptionBudget(`${name}-${client.name}-disruption`, runnerDisruptionBudgetArgs(stack, namespace, client, args.kubernetes), { parent: this });
      if (workload.kind === "StatefulSet") {
        const governing = new k8s.core.v1.Service(`${name}-${client.name}-pods`, runnerHeadlessServiceArgs(stack, namespace, client), { parent: this });
        // pulumi-kubernetes replaces a StatefulSet whose volumeClaimTemplates or serviceName
        // change (the API server refuses to update them): every runner pod would stop at once,
        // and the claims it made stay (Retain) and are used again by the new pods, so a new size
        // or class would not reach them anyway, or they go with it (Delete) and the caches are
        // lost. The templates stay as created: another storage class is refused
        // (keptStorageClass), and docs/kubernetes.md says how to resize or move the cache claims.
        // A StatefulSet made before it had a serviceName keeps running without one.
        const set = new k8s.apps.v1.StatefulSet(`${name}-${client.name}`, workload.args, {
          ...options,
          dependsOn: [...options.dependsOn, governing],
          ignoreChanges: ["spec.volumeClaimTemplates", "spec.serviceName"],
        });
        const made = set.spec.apply((spec) => spec.volumeClaimTemplates?.[0]?.spec?.storageClassName);
        storageClasses.push(keptStorageClass(`the DinD cache claims of client group ${client.name}`, args.kubernetes.storageClassName, made));
      } else {
        new k8s.apps.v1.Deployment(`${name}-${client.name}`, workload.args, options);
      }
      return workloadRef(workload.kind, client.name);
    });
    this.storageClasses = pulumi.all(storageClasses);
    this.registerOutputs({ workloadRefs: this.workloadRefs, storageClasses: this.storageClasses });
  }
}
