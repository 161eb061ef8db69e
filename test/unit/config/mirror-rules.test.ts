// The mirror list's name rule called directly: a source that passes the reference pattern but that
// Docker would not parse is refused at its key, with Docker's reason.
import { checkMirrorNames } from "../../../components/config/mirror-rules";
import { Problem } from "../../../components/config/problem";
import { parse, ruleContext } from "../../support/config-problems";

/** The problems checkMirrorNames reports for a mirror list of pulled entries with these sources. */
function nameProblems(sources: string[]): Problem[] {
  const problems: Problem[] = [];
  checkMirrorNames({ ...parse({}), mirror: sources.map((source) => ({ source })) }, ruleContext(), problems);
  return problems;
}

test("a source whose first part is no registry host and not lowercase is refused at mirror[i].source, with Docker's reason", () => {
  // "MyRegistry" has no dot or port, so Docker takes it for a Docker Hub path, which must be lowercase.
  expect(nameProblems(["nginx:1.27-alpine", "MyRegistry/app:1.0"])).toEqual([{ key: "dind-stack:mirror[1].source", message: expect.stringMatching(/^got "MyRegistry\/app:1\.0", .*lowercase/) }]);
});
