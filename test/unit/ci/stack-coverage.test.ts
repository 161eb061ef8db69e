import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT, stackNames } from "../../support/stack-config";
import { gitlabJobs, loadYaml } from "./support/ci-files";
import { resolveJob } from "./support/gitlab-pipeline";

// Every stack file has its preview and deploy in both CI systems, and no CI lists a stack that
// has no file. GitHub derives its matrices from the files; GitLab lists them (.stacks and one
// deploy job each). Which of them run for which event: github-trust and gitlab-ci tests.
const workflow = loadYaml(".github/workflows/stacks.yml");

function stacksJobOutput(): Record<string, string> {
  const script = path.join(REPO_ROOT, "node_modules", ".bin", "ts-node");
  const output = execFileSync(script, ["--transpile-only", "scripts/ci/stack-matrix.ts"], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, REPOSITORY_VARIABLES: "" } });
  return Object.fromEntries(output.split("\n").filter(Boolean).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

describe("GitHub", () => {
  test("the stacks job lists exactly the stack files, and no deploy without variables", () => {
    const list = workflow.jobs.stacks.steps.find((step: { id?: string }) => step.id === "list");
    expect(list.run).toContain("scripts/ci/stack-matrix.ts");
    const output = stacksJobOutput();
    expect((JSON.parse(output.stacks) as { stack: string }[]).map((entry) => entry.stack)).toEqual(stackNames());
    expect(JSON.parse(output.deploys)).toEqual([]);
  });

  test("deploys: a GitHub environment per stack, one at a time per stack, never cancelled half-way", () => {
    const deploy = workflow.jobs.deploy;
    expect(deploy.environment).toBe("${{ matrix.stack }}");
    expect(deploy.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(workflow.on.push.branches).toEqual(["main"]);
  });

  test("previews: on pull requests, posted as a comment; read-only permissions but for the comment", () => {
    const preview = workflow.jobs.preview;
    expect(Object.keys(workflow.on)).toContain("pull_request");
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const pulumiStep = preview.steps.find((step: { uses?: string }) => step.uses?.startsWith("pulumi/actions@"));
    expect(pulumiStep.with).toMatchObject({ command: "preview", "comment-on-pr": true });
    for (const [name, job] of Object.entries<{ permissions?: Record<string, string> }>(workflow.jobs)) {
      if (name !== "preview") expect(job.permissions ?? {}).toEqual({});
    }
  });
});

describe("GitLab", () => {
  test("the preview matrix lists exactly the stack files", () => {
    const matrix = resolveJob("preview").parallel.matrix as { STACK: string[] }[];
    expect(matrix.flatMap((entry) => entry.STACK).sort()).toEqual(stackNames());
  });

  test("there is one deploy job per stack file, and none for a stack without one", () => {
    const deployed = Object.keys(gitlabJobs())
      .map((name) => resolveJob(name))
      .filter((job) => job.stage === "deploy")
      .map((job) => job.variables?.STACK);
    expect(deployed.sort()).toEqual(stackNames());
  });
});
