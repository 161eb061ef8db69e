import { runProgram } from "../../support/run-program";
import { plainOccurrences } from "../../support/secret-scan";
import { stackConfig, withOverrides } from "../../support/stack-config";

const password = "registry-pass-0a1b2c";
const proxyPassword = "upstream-pass-3d4e5f";

test("passwords reach resources only as Pulumi secrets", async () => {
  const config = withOverrides(stackConfig("ci"), {
    "dind-stack:registry": { auth: { username: "builder" }, proxy: { remoteUrl: "https://mirror.example", username: "pull" } },
    "dind-stack:registryPassword": password,
    "dind-stack:registryProxyPassword": proxyPassword,
  });
  const run = await runProgram("ci", config, ["dind-stack:registryPassword", "dind-stack:registryProxyPassword"]);
  // The registry password reaches the clients inside a Docker config (base64 of user:password);
  // the upstream password reaches the registry as it is.
  for (const needle of [Buffer.from(`builder:${password}`).toString("base64"), proxyPassword]) {
    const { found, plain } = plainOccurrences(run.resources, needle);
    expect(found).toBeGreaterThan(0);
    expect(plain).toEqual([]);
  }
  expect(plainOccurrences(run.resources, password).plain).toEqual([]);
});
