import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { clusterExposureViolations } from "../../../policy/checks/cluster-exposure";
import { judgeStack } from "../../../policy/stack-containers";
import { NO_OPT_INS } from "../../../policy/stack-opt-ins";
import { readTrustedImages } from "../../../policy/trusted-images";
import { declared } from "./support/declare-resources";
import { RUNNER_LABELS, REGISTRY_LABELS, registryConfigSecret, registryPod, runnerPod } from "./support/kubernetes-fixtures";
import { policyMessages } from "./support/pack-harness";

const exposureFindings = (declare: () => CustomResource[]) => policyMessages("cluster-exposure-needs-registry-auth", "ci", declare);

/** A registry Deployment and the Secret with its config file, which requires auth or not. */
function registry(auth: boolean) {
  return [
    registryConfigSecret("dind-stack", auth),
    new k8s.apps.v1.Deployment("registry", {
      metadata: { name: "registry", namespace: "dind-stack" },
      spec: { strategy: { type: "Recreate" }, selector: { matchLabels: REGISTRY_LABELS }, template: { metadata: { labels: REGISTRY_LABELS }, spec: registryPod() } },
    }),
  ];
}

function runners() {
  return new k8s.apps.v1.Deployment("runner", {
    metadata: { name: "runner", namespace: "dind-stack-runners" },
    spec: { selector: { matchLabels: RUNNER_LABELS }, template: { metadata: { labels: RUNNER_LABELS }, spec: runnerPod() } },
  });
}

function service(name: string, namespace: string, spec: k8s.types.input.core.v1.ServiceSpec) {
  return new k8s.core.v1.Service(name, { metadata: { name, namespace }, spec: { ports: [{ port: 5000 }], ...spec } });
}

