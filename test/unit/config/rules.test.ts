// The pull-through cache's upstream credentials: a user needs its password.
import { problemLines } from "../../support/config-problems";

test("registry.proxy.username without registryProxyPassword asks for the password, naming the key that requires it", () => {
  const proxy = { remoteUrl: "https://registry-1.docker.io", username: "puller" };
  expect(problemLines({ registry: { proxy } })).toEqual([expect.stringMatching(/^dind-stack:registryProxyPassword: missing.*dind-stack:registry\.proxy\.username/)]);
});
