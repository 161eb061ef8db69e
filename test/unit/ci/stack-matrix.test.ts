import { deployVariableName, parseVariables, selectDeploys, stackEntry } from "../../../scripts/ci/stack-matrix";

test("a Docker-target stack deploys from its own self-hosted runner", () => {
  expect(stackEntry("ci", "docker")).toEqual({ stack: "ci", target: "docker", deployRunsOn: ["self-hosted", "dind-stack-ci"] });
});

test("a Kubernetes-target stack deploys from a hosted runner", () => {
  expect(stackEntry("prod", "kubernetes")).toEqual({ stack: "prod", target: "kubernetes", deployRunsOn: "ubuntu-latest" });
});

test.each([
  ["prod", "DEPLOY_PROD"],
  ["prod-eu.1", "DEPLOY_PROD_EU_1"],
  ["Staging_2", "DEPLOY_STAGING_2"],
])("stack %s is switched on by variable %s (variable names: letters, digits, _)", (stack, variable) => {
  expect(deployVariableName(stack)).toBe(variable);
});

describe("which stacks a push deploys", () => {
  const entries = [stackEntry("ci", "docker"), stackEntry("dev", "docker"), stackEntry("prod", "kubernetes")];

  test("only those whose variable is \"true\"; each decision is said, naming the variable and what it holds", () => {
    const { deploys, decisions } = selectDeploys(entries, { DEPLOY_CI: "true", DEPLOY_DEV: "yes", OTHER: "true" });
    expect(deploys.map((entry) => entry.stack)).toEqual(["ci"]);
    expect(decisions).toEqual([
      expect.stringMatching(/^deploy ci: repository variable DEPLOY_CI is "true"/),
      expect.stringMatching(/^no deploy of dev: repository variable DEPLOY_DEV is "yes", not "true"/),
      expect.stringMatching(/^no deploy of prod: repository variable DEPLOY_PROD is not set/),
    ]);
  });

  test("none without variables (a fork, or a repository not set up yet)", () => {
    expect(selectDeploys(entries, parseVariables(undefined)).deploys).toEqual([]);
    expect(selectDeploys(entries, parseVariables("")).deploys).toEqual([]);
    expect(selectDeploys(entries, parseVariables("{}")).deploys).toEqual([]);
  });

  test("variables that are not a JSON object are refused, naming the variable", () => {
    expect(() => parseVariables("[1]")).toThrow(/REPOSITORY_VARIABLES must be a JSON object/);
    expect(() => parseVariables("null")).toThrow(/REPOSITORY_VARIABLES must be a JSON object/);
  });
});
