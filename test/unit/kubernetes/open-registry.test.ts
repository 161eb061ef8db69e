// The registry on a cluster without authentication, only on the stack's explicit opt-in
// (registry.allowUnauthenticatedExposure), and with a user of the stack's choosing otherwise.
import * as bcrypt from "bcryptjs";
import { K8S } from "../../support/kubernetes-objects";
import { named, ofType } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

test("opted in, the registry has no login: no htpasswd, no credentials for the runners, probes by GET /v2/", async () => {
  const run = await runProgram("prod", withOverrides(stackConfig("prod"), { "dind-stack:registry": { allowUnauthenticatedExposure: true } }));
  const config = named(run.resources, "prod-registry-config").inputs.stringData;
  expect(Object.keys(config)).toEqual(["config.yml"]);
  expect(JSON.parse(config["config.yml"]).auth).toBeUndefined();
  expect(ofType(run.resources, K8S.secret).map((secret) => secret.name)).toEqual(["prod-registry-config"]);
  const [registry] = named(run.resources, "prod-registry-deployment").inputs.spec.template.spec.containers;
  expect(registry.readinessProbe.httpGet).toEqual({ path: "/v2/", port: "http" });
  const [job] = named(run.resources, "prod-runners-runner").inputs.spec.template.spec.containers;
  expect(job.env.map((variable: { name: string }) => variable.name)).not.toContain("DOCKER_CONFIG");
});

test("registry.auth.username names another user than the default", async () => {
  const password = "team-registry-password";
  const config = withOverrides(stackConfig("prod"), { "dind-stack:registry": { auth: { username: "ci-builder" } }, "dind-stack:registryPassword": password });
  const run = await runProgram("prod", config, ["dind-stack:registryPassword"]);
  const [user, hash] = named(run.resources, "prod-registry-config").inputs.stringData.htpasswd.trimEnd().split(":");
  expect(user).toBe("ci-builder");
  expect(bcrypt.compareSync(password, hash)).toBe(true);
  const credentials = JSON.parse(named(run.resources, "prod-runners-registry-credentials").inputs.stringData["config.json"]);
  expect(Buffer.from(Object.values<{ auth: string }>(credentials.auths)[0].auth, "base64").toString()).toBe(`ci-builder:${password}`);
});
