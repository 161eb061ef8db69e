import { contentOf } from "../../../policy/registry-auth";
import { ResourceInput } from "../../../policy/resource-input";

test("a ConfigMap that holds no data (binaryData only) gives no content for its key, and no error", () => {
  const type = "kubernetes:core/v1:ConfigMap";
  const configMap: ResourceInput = { type, name: "registry-config", urn: `urn:pulumi:ci::dind-stack::${type}::registry-config`, props: { metadata: { name: "registry-config", namespace: "registry" }, binaryData: { "config.yml": "YXV0aDoK" } } };
  expect(contentOf({ from: "object", kind: "ConfigMap", namespace: "registry", name: "registry-config", key: "config.yml" }, [configMap])).toBeUndefined();
});
