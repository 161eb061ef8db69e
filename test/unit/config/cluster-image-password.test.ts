// A pull password for the runners' image without its user names the key to set with it.
import { onCluster, problemLines, ruleContext } from "../../support/config-problems";

test("dindImagePassword without a user is refused, naming kubernetes.dindImage.username", () => {
  const config = onCluster({}, { dindImagePassword: "puller-password-1" });
  expect(problemLines(config, ruleContext([], ["registryPassword", "dindImagePassword"]))).toEqual([
    expect.stringMatching(/^dind-stack:dindImagePassword: .*dind-stack:kubernetes\.dindImage\.username/),
  ]);
});
