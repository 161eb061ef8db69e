import * as docker from "@pulumi/docker";
import { policyMessages } from "./support/pack-harness";

// A shell script is split as sh would split it; its operators (&&, |, ;) separate commands and
// are never a flag's value, so the check reads on past them instead of failing.

const image = "dind-stack/dind:24.0.6-ci";

test("a script whose -H is followed by an operator is judged (no tcp host there), and the check goes on to the tcp host after it", async () => {
  const findings = await policyMessages("docker-api-over-tls", "ci", () => [
    new docker.Container("operator", { name: "operator", image, entrypoints: ["sh", "-c", "docker -H && sleep 1"] }),
    new docker.Container("after", { name: "after", image, entrypoints: ["sh", "-c", "docker -H | true; docker -H tcp://docker:2375 ps"] }),
  ]);
  expect(findings).toEqual([expect.stringMatching(/^container after names a tcp:\/\/ Docker host \(--host\/-H\) without --tlsverify/)]);
});
