import * as fs from "node:fs";
import * as path from "node:path";
import { deployVariableName } from "../../../scripts/ci/stack-matrix";
import { REPO_ROOT, stackNames } from "../../support/stack-config";
import { gitlabJobs, loadYaml } from "./support/ci-files";
import { expand, GitLabJobRun, resolveJob, scopeMatches, simulatePipeline } from "./support/gitlab-pipeline";

// What each party gets from .gitlab-ci.yml, pipeline by pipeline. Project CI/CD variables reach a
// job when their environment scope matches the job's environment (and, when protected, only on
// protected branches): the deploy variables are scoped to environment <stack> (docs/ci.md).
const packageScripts = Object.keys((require(path.join(REPO_ROOT, "package.json")) as { scripts: Record<string, string> }).scripts);
const PROJECT = "10";
const FORK = "99";
const allDeploysOn = Object.fromEntries(stackNames().map((stack) => [deployVariableName(stack), "true"]));
const mergeRequest = (source: string, project: string, variables: Record<string, string>) => ({
  CI_PIPELINE_SOURCE: "merge_request_event",
  CI_PROJECT_ID: project,
  CI_MERGE_REQUEST_PROJECT_ID: PROJECT,
  CI_MERGE_REQUEST_SOURCE_PROJECT_ID: source,
  // A default branch not named main, so nothing may take it for granted.
  CI_DEFAULT_BRANCH: "trunk",
  CI_COMMIT_REF_NAME: "feature",
  ...variables,
});
const push = (variables: Record<string, string>) => ({ CI_PIPELINE_SOURCE: "push", CI_PROJECT_ID: PROJECT, CI_COMMIT_BRANCH: "main", CI_DEFAULT_BRANCH: "main", ...variables });

const pipelines = {
  mergeRequest: simulatePipeline(mergeRequest(PROJECT, PROJECT, allDeploysOn)),
  // A maintainer runs the pipeline of a fork's merge request in this project (with its variables).
  forkMergeRequestHere: simulatePipeline(mergeRequest(FORK, PROJECT, allDeploysOn)),
  // The fork's own pipeline for its merge request, in the fork (which has no variables).
  forkMergeRequestInFork: simulatePipeline(mergeRequest(FORK, FORK, {})),
  defaultBranch: simulatePipeline(push(allDeploysOn)),
  defaultBranchOnlyCi: simulatePipeline(push({ [deployVariableName("ci")]: "true", [deployVariableName("prod")]: "false" })),
  forkFirstPush: simulatePipeline(push({})),
};
const withEnvironment = (runs: GitLabJobRun[]) => runs.filter((run) => run.environment !== undefined);
const previews = (runs: GitLabJobRun[]) => runs.filter((run) => run.script.some((line) => /^npm run preview\b/.test(line)));
const deploys = (runs: GitLabJobRun[]) => runs.filter((run) => run.script.some((line) => /^npm run up\b/.test(line)));

describe("merge requests", () => {
  test("every stack gets a preview on a merge request within the project", () => {
    expect(previews(pipelines.mergeRequest).map((run) => run.variables.STACK).sort()).toEqual(stackNames());
  });

  test("no job of a merge request is in an environment that deploy-scoped variables reach, or on a deploy runner", () => {
    const deployRuns = withEnvironment(pipelines.defaultBranch);
    expect(deployRuns.length).toBe(stackNames().length);
    const deployTags = new Set(deployRuns.flatMap((run) => run.tags));
    for (const run of pipelines.mergeRequest) {
      for (const deploy of deployRuns) {
        expect(scopeMatches(deploy.environment!, run.environment ?? "")).toBe(false);
        expect(scopeMatches(run.environment ?? "", deploy.environment!)).toBe(false);
      }
      for (const tag of run.tags) expect(deployTags).not.toContain(tag);
    }
  });

  test("each preview is in an environment of its own stack, so it gets that stack's passphrase only", () => {
    const runs = previews(pipelines.mergeRequest);
    expect(new Set(runs.map((run) => run.environment)).size).toBe(runs.length);
    for (const run of runs) expect(run.action).toBe("prepare");
  });

  test.each(["forkMergeRequestHere", "forkMergeRequestInFork"] as const)("a fork's merge request (%s) gets the tests and no job in an environment", (pipeline) => {
    const runs = pipelines[pipeline];
    expect(runs.map((run) => run.job)).toContain("test");
    expect(withEnvironment(runs)).toEqual([]);
  });

  test("the preview is judged by the policy pack of the default branch, installed on its own", () => {
    for (const run of previews(pipelines.mergeRequest)) {
      const variables = mergeRequest(PROJECT, PROJECT, {});
      const checkout = run.script.map((line) => /^scripts\/ci\/checkout-default-branch\.sh\s+(\S+)\s+(\S+)$/.exec(line)).find(Boolean);
      expect(checkout).toBeTruthy();
      const [branch, dir] = [checkout![1], checkout![2]].map((word) => expand(word.replace(/^"|"$/g, ""), variables));
      expect(branch).toBe(variables.CI_DEFAULT_BRANCH);
      const pack = /--policy-pack\s+(\S+)/.exec(run.script.find((line) => /^npm run preview\b/.test(line))!)![1];
      expect(path.normalize(pack).startsWith(`${path.normalize(dir)}${path.sep}`)).toBe(true);
      expect(run.script).toContainEqual(expect.stringMatching(new RegExp(`cd ${dir.replace(/\./g, "\\.")} && npm ci\\b`)));
    }
  });
});

