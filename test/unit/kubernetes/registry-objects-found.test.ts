// Where a user finds the registry's objects: in the registry's namespace, under the names
// docs/kubernetes-basics.md gives them, and by the stack labels (one query finds a stack's
// objects, and a part's objects by component, as docs/kubernetes.md does for the cache claims).
// Rendered by the pure functions of registry-objects directly.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  registryClaimArgs,
  registryConfigSecretArgs,
  registryDeploymentArgs,
  registryNetworkPolicyArgs,
  RegistryObjectsContext,
  registryServiceArgs,
} from "../../../components/kubernetes/registry-objects";
import { selects } from "../../support/kubernetes-objects";
import { dindSettings, kubernetesSettings } from "../../support/kubernetes-fixtures";
import { REPO_ROOT } from "../../support/stack-config";

/** An object's arguments as plain JSON. */
const plain = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value));

/** What the registry's objects of stack `prod` are rendered from (the schema's defaults). */
function registryContext(): RegistryObjectsContext {
  return {
    stack: "prod",
    namespace: "reg-ns",
    runnersNamespace: "run-ns",
    settings: dindSettings().registry,
    kubernetes: kubernetesSettings(),
    refs: { claim: "registry-data", configSecret: "registry-config-abc" },
  };
}

/** The registry's objects of stack `prod`, by kind, as plain JSON. */
function registryObjects(): Record<"claim" | "deployment" | "service" | "networkPolicy" | "configSecret", Record<string, any>> {
  const context = registryContext();
  return {
    claim: plain(registryClaimArgs(context)),
    deployment: plain(registryDeploymentArgs(context)),
    service: plain(registryServiceArgs(context)),
    networkPolicy: plain(registryNetworkPolicyArgs(context)),
    configSecret: plain(registryConfigSecretArgs(context.stack, context.namespace, { "config.yml": "version: 0.1\n" })),
  };
}

/** The name docs/kubernetes-basics.md's object tree gives the object of `kind` in the registry's namespace. */
function documentedName(kind: string): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, "docs", "kubernetes-basics.md"), "utf8");
  const section = text.slice(text.indexOf("namespace dind-stack-prod-registry"), text.indexOf("namespace dind-stack-prod-runners"));
  const found = new RegExp(`─ ${kind} ([\\w.-]+)`).exec(section);
  if (!found) throw new Error(`docs/kubernetes-basics.md names no ${kind} in the registry's namespace`);
  return found[1];
}

describe("the registry's objects, as a user finds them", () => {
  test("the Deployment, the Service and the NetworkPolicy: in the registry's namespace, named as docs/kubernetes-basics.md shows them", () => {
    const { deployment, networkPolicy, service } = registryObjects();
    expect(deployment.metadata).toMatchObject({ name: documentedName("Deployment"), namespace: "reg-ns" });
    expect(networkPolicy.metadata).toMatchObject({ name: documentedName("NetworkPolicy"), namespace: "reg-ns" });
    expect(service.metadata).toMatchObject({ name: documentedName("Service"), namespace: "reg-ns" });
  });

  test("one query by stack finds every one of them; by component, the registry's data claim apart from the objects that serve it", () => {
    const objects = registryObjects();
    const labels = (kind: keyof typeof objects) => objects[kind].metadata.labels as Record<string, string>;
    const kinds = Object.keys(objects) as (keyof typeof objects)[];
    const found = (selector: Record<string, string>) => kinds.filter((kind) => selects(selector, labels(kind)));
    expect(found({ "org.dind-stack.stack": "prod" })).toEqual(kinds);
    expect(found({ "org.dind-stack.stack": "dev" })).toEqual([]);
    expect(found({ "org.dind-stack.stack": "prod", "org.dind-stack.component": "registry" })).toEqual(["deployment", "service", "networkPolicy", "configSecret"]);
    expect(found({ "org.dind-stack.stack": "prod", "org.dind-stack.component": "registry-data" })).toEqual(["claim"]);
  });
});