function ingress(name: string, backend: string) {
  return new k8s.networking.v1.Ingress(name, {
    metadata: { name, namespace: "dind-stack" },
    spec: { rules: [{ host: "registry.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: backend, port: { number: 5000 } } } }] } }] },
  });
}

test("an in-cluster Service (ClusterIP) to an open registry is fine; only exposure outside the cluster needs auth", async () => {
  expect(await exposureFindings(() => [...registry(false), runners(), service("registry", "dind-stack", { selector: REGISTRY_LABELS })])).toEqual([]);
});

test.each([
  ["NodePort", { type: "NodePort" }],
  ["LoadBalancer", { type: "LoadBalancer" }],
  ["externalIPs", { externalIPs: ["203.0.113.7"] }],
])("a %s Service may reach an authenticated registry, not an open one", async (_how, exposure) => {
  const exposed = { selector: REGISTRY_LABELS, ...exposure };
  expect(await exposureFindings(() => [...registry(true), service("registry", "dind-stack", exposed)])).toEqual([]);
  expect(await exposureFindings(() => [...registry(false), service("registry", "dind-stack", exposed)])).toEqual([
    expect.stringMatching(/^Service dind-stack\/registry \(.+\) reaches outside the cluster and it sends traffic to Deployment dind-stack\/registry; only a registry whose config file \(the one its command loads\) requires authentication/),
  ]);
});

test("an exposed Service to the runners, to pods of another namespace, or without a selector is refused", async () => {
  expect(
    await exposureFindings(() => [
      ...registry(true),
      runners(),
      service("runners", "dind-stack-runners", { type: "LoadBalancer", selector: RUNNER_LABELS }),
      service("elsewhere", "default", { type: "NodePort", selector: REGISTRY_LABELS }),
      service("manual", "dind-stack", { type: "NodePort" }),
    ]),
  ).toEqual([
    expect.stringMatching(/^Service default\/elsewhere \(type NodePort\) reaches outside the cluster and it selects no pod this stack declares/),
    expect.stringMatching(/^Service dind-stack-runners\/runners \(type LoadBalancer\) reaches outside the cluster and it sends traffic to Deployment dind-stack-runners\/runner;/),
    expect.stringMatching(/^Service dind-stack\/manual \(type NodePort\) reaches outside the cluster and it selects no pod this stack declares/),
  ]);
});

test("an Ingress may route to an authenticated registry's Service, not to an open one nor to a Service the stack does not declare", async () => {
  expect(await exposureFindings(() => [...registry(true), service("registry", "dind-stack", { selector: REGISTRY_LABELS }), ingress("registry", "registry")])).toEqual([]);
  expect(
    await exposureFindings(() => [...registry(false), service("registry", "dind-stack", { selector: REGISTRY_LABELS }), ingress("registry", "registry"), ingress("other", "somewhere")]),
  ).toEqual([
    expect.stringMatching(/^Ingress dind-stack\/other routes to Service dind-stack\/somewhere, which this stack does not declare/),
    expect.stringMatching(/^Ingress dind-stack\/registry \(to Service dind-stack\/registry\) reaches outside the cluster and it sends traffic to Deployment dind-stack\/registry;/),
  ]);
});

test("an Ingress to a name the stack gives only a Deployment (its Service missing) routes to an undeclared Service", async () => {
  expect(await exposureFindings(() => [...registry(true), ingress("registry", "registry")])).toEqual([
    expect.stringMatching(/^Ingress dind-stack\/registry routes to Service dind-stack\/registry, which this stack does not declare/),
  ]);
});

test("a stack file with registry.allowUnauthenticatedExposure: true may expose its open registry, still not its runners", async () => {
  const resources = await declared("ci", () => [
    ...registry(false),
    runners(),
    service("registry", "dind-stack", { type: "LoadBalancer", selector: REGISTRY_LABELS }),
    service("runners", "dind-stack-runners", { type: "LoadBalancer", selector: RUNNER_LABELS }),
  ]);
  const judged = judgeStack(resources, readTrustedImages("ci"));
  const messages = clusterExposureViolations(resources, judged, { ...NO_OPT_INS, unauthenticatedRegistry: true }).map((violation) => violation.message);
  expect(messages).toEqual([expect.stringMatching(/^Service dind-stack-runners\/runners \(type LoadBalancer\) reaches outside the cluster/)]);
});

test("a Service selects a pod only when every label of its selector matches", async () => {
  const partial = () => service("partial", "dind-stack-runners", { type: "NodePort", selector: { ...RUNNER_LABELS, "app.kubernetes.io/instance": "other" } });
  expect(await exposureFindings(() => [...registry(true), runners(), partial()])).toEqual([
    expect.stringMatching(/^Service dind-stack-runners\/partial \(type NodePort\) reaches outside the cluster and it selects no pod this stack declares/),
  ]);
});

test("every external IP of a Service is named", async () => {
  expect(await exposureFindings(() => [...registry(false), service("registry", "dind-stack", { selector: REGISTRY_LABELS, externalIPs: ["203.0.113.7", "203.0.113.8"] })])).toEqual([
    expect.stringMatching(/^Service dind-stack\/registry \(externalIPs 203\.0\.113\.7, 203\.0\.113\.8\) reaches outside the cluster/),
  ]);
});

test("an Ingress routes only to a Service of its own namespace", async () => {
  const toRunners = () => ingress("to-runners", "runners");
  expect(await exposureFindings(() => [...registry(true), runners(), service("runners", "dind-stack-runners", { selector: RUNNER_LABELS }), toRunners()])).toEqual([
    expect.stringMatching(/^Ingress dind-stack\/to-runners routes to Service dind-stack\/runners, which this stack does not declare/),
  ]);
});

test("an Ingress of the older shape (backend.serviceName, rules without http) is followed to its Service", async () => {
  const older = () =>
    new k8s.networking.v1beta1.Ingress("older", {
    metadata: { name: "older", namespace: "dind-stack" },
    spec: { backend: { serviceName: "registry", servicePort: 5000 }, rules: [{ host: "registry.example" }] },
  });
  expect(await exposureFindings(() => [...registry(false), service("registry", "dind-stack", { selector: REGISTRY_LABELS }), older()])).toEqual([
    expect.stringMatching(/^Ingress dind-stack\/older \(to Service dind-stack\/registry\) reaches outside the cluster and it sends traffic to Deployment dind-stack\/registry;/),
  ]);
});

test("an Ingress without a name or a namespace is named as the API server would place it: by its resource name, in default", async () => {
  const spec = { defaultBackend: { service: { name: "registry", port: { number: 5000 } } } };
  const unnamed = () => new k8s.networking.v1.Ingress("unnamed", { metadata: { namespace: "dind-stack" }, spec });
  const bare = () => new k8s.networking.v1.Ingress("bare", { spec });
  expect(await exposureFindings(() => [...registry(true), service("registry", "dind-stack", { selector: REGISTRY_LABELS }), unnamed(), bare()])).toEqual([
    expect.stringMatching(/^Ingress default\/bare routes to Service default\/registry, which this stack does not declare/),
  ]);
  expect(await exposureFindings(() => [...registry(false), service("registry", "dind-stack", { selector: REGISTRY_LABELS }), unnamed()])).toEqual([
    expect.stringMatching(/^Ingress dind-stack\/unnamed \(to Service dind-stack\/registry\) reaches outside/),
  ]);
});

test("a Service without a namespace is in default: it is named so and selects the pods of default", async () => {
  const defaultRunners = () =>
    new k8s.apps.v1.Deployment("runner", { metadata: { name: "runner" }, spec: { selector: { matchLabels: RUNNER_LABELS }, template: { metadata: { labels: RUNNER_LABELS }, spec: runnerPod() } } });
  const bare = () => new k8s.core.v1.Service("runners", { metadata: { name: "runners" }, spec: { type: "NodePort", selector: RUNNER_LABELS, ports: [{ port: 2376 }] } });
  expect(await exposureFindings(() => [defaultRunners(), bare()])).toEqual([
    expect.stringMatching(/^Service default\/runners \(type NodePort\) reaches outside the cluster and it sends traffic to Deployment default\/runner;/),
  ]);
});

test("a Service's pods may be exposed when their registry authenticates, also with a helper container next to it", async () => {
  const withExporter = () => {
    const spec = registryPod();
    return new k8s.apps.v1.Deployment("registry", {
      metadata: { name: "registry", namespace: "dind-stack" },
      spec: {
        selector: { matchLabels: REGISTRY_LABELS },
        template: { metadata: { labels: REGISTRY_LABELS }, spec: { ...spec, containers: [...(spec.containers as k8s.types.input.core.v1.Container[]), { name: "exporter", image: "example/registry-exporter:1.0" }] } },
      },
    });
  };
  expect(await exposureFindings(() => [registryConfigSecret("dind-stack", true), withExporter(), service("registry", "dind-stack", { type: "LoadBalancer", selector: REGISTRY_LABELS })])).toEqual([]);
});

test("every open pod an exposed Service sends traffic to is named", async () => {
  const second = () =>
    new k8s.apps.v1.Deployment("registry-b", {
      metadata: { name: "registry-b", namespace: "dind-stack" },
      spec: { selector: { matchLabels: REGISTRY_LABELS }, template: { metadata: { labels: REGISTRY_LABELS }, spec: registryPod() } },
    });
  const [message, ...others] = await exposureFindings(() => [...registry(false), second(), service("registry", "dind-stack", { type: "NodePort", selector: REGISTRY_LABELS })]);
  expect(others).toEqual([]);
  const targets = /it sends traffic to (.+?); /.exec(message)?.[1];
  expect(targets?.split(", ").sort()).toEqual(["Deployment dind-stack/registry", "Deployment dind-stack/registry-b"]);
});

test("Docker containers of the same stack are no pods a Service selects", async () => {
  const local = () => new docker.Container("mirror", { name: "mirror", image: "registry:2", ports: [{ internal: 5000, external: 5000, ip: "127.0.0.1" }] });
  expect(await exposureFindings(() => [local(), ...registry(false), service("registry", "dind-stack", { type: "NodePort", selector: REGISTRY_LABELS })])).toEqual([
    expect.stringMatching(/^Service dind-stack\/registry \(type NodePort\) reaches outside the cluster and it sends traffic to Deployment dind-stack\/registry;/),
  ]);
});

test("an Ingress of an ingress controller's own API group (a custom resource of kind Ingress) is judged like the built-in one", async () => {
  const controllerIngress = () =>
    new k8s.apiextensions.CustomResource("controller-ingress", {
      apiVersion: "voyager.appscode.com/v1beta1",
      kind: "Ingress",
      metadata: { name: "controller-ingress", namespace: "dind-stack" },
      spec: { rules: [{ host: "registry.example", http: { paths: [{ path: "/", backend: { serviceName: "registry", servicePort: 5000 } }] } }] },
    });
  expect(await exposureFindings(() => [...registry(false), service("registry", "dind-stack", { selector: REGISTRY_LABELS }), controllerIngress()])).toEqual([
    expect.stringMatching(/^Ingress dind-stack\/controller-ingress \(to Service dind-stack\/registry\) reaches outside the cluster and it sends traffic to Deployment dind-stack\/registry;/),
  ]);
});
