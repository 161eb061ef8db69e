import * as bcrypt from "bcryptjs";
import { registryAddresses } from "../../../components/registry/addresses";
import { dockerAuthConfig, htpasswdLine } from "../../../components/registry/htpasswd";
import { registryEnv } from "../../../components/registry/registry-env";
import { parse } from "../../support/config-problems";

describe("registry addresses", () => {
  test.each([
    [{}, "127.0.0.1:5000", "registry:5000"],
    [{ port: 5001, alias: "cache" }, "127.0.0.1:5001", "cache:5000"],
    [{ bindAddress: "0.0.0.0" }, "127.0.0.1:5000", "registry:5000"],
    [{ bindAddress: "::" }, "[::1]:5000", "registry:5000"],
    [{ bindAddress: "10.1.2.3" }, "10.1.2.3:5000", "registry:5000"],
  ])("%j → host %s, network %s", (registry, host, network) => {
    expect(registryAddresses(parse({ registry }).registry)).toEqual({ host, network });
  });
});

describe("registry environment", () => {
  test("plain registry: delete enabled, nothing else", () => {
    expect(registryEnv(parse({}).registry)).toEqual(["REGISTRY_STORAGE_DELETE_ENABLED=true"]);
  });

  test("auth and pull-through cache", () => {
    const registry = parse({
      registry: { deleteEnabled: false, auth: { username: "ci" }, proxy: { remoteUrl: "https://hub-mirror.example", username: "pull" } },
      registryPassword: "password-1",
      registryProxyPassword: "password-2",
    }).registry;
    expect(registryEnv(registry)).toEqual([
      "REGISTRY_STORAGE_DELETE_ENABLED=false",
      "REGISTRY_AUTH=htpasswd",
      "REGISTRY_AUTH_HTPASSWD_REALM=dind-stack registry",
      "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd",
      "REGISTRY_PROXY_REMOTEURL=https://hub-mirror.example",
      "REGISTRY_PROXY_USERNAME=pull",
    ]);
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
