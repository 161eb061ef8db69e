import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/stack-config";
import { gitlabJobs, loadYaml } from "./support/ci-files";

const packageScripts = Object.keys((require(path.join(REPO_ROOT, "package.json")) as { scripts: Record<string, string> }).scripts);
const jobs = gitlabJobs();
const gitlab = loadYaml(".gitlab-ci.yml");

/** Every command line a job runs, before_script of `default` included. */
function commandsOf(job: Record<string, any>): string[] {
  return [...(gitlab.default?.before_script ?? []), ...(job.before_script ?? []), ...job.script];
}

test("the file parses into the test, preview and deploy jobs, each with a stage GitLab knows", () => {
  expect(Object.keys(jobs).sort()).toEqual(["deploy", "preview", "test"]);
  for (const job of Object.values(jobs)) expect(gitlab.stages).toContain(job.stage);
});

test.each(Object.keys(jobs))("job %s runs only npm scripts and project scripts that exist", (name) => {
  const commands = commandsOf(jobs[name]);
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
  expect(jobs.test.script).toContain("npm test");
});

test("the preview runs on merge requests, with the policy pack", () => {
  expect(jobs.preview.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
  expect(jobs.preview.script).toContainEqual(expect.stringMatching(/^npm run preview -- --stack "\$STACK" --policy-pack policy/));
});

test("deploys run on the default branch, one environment and one resource group per stack, with the policy pack", () => {
  expect(jobs.deploy.rules).toEqual([{ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" }]);
  expect(jobs.deploy.environment).toEqual({ name: "$STACK" });
  expect(jobs.deploy.resource_group).toBe("deploy-$STACK");
  expect(jobs.deploy.script).toContainEqual(expect.stringMatching(/^npm run up -- --stack "\$STACK" --policy-pack policy --yes/));
});
