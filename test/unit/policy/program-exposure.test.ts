// The pack run on what the program itself declares: its registry published beyond loopback,
// with and without authentication (the rest of host-exposure is judged on declared resources in
// host-exposure.test.ts).
import { named } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";
import { asPolicyResources, packFindings } from "./support/pack-harness";

test("the program's own registry: exposed with auth it passes; exposed without auth it is refused unless the stack file allows it", async () => {
  const findingsFor = async (overrides: Record<string, unknown>, secretKeys: string[] = []) => {
    const run = await runProgram("ci", withOverrides(stackConfig("ci"), overrides), secretKeys);
    const findings = await packFindings(asPolicyResources("ci", run.resources));
    return { run, findings: findings.filter((finding) => finding.level === "mandatory") };
  };
  const withAuth = await findingsFor(
    { "dind-stack:registry": { bindAddress: "0.0.0.0", auth: { username: "builder" } }, "dind-stack:registryPassword": "a long password" },
    ["dind-stack:registryPassword"],
  );
  expect(withAuth.findings).toEqual([]);

  // The config allows it here, but stacks/Pulumi.ci.yaml (what the pack reads) does not: as if a
  // program change exposed the registry on its own.
  const open = await findingsFor({ "dind-stack:registry": { bindAddress: "0.0.0.0", allowUnauthenticatedExposure: true } });
  expect(open.findings).toEqual([
    {
      policy: "host-exposure-needs-registry-auth",
      urn: asPolicyResources("ci", open.run.resources).find((resource) => resource.name === named(open.run.resources, "ci-registry-container").name)!.urn,
      message: expect.stringMatching(/^container dind-stack-ci-registry publishes host port 5001 on 0.0.0.0, beyond loopback/),
      level: "mandatory",
    },
  ]);
});
