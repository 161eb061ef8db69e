import * as bcrypt from "bcryptjs";
import { named } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

describe("registry auth from a Pulumi secret", () => {
  const password = "s3cret-registry-pass";
  const config = withOverrides(stackConfig("ci"), { "dind-stack:registry": { auth: { username: "builder" } }, "dind-stack:registryPassword": password });

  test("the registry gets a bcrypt htpasswd file, the clients a Docker config; both only as secrets", async () => {
    const run = await runProgram("ci", config, ["dind-stack:registryPassword"]);
    const registry = named(run.resources, "ci-registry-container");
    const [configFile, upload] = registry.inputs.uploads;
    expect(JSON.parse(configFile.content).auth.htpasswd.path).toBe(upload.file);
    expect(upload.permissions).toBe("0600");
    const [user, hash] = upload.content.trimEnd().split(":");
    expect(user).toBe("builder");
    expect(bcrypt.compareSync(password, hash)).toBe(true);
    expect(registry.secretPaths).toContain("uploads");
    expect(JSON.stringify(registry.inputs)).not.toContain(password);

    const client = named(run.resources, "ci-dind-client-runner-1");
    expect(client.inputs.envs).toContain("DOCKER_CONFIG=/etc/dind-stack/docker");
    expect(JSON.parse(client.inputs.uploads[0].content).auths["registry:5000"].auth).toBe(Buffer.from(`builder:${password}`).toString("base64"));
    expect(client.secretPaths).toContain("uploads");
    expect(client.inputs.uploads[0].permissions).toBe("0600");
  });

  test("the pull-through cache's upstream password reaches the registry only inside its 0600 config file, as a secret", async () => {
    const proxyPassword = "upstream-pass-42";
    const proxied = withOverrides(stackConfig("ci"), {
      "dind-stack:registry": { proxy: { remoteUrl: "https://hub-mirror.example", username: "pull" } },
      "dind-stack:registryProxyPassword": proxyPassword,
    });
    const run = await runProgram("ci", proxied, ["dind-stack:registryProxyPassword"]);
    const registry = named(run.resources, "ci-registry-container");
    const { uploads, command, ...visibleToInspect } = registry.inputs;
    expect(JSON.stringify(visibleToInspect)).not.toContain(proxyPassword);
    const configFile = uploads.find((upload: { file: string }) => upload.file === command[0]);
    expect(JSON.parse(configFile.content).proxy).toEqual({ remoteurl: "https://hub-mirror.example", username: "pull", password: proxyPassword });
    expect(configFile.permissions).toBe("0600");
    expect(registry.secretPaths).toContain("uploads");
  });

  test("the same password in plain text is refused", async () => {
    await expect(runProgram("ci", config, [])).rejects.toThrow("dind-stack:registryPassword: got a plain-text value (not shown)");
  });
});
