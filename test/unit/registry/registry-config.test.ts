import * as bcrypt from "bcryptjs";
import { registryAddresses } from "../../../components/registry/addresses";
import { dockerAuthConfig, htpasswdLine } from "../../../components/registry/htpasswd";
import { HTPASSWD_PATH, readOnlyRegistryConfig, REGISTRY_DRAIN_TIMEOUT, registryConfig } from "../../../components/registry/registry-config";
import { parse } from "../../support/config-problems";

describe("registry addresses", () => {
  test.each([
    [{}, "127.0.0.1:5000", "registry:5000"],
    [{ port: 5001, alias: "cache" }, "127.0.0.1:5001", "cache:5000"],
    [{ bindAddress: "0.0.0.0", allowUnauthenticatedExposure: true }, "127.0.0.1:5000", "registry:5000"],
    [{ bindAddress: "::", allowUnauthenticatedExposure: true }, "[::1]:5000", "registry:5000"],
    [{ bindAddress: "10.1.2.3", allowUnauthenticatedExposure: true }, "10.1.2.3:5000", "registry:5000"],
    [{ bindAddress: "fd00::5", allowUnauthenticatedExposure: true }, "[fd00::5]:5000", "registry:5000"],
  ])("%j → host %s, network %s", (registry, host, network) => {
    expect(registryAddresses(parse({ registry }).registry)).toEqual({ host, network });
  });
});

describe("registry configuration file", () => {
  test("plain registry: filesystem storage on the data volume, delete as configured, no auth, no proxy", () => {
    const config = registryConfig(parse({}).registry);
    expect(config).toMatchObject({
      log: { fields: { service: "registry" } },
      storage: { filesystem: { rootdirectory: "/var/lib/registry" }, delete: { enabled: true }, cache: { blobdescriptor: "inmemory" } },
      http: { addr: ":5000", headers: { "X-Content-Type-Options": ["nosniff"] }, draintimeout: REGISTRY_DRAIN_TIMEOUT },
      // distribution's health check of its storage driver.
      health: { storagedriver: { enabled: true, interval: "10s", threshold: 3 } },
    });
    expect(config.auth).toBeUndefined();
    expect(config.proxy).toBeUndefined();
  });

  test("auth and pull-through cache: htpasswd at the uploaded path, the upstream password only in the file", () => {
    const registry = parse({
      registry: { deleteEnabled: false, auth: { username: "ci" }, proxy: { remoteUrl: "https://hub-mirror.example", username: "pull" } },
      registryPassword: "password-1",
      registryProxyPassword: "password-2",
    }).registry;
    const config = registryConfig(registry, "password-2");
    expect(config.storage).toMatchObject({ delete: { enabled: false } });
    expect(config.auth).toEqual({ htpasswd: { realm: "dind-stack registry", path: HTPASSWD_PATH } });
    expect(config.proxy).toEqual({ remoteurl: "https://hub-mirror.example", username: "pull", password: "password-2" });
  });

  test("with TLS: the registry serves HTTPS with the given certificate and key, on the same port", () => {
    const files = { certificate: "/etc/tls/tls.crt", key: "/etc/tls/tls.key" };
    expect(registryConfig(parse({}).registry, undefined, files).http).toMatchObject({ addr: ":5000", tls: files });
    expect(registryConfig(parse({}).registry).http).not.toHaveProperty("tls");
  });

  test("a pull-through cache of a public upstream sends no credentials", () => {
    const config = registryConfig(parse({ registry: { proxy: { remoteUrl: "https://hub-mirror.example" } } }).registry);
    expect(config.proxy).toEqual({ remoteurl: "https://hub-mirror.example" });
  });

  test("the mirror's registry only serves: read-only mode on, upload purging off, the same storage path and port as the stack's registry", () => {
    expect(readOnlyRegistryConfig()).toMatchObject({
      log: { fields: { service: "mirror" } },
      storage: { filesystem: { rootdirectory: "/var/lib/registry" }, cache: { blobdescriptor: "inmemory" }, maintenance: { readonly: { enabled: true }, uploadpurging: { enabled: false } } },
      http: { addr: ":5000", headers: { "X-Content-Type-Options": ["nosniff"] } },
    });
    expect(readOnlyRegistryConfig().storage).not.toHaveProperty("delete");
  });
});

describe("htpasswd", () => {
  test("a bcrypt line that verifies the password and no other", () => {
    const line = htpasswdLine("ci", "builder", "correct horse");
    const [user, hash] = line.trimEnd().split(":");
    expect(user).toBe("builder");
    expect(hash).toMatch(/^\$2b\$10\$/);
    expect(bcrypt.compareSync("correct horse", hash)).toBe(true);
    expect(bcrypt.compareSync("wrong horse", hash)).toBe(false);
    expect(line).not.toContain("correct horse");
  });

  test("stable for the same inputs (no replacement on every up), different across stacks and passwords", () => {
    expect(htpasswdLine("ci", "builder", "secret-1")).toBe(htpasswdLine("ci", "builder", "secret-1"));
    expect(htpasswdLine("ci", "builder", "secret-1")).not.toBe(htpasswdLine("dev", "builder", "secret-1"));
    expect(htpasswdLine("ci", "builder", "secret-1")).not.toBe(htpasswdLine("ci", "builder", "secret-2"));
  });

  test("client config.json carries basic auth for every address", () => {
    const config = JSON.parse(dockerAuthConfig(["registry:5000", "127.0.0.1:5000"], "builder", "pw-12345"));
    const auth = Buffer.from("builder:pw-12345").toString("base64");
    expect(config).toEqual({ auths: { "registry:5000": { auth }, "127.0.0.1:5000": { auth } } });
  });
});
