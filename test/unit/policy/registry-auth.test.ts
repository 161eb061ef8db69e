// Which file a registry container serves as its config, as far as the stack declares it: the key
// of the one Secret or ConfigMap of that name and namespace it mounts, and nothing when the stack
// also patches that object (the live content may then be another).
import { contentOf, requiresAuth } from "../../../policy/registry-auth";
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

test("a Secret's base64 data is read decoded, a ConfigMap's data as it is; stringData comes first", () => {
  const encoded = { ...secret("registry"), props: { metadata: { name: "registry-config", namespace: "registry" }, data: { "config.yml": Buffer.from(CONFIG).toString("base64") } } };
  expect(contentOf(source, [encoded])).toBe(CONFIG);
  const configMap = { ...object("kubernetes:core/v1:ConfigMap", "registry-config", "registry"), props: { metadata: { name: "registry-config", namespace: "registry" }, data: { "config.yml": CONFIG } } };
  expect(contentOf({ ...source, kind: "ConfigMap" }, [configMap])).toBe(CONFIG);
  const both = { ...encoded, props: { ...encoded.props, stringData: { "config.yml": "version: 0.1\n" } } };
  expect(contentOf(source, [both])).toBe("version: 0.1\n");
});

test("a ConfigMap is not the Secret of the same name, a patch alone is not the object, and a missing key is no content", () => {
  expect(contentOf(source, [object("kubernetes:core/v1:ConfigMap", "registry-config", "registry", { "config.yml": CONFIG })])).toBeUndefined();
  expect(contentOf(source, [object("kubernetes:core/v1:SecretPatch", "registry-config", "registry", { "config.yml": CONFIG })])).toBeUndefined();
  expect(contentOf({ ...source, key: "other.yml" }, [secret("registry")])).toBeUndefined();
});

describe("whether a registry's config file requires authentication", () => {
  const none = new Map<string, string | undefined>();
  test.each([
    ["htpasswd", CONFIG, true],
    ["token", "auth:\n  token:\n    realm: https://auth.example/token\n", true],
    ["silly, which checks nothing", "auth:\n  silly:\n    realm: r\n", false],
    ["no auth section", "version: 0.1\n", false],
    ["an empty auth section", "auth:\n", false],
    ["a file that is no YAML", "auth: [htpasswd\n", false],
    ["an empty file", "", false],
  ])("%s", (_what, content, expected) => {
    expect(requiresAuth(content, none)).toBe(expected);
  });

  test("not when the file is unknown, or a REGISTRY_AUTH variable can override it", () => {
    expect(requiresAuth(undefined, none)).toBe(false);
    expect(requiresAuth(CONFIG, new Map([["REGISTRY_AUTH_HTPASSWD_PATH", "/tmp/empty"]]))).toBe(false);
    expect(requiresAuth(CONFIG, new Map([["REGISTRY_HTTP_ADDR", ":5000"]]))).toBe(true);
  });
});
