// The prod stack (Kubernetes target, DinD with native sidecars and a cache claim per pod)
// under Pulumi mocks: every object, its key fields, labels and selectors, probes, security
// contexts, what the namespaces' Pod Security labels admit, and the registry's login.
import { createHash } from "node:crypto";
import * as bcrypt from "bcryptjs";
import { dependencyNames, DOCKER, named, parentName, registeredAfter } from "../../support/resource-queries";
import { admission, K8S, kubernetesObjects, namespaceLabels, podTemplates, selects } from "../../support/kubernetes-objects";
import { ProgramRun, runProgram } from "../../support/run-program";
import { deployableStack } from "../../support/stack-config";

const REGISTRY_NS = "dind-stack-prod-registry";
const RUNNERS_NS = "dind-stack-prod-runners";
const SERVICE_ADDRESS = "registry.dind-stack-prod-registry.svc:5000";
const PASSWORD = deployableStack("prod").config["dind-stack:registryPassword"];

describe("the prod stack (Kubernetes, DinD)", () => {
  let run: ProgramRun;
  const inputs = (name: string) => named(run.resources, name).inputs;
  const runnerPod = () => inputs("prod-runners-runner").spec.template.spec;
  const registryPod = () => inputs("prod-registry-deployment").spec.template.spec;

  beforeAll(async () => {
    const { config, secretKeys } = deployableStack("prod");
    run = await runProgram("prod", config, secretKeys);
  });

  test("declares exactly these objects, each under its component", () => {
    expect(run.resources.map((resource) => `${resource.type} ${resource.name} <- ${parentName(resource) ?? ""}`).sort()).toEqual(
      [
        "dind-stack:kubernetes:KubernetesEnvironment prod <- ",
        "pulumi:providers:kubernetes prod-provider <- prod",
        `${K8S.namespace} prod-registry-namespace <- prod`,
        `${K8S.namespace} prod-runners-namespace <- prod`,
        "dind-stack:kubernetes:ClusterRegistry prod-registry <- prod",
        `${K8S.secret} prod-registry-config <- prod-registry`,
        `${K8S.claim} prod-registry-data <- prod-registry`,
        `${K8S.deployment} prod-registry-deployment <- prod-registry`,
        `${K8S.service} prod-registry-service <- prod-registry`,
        `${K8S.networkPolicy} prod-registry-network-policy <- prod-registry`,
        "dind-stack:image:DindImage prod-dind-image <- prod",
        `${DOCKER.image} prod-dind-image-image <- prod-dind-image`,
        "dind-stack:kubernetes:ClusterRunners prod-runners <- prod",
        `${K8S.configMap} prod-runners-daemon-json <- prod-runners`,
        `${K8S.secret} prod-runners-registry-credentials <- prod-runners`,
        `${K8S.networkPolicy} prod-runners-network-policy <- prod-runners`,
        `${K8S.networkPolicy} prod-runners-egress-policy <- prod-runners`,
        `${K8S.podDisruptionBudget} prod-runners-runner-disruption <- prod-runners`,
        `${K8S.service} prod-runners-runner-pods <- prod-runners`,
        `${K8S.statefulSet} prod-runners-runner <- prod-runners`,
      ].sort(),
    );
  });

  test("every object is in its namespace and carries the recommended and the stack's labels", () => {
    const placed = Object.fromEntries(kubernetesObjects(run.resources).map((resource) => [resource.name, resource.inputs.metadata.namespace ?? null]));
    expect(placed).toEqual({
      "prod-registry-namespace": null,
      "prod-runners-namespace": null,
      "prod-registry-config": REGISTRY_NS,
      "prod-registry-data": REGISTRY_NS,
      "prod-registry-deployment": REGISTRY_NS,
      "prod-registry-service": REGISTRY_NS,
      "prod-registry-network-policy": REGISTRY_NS,
      "prod-runners-daemon-json": RUNNERS_NS,
      "prod-runners-registry-credentials": RUNNERS_NS,
      "prod-runners-network-policy": RUNNERS_NS,
      "prod-runners-egress-policy": RUNNERS_NS,
      "prod-runners-runner-disruption": RUNNERS_NS,
      "prod-runners-runner-pods": RUNNERS_NS,
      "prod-runners-runner": RUNNERS_NS,
    });
    for (const resource of kubernetesObjects(run.resources)) {
      expect(resource.inputs.metadata.labels).toMatchObject({ "app.kubernetes.io/part-of": "dind-stack", "app.kubernetes.io/managed-by": "pulumi", "org.dind-stack.stack": "prod" });
    }
    for (const pod of podTemplates(run.resources)) expect(pod.labels).toMatchObject({ "org.dind-stack.stack": "prod", "app.kubernetes.io/instance": "dind-stack-prod" });
  });

  test("selectors select their own pods and nothing else's", () => {
    const registry = inputs("prod-registry-deployment");
    const runners = inputs("prod-runners-runner");
    expect(selects(registry.spec.selector.matchLabels, registry.spec.template.metadata.labels)).toBe(true);
    expect(selects(runners.spec.selector.matchLabels, runners.spec.template.metadata.labels)).toBe(true);
    expect(selects(registry.spec.selector.matchLabels, runners.spec.template.metadata.labels)).toBe(false);
    expect(selects(runners.spec.selector.matchLabels, registry.spec.template.metadata.labels)).toBe(false);
    const service = inputs("prod-registry-service").spec;
    expect(selects(service.selector, registry.spec.template.metadata.labels)).toBe(true);
    expect(selects(service.selector, runners.spec.template.metadata.labels)).toBe(false);
  });

  test("the registry's NetworkPolicy admits the runner pods of the runners' namespace on 5000, nothing else", () => {
    const policy = inputs("prod-registry-network-policy").spec;
    expect(selects(policy.podSelector.matchLabels, inputs("prod-registry-deployment").spec.template.metadata.labels)).toBe(true);
    expect(policy.policyTypes).toEqual(["Ingress"]);
    const [rule] = policy.ingress;
    expect(rule.ports).toEqual([{ port: 5000, protocol: "TCP" }]);
    expect(rule.from).toHaveLength(1);
    const [peer] = rule.from;
    expect(selects(peer.namespaceSelector.matchLabels, namespaceLabels(run.resources, RUNNERS_NS))).toBe(true);
    expect(selects(peer.namespaceSelector.matchLabels, namespaceLabels(run.resources, REGISTRY_NS))).toBe(false);
    expect(selects(peer.podSelector.matchLabels, inputs("prod-runners-runner").spec.template.metadata.labels)).toBe(true);
    expect(selects(peer.podSelector.matchLabels, inputs("prod-registry-deployment").spec.template.metadata.labels)).toBe(false);
    expect(inputs("prod-runners-network-policy").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
  });

  test("the namespaces' Pod Security labels admit exactly their pods: restricted for the registry, privileged only where the DinD daemons need it", () => {
    expect(admission(run.resources)).toEqual({
      [REGISTRY_NS]: { level: "restricted", refused: [], refusedIfStricter: undefined },
      [RUNNERS_NS]: { level: "privileged", refused: [], refusedIfStricter: ['runner: privileged (container "dind" must not set securityContext.privileged=true)'] },
    });
    expect(inputs("prod-registry-namespace").metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
  });

  test("the registry: one replica, Recreate, its config and data from a Secret and a claim, probes of /v2/ (liveness passing while garbage-collect runs), requests and limits", () => {
    const deployment = inputs("prod-registry-deployment").spec;
    expect(deployment).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    const [container] = registryPod().containers;
    expect(container).toMatchObject({
      image: "registry:2",
      // The garbage collection loop serves the config; GC every 24 h, untagged manifests too.
      command: ["/bin/sh", "-c", expect.stringContaining("registry garbage-collect"), "registry-gc", "/etc/dind-stack/registry/config.yml", "86400", "true", "/tmp/registry-gc.running"],
      ports: [{ name: "http", containerPort: 5000 }],
      // /v2/ answers 401 with authentication, which an httpGet probe would count as a failure.
      readinessProbe: { exec: { command: ["sh", "-c", expect.stringContaining("http://127.0.0.1:5000/v2/")] } },
      livenessProbe: { exec: { command: ["sh", "-c", expect.stringMatching(/^\[ -e \/tmp\/registry-gc\.running \] \|\| \{ wget .*http:\/\/127\.0\.0\.1:5000\/v2\//)] } },
      resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "128Mi" }, limits: { cpu: "1", memory: "512Mi", "ephemeral-storage": "1Gi" } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    });
    expect(container.env).toBeUndefined();
    expect(registryPod()).toMatchObject({
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
      volumes: [
        { name: "data", persistentVolumeClaim: { claimName: "registry-data" } },
        { name: "config", secret: { secretName: expect.stringMatching(/^prod-registry-config-[0-9a-f]{8}$/), defaultMode: 0o440 } },
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
      ],
      nodeSelector: { "kubernetes.io/os": "linux" },
    });
    const config = JSON.parse(inputs("prod-registry-config").stringData["config.yml"]);
    expect(config).toMatchObject({ storage: { filesystem: { rootdirectory: "/var/lib/registry" }, delete: { enabled: true } }, http: { addr: ":5000" } });
    expect(named(run.resources, "prod-registry-config").secretPaths).toEqual(["stringData"]);
    // The cluster's default storage class: the sample names none.
    expect(inputs("prod-registry-data").spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } });
    expect(inputs("prod-registry-service").spec).toMatchObject({ type: "ClusterIP", ports: [{ port: 5000, targetPort: "http" }] });
  });

  test("the registry requires a login by default: user dind-stack, whose bcrypt entry is only in the registry's immutable Secret; the runners get the credentials through a Secret of their own; all of it as Pulumi secrets", () => {
    const config = named(run.resources, "prod-registry-config");
    expect(config.inputs).toMatchObject({ immutable: true, type: "Opaque" });
    // Named by pulumi-kubernetes, so a new content means a new name, which the pod template follows.
    expect(config.inputs.metadata.name).toBeUndefined();
    expect(JSON.parse(config.inputs.stringData["config.yml"]).auth).toEqual({ htpasswd: { realm: "dind-stack registry", path: "/etc/dind-stack/registry/htpasswd" } });
    const [user, hash] = config.inputs.stringData.htpasswd.trimEnd().split(":");
    expect(user).toBe("dind-stack");
    expect(bcrypt.compareSync(PASSWORD, hash)).toBe(true);
    expect(config.secretPaths).toEqual(["stringData"]);
    const credentials = named(run.resources, "prod-runners-registry-credentials");
    expect(credentials.inputs.metadata).toMatchObject({ name: "registry-credentials", namespace: RUNNERS_NS });
    expect(JSON.parse(credentials.inputs.stringData["config.json"])).toEqual({ auths: { [SERVICE_ADDRESS]: { auth: Buffer.from(`dind-stack:${PASSWORD}`).toString("base64") } } });
    expect(credentials.secretPaths).toEqual(["stringData"]);
    // Nothing on the registry's pod template depends on the password.
    expect(inputs("prod-registry-deployment").spec.template.metadata.annotations).toBeUndefined();
  });

  test("the runners: a StatefulSet of 3 whose DinD daemon is a native sidecar with a startup probe, privileged, with daemon.json from the ConfigMap", () => {
    const set = inputs("prod-runners-runner").spec;
    expect(set).toMatchObject({ replicas: 3, serviceName: "runner", podManagementPolicy: "Parallel", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } });
    expect(set.volumeClaimTemplates).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: "docker-data" }), spec: { accessModes: ["ReadWriteOncePod"], resources: { requests: { storage: "30Gi" } } } }),
    ]);
    const [daemon] = runnerPod().initContainers;
    const probe = { exec: { command: ["/usr/local/bin/dind-healthcheck.sh"] } };
    expect(daemon).toMatchObject({
      name: "dind",
      restartPolicy: "Always",
      securityContext: { privileged: true },
      env: [
        { name: "DOCKER_TLS_CERTDIR", value: "/certs" },
        { name: "DIND_MTU", value: "1400" },
      ],
      startupProbe: { ...probe, periodSeconds: 2, failureThreshold: 60 },
      readinessProbe: probe,
      livenessProbe: probe,
      resources: { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { cpu: "4", memory: "8Gi", "ephemeral-storage": "2Gi" } },
      volumeMounts: [
        { name: "docker-data", mountPath: "/var/lib/docker" },
        { name: "daemon-json", mountPath: "/etc/docker/daemon.json", subPath: "daemon.json", readOnly: true },
        { name: "docker-certs", mountPath: "/certs/client" },
      ],
    });
    expect(daemon.env.map((entry: { name: string }) => entry.name)).not.toContain("DOCKER_HOST");
    expect(runnerPod().volumes).toEqual([
      { name: "daemon-json", configMap: { name: "dind-daemon-json", items: [{ key: "daemon.json", path: "daemon.json" }] } },
      { name: "docker-certs", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
      { name: "docker-config", secret: { secretName: "registry-credentials", items: [{ key: "config.json", path: "config.json" }], defaultMode: 0o400 } },
    ]);
    const daemonJson = inputs("prod-runners-daemon-json").data["daemon.json"];
    expect(JSON.parse(daemonJson)).toEqual({
      "insecure-registries": [SERVICE_ADDRESS, "registry.dind-stack-prod-registry:5000", "registry.dind-stack-prod-registry.svc.cluster.local:5000"].map((name) => `http://${name}`),
      "log-driver": "json-file",
      "log-opts": { "max-size": "20m", "max-file": "3" },
      builder: { gc: { enabled: true, defaultKeepStorage: "10Gi" } },
      // The pod's grace period (120 s) less 30 s for dockerd's own exit.
      "shutdown-timeout": 90,
      // No Docker Hub mirror: the runners push to the registry, so a mirror there would let one
      // runner change what every other runner's `FROM <Hub image>` pulls.
    });
    // A changed daemon.json changes the pod template, so the pods roll.
    expect(inputs("prod-runners-runner").spec.template.metadata.annotations["org.dind-stack.daemon-json-sha256"]).toBe(createHash("sha256").update(daemonJson).digest("hex").slice(0, 16));
  });

  test("the job container reaches its sidecar over TLS on localhost with the certificates from the in-memory emptyDir, read-only", () => {
    const [job] = runnerPod().containers;
    expect(job).toMatchObject({
      name: "job",
      args: ["sleep", "infinity"],
      securityContext: { allowPrivilegeEscalation: false },
      volumeMounts: [
        { name: "docker-certs", mountPath: "/certs/client", readOnly: true },
        { name: "docker-config", mountPath: "/etc/dind-stack/docker", readOnly: true },
      ],
    });
    expect(job.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(job.env).toEqual([
      { name: "DOCKER_HOST", value: "tcp://localhost:2376" },
      { name: "DOCKER_TLS_VERIFY", value: "1" },
      { name: "DOCKER_CERT_PATH", value: "/certs/client" },
      { name: "DIND_STACK_REGISTRY", value: SERVICE_ADDRESS },
      { name: "DIND_STACK_BUILD_CACHE", value: `${SERVICE_ADDRESS}/build-cache` },
      { name: "DIND_READY_TIMEOUT", value: "120" },
      { name: "DOCKER_CONFIG", value: "/etc/dind-stack/docker" },
      { name: "CI", value: "true" },
    ]);
    expect(job.securityContext.privileged).toBeUndefined();
    expect(runnerPod()).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false });
    expect(inputs("prod-runners-runner").spec.template.metadata.annotations["kubectl.kubernetes.io/default-container"]).toBe("job");
  });

  test("the DinD image is built here and pushed to the registry the nodes pull from; the pods use what was pushed", () => {
    const image = named(run.resources, "prod-dind-image-image");
    expect(image.inputs).toMatchObject({ imageName: "registry.example.com/platform/dind:25.0.5-prod", skipPush: false, registry: { server: "registry.example.com" } });
    const set = named(run.resources, "prod-runners-runner");
    expect(registeredAfter(set, image)).toBe(true);
    const ref = (run.outputs.dindImage as { ref: string }).ref;
    expect(set.inputs.spec.template.spec.initContainers[0].image).toBe(ref);
    expect(set.inputs.spec.template.spec.containers[0].image).toBe(ref);
    expect(set.inputs.spec.template.spec.imagePullSecrets).toBeUndefined();
  });

  test("order and keeping data: the runners wait for the registry and their ConfigMap; claims and the namespaces holding them survive a destroy", () => {
    expect(dependencyNames(named(run.resources, "prod-runners-runner"))).toEqual(
      expect.arrayContaining(["prod-registry-deployment", "prod-registry-service", "prod-runners-daemon-json", "prod-runners-registry-credentials", "prod-runners-namespace"]),
    );
    expect(dependencyNames(named(run.resources, "prod-registry-deployment"))).toEqual(expect.arrayContaining(["prod-registry-data", "prod-registry-config", "prod-registry-namespace"]));
    const retained = run.resources.filter((resource) => resource.options.retainOnDelete).map((resource) => resource.name);
    expect(retained.sort()).toEqual(["prod-registry-data", "prod-registry-namespace", "prod-runners-namespace"]);
  });

  test("stack outputs", () => {
    expect(run.outputs).toEqual({
      mode: "dind",
      registryClusterAddress: SERVICE_ADDRESS,
      namespaces: { registry: REGISTRY_NS, runners: RUNNERS_NS },
      pushRegistry: SERVICE_ADDRESS,
      dockerHost: "tcp://localhost:2376",
      dockerCertPath: "/certs/client",
      dindImage: { name: "registry.example.com/platform/dind:25.0.5-prod", ref: expect.stringMatching(/^sha256:/) },
      runnerWorkloads: ["statefulset/runner"],
      dataVolumes: [`${REGISTRY_NS}/registry-data`, `${RUNNERS_NS}/docker-data-runner-0`, `${RUNNERS_NS}/docker-data-runner-1`, `${RUNNERS_NS}/docker-data-runner-2`],
      hostDaemonJson: "",
      usage:
        `kubectl -n ${RUNNERS_NS} exec -it statefulset/runner -c job -- sh, then in a checkout: docker build -t ${SERVICE_ADDRESS}/app . && docker push ${SERVICE_ADDRESS}/app ` +
        "(builds on the pod's DinD sidecar, over TLS on localhost)",
    });
  });
});
