import * as path from "node:path";
import { deployVariableName } from "../../../scripts/ci/stack-matrix";
import { stackNames } from "../../support/stack-config";
import { loadYaml, workflowFiles } from "./support/ci-files";
import { GitHubEvent, JobRun, simulateRun } from "./support/github-run";

// What each party gets from .github/workflows/stacks.yml, event by event: which jobs start, in
// which environment, on which runner, with which secrets. Secrets of a GitHub environment reach
// only the jobs that name it; deploy environments are restricted to main (docs/ci.md).
const WORKFLOW = path.join(".github", "workflows", "stacks.yml");
const UPSTREAM = "maintainers/dind-stack";
const FORK = "contributor/dind-stack";
const allDeploysOn = Object.fromEntries(stackNames().map((stack) => [deployVariableName(stack), "true"]));

const events: Record<string, GitHubEvent> = {
  // A default branch not named main, so the policy pack's checkout must follow the repository's setting.
  pullRequest: { name: "pull_request", repository: UPSTREAM, headRepository: UPSTREAM, defaultBranch: "trunk", vars: allDeploysOn },
  // The fork's pull request sees whatever the upstream repository configured.
  forkPullRequest: { name: "pull_request", repository: UPSTREAM, headRepository: FORK, defaultBranch: "trunk", vars: allDeploysOn },
  push: { name: "push", repository: UPSTREAM, defaultBranch: "main", vars: allDeploysOn },
  pushOnlyCi: { name: "push", repository: UPSTREAM, defaultBranch: "main", vars: { [deployVariableName("ci")]: "true", [deployVariableName("prod")]: "false" } },
  forkFirstPush: { name: "push", repository: FORK, defaultBranch: "main", vars: {} },
};
const runs: Record<string, JobRun[]> = {};

beforeAll(() => {
  for (const [name, event] of Object.entries(events)) runs[name] = simulateRun(WORKFLOW, event);
}, 180_000);

const withSecrets = (list: JobRun[]) => list.filter((run) => run.secrets.length > 0);
const environmentsOf = (list: JobRun[]) => new Set(list.flatMap((run) => (run.environment ? [run.environment] : [])));
const onSelfHosted = (run: JobRun) => ([] as unknown[]).concat(run.runsOn).includes("self-hosted");

describe("pull requests", () => {
  test("a fork's pull request runs the tests, and no job that names a secret, an environment or a self-hosted runner", () => {
    const forkRuns = runs.forkPullRequest;
    expect(forkRuns.map((run) => run.job)).toContain("test");
    expect(withSecrets(forkRuns)).toEqual([]);
    expect(environmentsOf(forkRuns)).toEqual(new Set());
    expect(forkRuns.filter(onSelfHosted)).toEqual([]);
  });

  test("every stack gets a preview on a pull request of this repository", () => {
    const previewed = runs.pullRequest.filter((run) => run.steps.some((step) => step.with?.command === "preview")).map((run) => run.matrix.stack);
    expect(previewed.sort()).toEqual(stackNames());
  });

  test("each job that reads a secret on a pull request reads it from one stack's environment, never a deploy's", () => {
    const deployEnvironments = environmentsOf(withSecrets(runs.push));
    expect(deployEnvironments.size).toBe(stackNames().length);
    for (const run of withSecrets(runs.pullRequest)) {
      // A secret outside an environment is a repository secret: the same for every stack and every branch.
      expect(run.environment).toEqual(expect.any(String));
      expect(run.secrets).not.toContain("*");
      expect(deployEnvironments).not.toContain(run.environment);
    }
  });

  test("the passphrase a preview gets is its stack's own: each stack's preview runs in an environment of its own", () => {
    const passphraseRuns = runs.pullRequest.filter((run) => run.secrets.includes("PULUMI_CONFIG_PASSPHRASE"));
    expect(passphraseRuns.length).toBe(stackNames().length);
    expect(environmentsOf(passphraseRuns).size).toBe(passphraseRuns.length);
  });

  test("no job that runs on a pull request uses a self-hosted (deploy) runner", () => {
    expect(runs.pullRequest.filter(onSelfHosted)).toEqual([]);
  });

  test("the policy pack that judges a preview is checked out from the default branch, with its own dependencies", () => {
    for (const run of runs.pullRequest.filter((candidate) => candidate.steps.some((step) => step.with?.command === "preview"))) {
      const pulumi = run.steps.find((step) => step.with?.command === "preview")!;
      const pack = path.normalize(String(pulumi.with.policyPacks));
      const checkouts = run.steps.filter((step) => String(step.uses).startsWith("actions/checkout@"));
      const directoryOf = (step: Record<string, any>) => path.normalize(step.with?.path ?? ".");
      const holder = checkouts
        .filter((step) => directoryOf(step) === "." || pack.startsWith(`${directoryOf(step)}${path.sep}`))
        .sort((a, b) => directoryOf(b).length - directoryOf(a).length)[0];
      expect(holder?.with?.ref).toBe(events.pullRequest.defaultBranch);
      const install = run.steps.find((step) => step["working-directory"] !== undefined && path.normalize(step["working-directory"]) === directoryOf(holder));
      expect(install?.run).toMatch(/^npm ci\b/);
    }
  });
});

describe("no trigger runs a fork's code with secrets", () => {
  test.each(workflowFiles())("%s has no pull_request_target or workflow_run trigger", (file) => {
    const on = loadYaml(file).on;
    const triggers = typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on);
    expect(triggers).not.toContain("pull_request_target");
    expect(triggers).not.toContain("workflow_run");
  });
});

describe("deploys", () => {
  test("a fork's first push to main starts the tests and no deploy: no environment, no secret, no self-hosted runner", () => {
    const forkRuns = runs.forkFirstPush;
    expect(forkRuns.map((run) => run.job)).toContain("test");
    expect(environmentsOf(forkRuns)).toEqual(new Set());
    expect(withSecrets(forkRuns)).toEqual([]);
    expect(forkRuns.filter(onSelfHosted)).toEqual([]);
  });

  test("a push deploys exactly the stacks whose repository variable DEPLOY_<STACK> is \"true\"", () => {
    const deployed = (list: JobRun[]) => withSecrets(list).map((run) => run.environment);
    expect(deployed(runs.pushOnlyCi)).toEqual(["ci"]);
    expect(deployed(runs.push).sort()).toEqual(stackNames());
  });

  test("a Docker-target stack deploys on its own self-hosted runner, only when switched on", () => {
    const ciDeploy = withSecrets(runs.pushOnlyCi)[0];
    expect(ciDeploy.runsOn).toEqual(["self-hosted", "dind-stack-ci"]);
    expect(runs.pushOnlyCi.filter(onSelfHosted)).toEqual([ciDeploy]);
  });

  test("a push never previews, and deploys never run on pull requests", () => {
    expect(runs.push.some((run) => run.steps.some((step) => step.with?.command === "preview"))).toBe(false);
    expect(runs.pullRequest.some((run) => run.steps.some((step) => step.with?.command === "up"))).toBe(false);
  });
});
