import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT, stackNames } from "../../support/stack-config";
import { gitlabJobs, loadYaml } from "./support/ci-files";

// Every stack file has its preview and deploy in both CI systems, and no CI lists a stack that
// has no file. GitHub derives its matrix from the files; GitLab lists them once (.stacks).
const workflow = loadYaml(".github/workflows/stacks.yml");

function matrixFromStacksJob(): string[] {
  const script = path.join(REPO_ROOT, "node_modules", ".bin", "ts-node");
  const output = execFileSync(script, ["--transpile-only", "scripts/ci/stack-matrix.ts"], { cwd: REPO_ROOT, encoding: "utf8" });
  const line = output.split("\n").find((candidate) => candidate.startsWith("stacks="))!;
  return (JSON.parse(line.slice("stacks=".length)) as { stack: string }[]).map((entry) => entry.stack);
}

describe("GitHub", () => {
  test("the stacks job lists exactly the stack files", () => {
    const list = workflow.jobs.stacks.steps.find((step: { id?: string }) => step.id === "list");
    expect(list.run).toContain("scripts/ci/stack-matrix.ts");
    expect(workflow.jobs.stacks.outputs.stacks).toBe("${{ steps.list.outputs.stacks }}");
    expect(matrixFromStacksJob()).toEqual(stackNames());
  });

  test.each(["preview", "deploy"])("the %s job runs for every stack of that list and names none itself", (job) => {
    expect(workflow.jobs[job].needs).toEqual(expect.arrayContaining(["stacks", "test"]));
    expect(workflow.jobs[job].strategy.matrix).toEqual({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    const pulumiStep = workflow.jobs[job].steps.find((step: { uses?: string }) => step.uses?.startsWith("pulumi/actions@"));
    expect(pulumiStep.with["stack-name"]).toBe("${{ matrix.stack }}");
    expect(pulumiStep.with.policyPacks).toBe("policy");
  });

  test("deploys: a GitHub environment per stack, one at a time per stack, never cancelled half-way", () => {
    const deploy = workflow.jobs.deploy;
    expect(deploy.environment).toBe("${{ matrix.stack }}");
    expect(deploy.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(deploy.if).toBe("github.event_name == 'push'");
    expect(workflow.on.push.branches).toEqual(["main"]);
  });

  test("previews: on pull requests, posted as a comment; read-only permissions but for the comment", () => {
    const preview = workflow.jobs.preview;
    expect(Object.keys(workflow.on)).toContain("pull_request");
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const pulumiStep = preview.steps.find((step: { uses?: string }) => step.uses?.startsWith("pulumi/actions@"));
    expect(pulumiStep.uses).toBe("pulumi/actions@v7");
    expect(pulumiStep.with).toMatchObject({ command: "preview", "comment-on-pr": true });
    for (const [name, job] of Object.entries<{ permissions?: Record<string, string> }>(workflow.jobs)) {
      if (name !== "preview") expect(job.permissions ?? {}).toEqual({});
    }
  });
});

describe("GitLab", () => {
  test.each(["preview", "deploy"])("the %s job runs for exactly the stack files", (job) => {
    const matrix = gitlabJobs()[job].parallel.matrix as { STACK: string[] }[];
    expect(matrix.flatMap((entry) => entry.STACK).sort()).toEqual(stackNames());
  });
});