describe("default branch", () => {
  test("a fork's first push (no DEPLOY_<STACK> variables) gets the tests and no deploy job waiting for a runner it lacks", () => {
    const runs = pipelines.forkFirstPush;
    expect(runs.map((run) => run.job)).toEqual(["test"]);
  });

  test("each stack is deployed only when its variable DEPLOY_<STACK> is \"true\", on its own runner and environment", () => {
    expect(deploys(pipelines.defaultBranchOnlyCi).map((run) => [run.environment, run.tags])).toEqual([["ci", ["dind-stack-ci"]]]);
    expect(deploys(pipelines.defaultBranch).map((run) => run.environment).sort()).toEqual(stackNames());
  });

  test("deploys of one stack never overlap (one resource group per stack)", () => {
    const groups = deploys(pipelines.defaultBranch).map((run) => expand(String(resolveJob(run.job).resource_group), run.variables));
    expect(new Set(groups).size).toBe(stackNames().length);
  });

  test("a default-branch pipeline runs no preview, and a merge request no deploy", () => {
    expect(previews(pipelines.defaultBranch)).toEqual([]);
    expect(deploys(pipelines.mergeRequest)).toEqual([]);
  });
});

describe("the file itself", () => {
  const gitlab = loadYaml(".gitlab-ci.yml");

  test("it defines no variable a job requires as a secret (those come from scoped CI/CD variables)", () => {
    const required = new Set(
      Object.keys(gitlabJobs()).flatMap((name) => resolveJob(name).script.flatMap((line: string) => /^scripts\/ci\/require-env\.sh\s+(.*)$/.exec(line)?.[1].split(/\s+/) ?? [])),
    );
    expect(required.size).toBeGreaterThan(0);
    const defined = [gitlab.variables ?? {}, ...Object.keys(gitlabJobs()).map((name) => resolveJob(name).variables ?? {})].flatMap(Object.keys);
    for (const name of defined) expect(required).not.toContain(name);
  });

  test("every job's stage is one the file declares", () => {
    for (const name of Object.keys(gitlabJobs())) expect(gitlab.stages).toContain(resolveJob(name).stage);
  });

  test.each(Object.keys(gitlabJobs()))("job %s runs only npm scripts and project scripts that exist", (name) => {
    const job = resolveJob(name);
    const commands: string[] = [...(job.before_script ?? []), ...job.script];
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const npmRun = /^npm run (\S+)/.exec(command);
      if (npmRun) expect(packageScripts).toContain(npmRun[1]);
      for (const [file] of command.matchAll(/(?:scripts|\.ci)\/[\w./-]+/g)) {
        expect(fs.existsSync(path.join(REPO_ROOT, file))).toBe(true);
        if (!file.endsWith(".ts")) fs.accessSync(path.join(REPO_ROOT, file), fs.constants.X_OK);
      }
    }
  });

  test("tests run the README's test command", () => {
    expect(resolveJob("test").script).toContain("npm test");
  });
});
