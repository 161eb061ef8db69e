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
    expect(registry.inputs.envs).toEqual(expect.arrayContaining(["REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"]));
    const [upload] = registry.inputs.uploads;
    expect(upload.file).toBe("/auth/htpasswd");
    const [user, hash] = upload.content.trimEnd().split(":");
    expect(user).toBe("builder");
    expect(bcrypt.compareSync(password, hash)).toBe(true);
    expect(registry.secretPaths).toContain("uploads");
    expect(JSON.stringify(registry.inputs)).not.toContain(password);

    const client = named(run.resources, "ci-dind-client-runner-1");
    expect(client.inputs.envs).toContain("DOCKER_CONFIG=/etc/dind-stack/docker");
    expect(JSON.parse(client.inputs.uploads[0].content).auths["registry:5000"].auth).toBe(Buffer.from(`builder:${password}`).toString("base64"));
    expect(client.secretPaths).toContain("uploads");
  });

  test("the same password in plain text is refused", async () => {
    await expect(runProgram("ci", config, [])).rejects.toThrow("dind-stack:registryPassword: got a plain-text value (not shown)");
  });
});
