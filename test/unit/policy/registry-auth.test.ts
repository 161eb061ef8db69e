// Which file a registry container serves as its config, as far as the stack declares it: the key
// of the one Secret or ConfigMap of that name and namespace it mounts, and nothing when the stack
// also patches that object (the live content may then be another).
import { contentOf } from "../../../policy/registry-auth";
import { ResourceInput } from "../../../policy/resource-input";

const CONFIG = "auth:\n  htpasswd:\n    realm: r\n    path: /auth/htpasswd\n";
const source = { from: "object", kind: "Secret", namespace: "registry", name: "registry-config", key: "config.yml" } as const;
const object = (type: string, name: string, namespace: string | undefined, stringData?: Record<string, string>): ResourceInput => ({
  type,
  name,
  urn: `urn:pulumi:ci::dind-stack::${type}::${name}`,
  props: { metadata: { name, ...(namespace ? { namespace } : {}) }, ...(stringData ? { stringData } : {}) },
});
const secret = (namespace: string | undefined, name = "registry-config") => object("kubernetes:core/v1:Secret", name, namespace, { "config.yml": CONFIG });

test("the key of the Secret of that name in that namespace", () => {
  expect(contentOf(source, [secret("registry")])).toBe(CONFIG);
});

test("a Secret of the same name in another namespace, or of another name, is not it", () => {
  expect(contentOf(source, [secret("tenant")])).toBeUndefined();
  expect(contentOf(source, [secret("registry", "other")])).toBeUndefined();
  expect(contentOf({ ...source, namespace: "default" }, [secret(undefined)])).toBe(CONFIG);
});

test("a Secret the stack also patches: its content is not known", () => {
  const patch = object("kubernetes:core/v1:SecretPatch", "registry-config", "registry", { "config.yml": "{}" });
  expect(contentOf(source, [secret("registry"), patch])).toBeUndefined();
});

test("an object without metadata is no match, and no error", () => {
  expect(contentOf(source, [{ ...secret("registry"), props: { stringData: { "config.yml": CONFIG } } }])).toBeUndefined();
});
