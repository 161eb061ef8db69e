// The fields of a Kubernetes workload's pod that the checks read: the node's network, the ports
// published on the node, the name of a workload declared without metadata, and the command line
// of a container that sets only part of it.
import { commandLine } from "../../../policy/container-view";
import { podViewOf } from "../../../policy/kubernetes-pod";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** The props of a Deployment `runner` in namespace ci whose pods run `container`, plus the pod `spec` fields given. */
function deployment(container: Record<string, unknown>, spec: Record<string, unknown> = {}) {
  return { metadata: { name: "runner", namespace: "ci" }, spec: { template: { spec: { containers: [container], ...spec } } } };
}

/** The view of a Deployment whose pods run `container`, plus the pod `spec` fields given. */
const viewOf = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => podViewOf(DEPLOYMENT, "runner", deployment(container, spec))!;

const runner = { name: "runner", image: "example.com/runner:1" };

test("a pod with hostNetwork uses the node's network, and so does each of its containers; without it, neither does", () => {
  const onNode = viewOf(runner, { hostNetwork: true });
  expect(onNode.hostNetwork).toBe(true);
  expect(onNode.containers.map((container) => container.hostNetwork)).toEqual([true]);
  for (const spec of [{}, { hostNetwork: false }]) {
    const own = viewOf(runner, spec);
    expect(own.hostNetwork).toBe(false);
    expect(own.containers.map((container) => container.hostNetwork)).toEqual([false]);
  }
});

test("only ports with a hostPort are published on the node", () => {
  const ports = [{ containerPort: 8080 }, { containerPort: 5000, hostPort: 5000 }, { containerPort: 9000, hostPort: 9000, hostIP: "127.0.0.1" }];
  expect(viewOf({ ...runner, ports }).containers[0].published).toEqual([
    { ip: "0.0.0.0", port: 5000 },
    { ip: "127.0.0.1", port: 9000 },
  ]);
});

test("a workload declared without metadata is in namespace default, named by its resource name", () => {
  const props = { spec: { template: { spec: { containers: [runner] } } } };
  const view = podViewOf(DEPLOYMENT, "resource-name", props)!;
  expect(view.label).toMatch(/default\/resource-name$/);
  expect(view.namespace).toBe("default");
});

test("a container that sets only arguments has those as its command line; one that sets neither command nor arguments has none", () => {
  expect(commandLine(viewOf({ ...runner, args: ["--config", "/etc/runner.toml"] }).containers[0])).toEqual(["--config", "/etc/runner.toml"]);
  expect(commandLine(viewOf(runner).containers[0])).toEqual([]);
});
