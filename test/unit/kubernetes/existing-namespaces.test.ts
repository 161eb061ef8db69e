// The prod stack with namespaces the config names: the stack declares no Namespace for them
// (nothing it could adopt and delete), only a NamespacePatch with its Pod Security labels; the
// names it derives from its own name stay its own namespaces.
import { podSecurityLabels } from "../../../components/kubernetes/pod-security";
import { admission, K8S, kubernetesObjects, namespaceLabels, selects } from "../../support/kubernetes-objects";
import { named, ofType } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { deployableStack, withOverrides } from "../../support/stack-config";

async function runWithNamespaces(namespaces: Record<string, string>) {
  const { config, secretKeys } = deployableStack("prod");
  return runProgram("prod", withOverrides(config, { "dind-stack:kubernetes": { namespaces } }), secretKeys);
}

test("a namespace the config names gets only the stack's Pod Security labels, through a NamespacePatch that is never kept on delete; the stack's objects go into it", async () => {
  const run = await runWithNamespaces({ registry: "team-registry", runners: "team-builds" });
  expect(ofType(run.resources, K8S.namespace)).toEqual([]);
  const patches = ofType(run.resources, K8S.namespacePatch).map((patch) => ({ name: patch.name, inputs: patch.inputs, retained: patch.options.retainOnDelete }));
  expect(patches).toEqual([
    { name: "prod-registry-namespace-labels", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-registry", labels: podSecurityLabels("restricted", "1.30") } }, retained: false },
    { name: "prod-runners-namespace-labels", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-builds", labels: podSecurityLabels("privileged", "1.30") } }, retained: false },
  ]);
  const placed = new Set(kubernetesObjects(run.resources).map((resource) => resource.inputs.metadata.namespace).filter(Boolean));
  expect(placed).toEqual(new Set(["team-registry", "team-builds"]));
  // The pods are admitted where they run, and the registry still admits only the runner pods' namespace.
  expect(admission(run.resources)).toMatchObject({ "team-registry": { level: "restricted", refused: [] }, "team-builds": { level: "privileged", refused: [] } });
  const [peer] = named(run.resources, "prod-registry-network-policy").inputs.spec.ingress[0].from;
  expect(selects(peer.namespaceSelector.matchLabels, namespaceLabels(run.resources, "team-builds"))).toBe(true);
  expect(run.outputs.namespaces).toEqual({ registry: "team-registry", runners: "team-builds" });
});

test("a configured name equal to the stack's default is the stack's own namespace, as if unset", async () => {
  const run = await runWithNamespaces({ runners: "dind-stack-prod-runners" });
  expect(ofType(run.resources, K8S.namespacePatch)).toEqual([]);
  expect(ofType(run.resources, K8S.namespace).map((namespace) => namespace.inputs.metadata.name).sort()).toEqual(["dind-stack-prod-registry", "dind-stack-prod-runners"]);
});
