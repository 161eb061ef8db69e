import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../support/stack-config";
import { loadYaml } from "./ci-files";

// A model of how GitHub decides, for one event, which jobs of a workflow start, on which runners,
// in which environments and with which secrets. Expressions are evaluated by GitHub's own
// evaluator (evaluate-expressions.mjs); the steps that job outputs come from are run for real.
// Not modelled: step-level conditions (a job's secret references count whether or not the step
// that holds them runs) and job status functions (every needed job counts as successful).

/** The event a workflow run is for, as the repository and the pusher or pull request author see it. */
export interface GitHubEvent {
  /** `github.event_name`. */
  name: "pull_request" | "push";
  /** The repository the workflow runs in (`owner/name`). */
  repository: string;
  /** Pull requests: the repository of the head branch (another one for a fork). */
  headRepository?: string;
  /** The repository's default branch. */
  defaultBranch: string;
  /** Configuration variables (`vars`) of the repository. */
  vars: Record<string, string>;
}

/** One job that starts, once per matrix entry. */
export interface JobRun {
  /** The job's id. */
  job: string;
  /** Its matrix entry ({} without a matrix). */
  matrix: Record<string, unknown>;
  /** Evaluated `runs-on`. */
  runsOn: unknown;
  /** Evaluated environment name; undefined without one. */
  environment?: string;
  /** Names of the secrets the job's text refers to (`*` for the whole context or a computed name). */
  secrets: string[];
  /** The job's steps, every string in them evaluated. */
  steps: Record<string, any>[];
}

type EvalItem = { expression: string } | { template: unknown };

const EVALUATOR = path.join(__dirname, "evaluate-expressions.mjs");

/** Evaluates items against one context with @actions/expressions. */
export function evaluateAll(context: Record<string, unknown>, items: EvalItem[]): unknown[] {
  const output = execFileSync(process.execPath, [EVALUATOR], { cwd: REPO_ROOT, input: JSON.stringify({ context, items }), encoding: "utf8" });
  return JSON.parse(output) as unknown[];
}

/** Every string in a value, evaluated as a template; other values kept. */
function evaluateDeep(context: Record<string, unknown>, value: unknown): unknown {
  const strings: string[] = [];
  const collect = (node: unknown): void => {
    if (typeof node === "string") strings.push(node);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === "object") Object.values(node).forEach(collect);
  };
  collect(value);
  const results = evaluateAll(context, strings.map((template) => ({ template })));
  let next = 0;
  const rebuild = (node: unknown): unknown => {
    if (typeof node === "string") return results[next++];
    if (Array.isArray(node)) return node.map(rebuild);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, rebuild(child)]));
    return node;
  };
  return rebuild(value);
}

/** The expressions in a job: every `${{ }}`, and the whole text of each `if:`. */
function expressionsOf(node: unknown, key = ""): string[] {
  if (typeof node === "string") return key === "if" ? [node] : [...node.matchAll(/\$\{\{(.*?)\}\}/gs)].map((match) => match[1]);
  if (Array.isArray(node)) return node.flatMap((child) => expressionsOf(child));
  if (node && typeof node === "object") return Object.entries(node).flatMap(([childKey, child]) => expressionsOf(child, childKey));
  return [];
}

/** The secrets a job's expressions refer to (`*` for the whole context or a computed name). */
export function secretReferences(job: unknown): string[] {
  const names = new Set<string>();
  for (const expression of expressionsOf(job)) {
    for (const match of expression.matchAll(/\bsecrets\b(\.([A-Za-z_][A-Za-z0-9_]*))?/g)) names.add(match[2] ?? "*");
  }
  return [...names].sort();
}

/** Runs the steps a job's outputs come from (their `run` in sh, with their evaluated env) and returns the outputs. */
function jobOutputs(job: Record<string, any>, context: Record<string, unknown>): Record<string, unknown> {
  const outputs = (job.outputs ?? {}) as Record<string, string>;
  const stepIds = new Set([...JSON.stringify(outputs).matchAll(/steps\.([\w-]+)\.outputs/g)].map((match) => match[1]));
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  for (const id of stepIds) {
    const step = (job.steps as Record<string, any>[]).find((candidate) => candidate.id === id);
    if (!step?.run) throw new Error(`output step ${id} has no run: the model runs only shell steps`);
    const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-output-")), "output");
    fs.writeFileSync(outputFile, "");
    const env = evaluateDeep(context, step.env ?? {}) as Record<string, string>;
    execFileSync("sh", ["-c", step.run], { cwd: REPO_ROOT, env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile }, stdio: ["ignore", "ignore", "ignore"] });
    const lines = fs.readFileSync(outputFile, "utf8").split("\n").filter((line) => line !== "");
    if (lines.some((line) => line.includes("<<"))) throw new Error(`step ${id} writes a multi-line output: not modelled`);
    steps[id] = { outputs: Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)])) };
  }
  return evaluateDeep({ ...context, steps }, outputs) as Record<string, unknown>;
}

/** The jobs of a workflow file that start for an event, once per matrix entry. */
export function simulateRun(workflowFile: string, event: GitHubEvent): JobRun[] {
  const workflow = loadYaml(workflowFile);
  const jobs = workflow.jobs as Record<string, Record<string, any>>;
  const github = {
    event_name: event.name,
    repository: event.repository,
    ref: event.name === "push" ? `refs/heads/${event.defaultBranch}` : "refs/pull/1/merge",
    event: {
      repository: { full_name: event.repository, default_branch: event.defaultBranch },
      ...(event.name === "pull_request" ? { pull_request: { number: 1, head: { repo: { full_name: event.headRepository ?? event.repository } } } } : {}),
    },
  };
  const base = { github, vars: event.vars, secrets: {}, env: {}, runner: { temp: "/tmp" }, inputs: {} };
  const started = new Map<string, Record<string, unknown>>();
  const runs: JobRun[] = [];
  const pending = Object.keys(jobs);
  while (pending.length > 0) {
    const index = pending.findIndex((id) => ([] as string[]).concat(jobs[id].needs ?? []).every((need) => !pending.includes(need)));
    if (index < 0) throw new Error(`jobs ${pending.join(", ")} need each other`);
    const [id] = pending.splice(index, 1);
    const job = jobs[id];
    if (job.uses) throw new Error(`job ${id} calls a reusable workflow: not modelled`);
    const needIds = ([] as string[]).concat(job.needs ?? []);
    if (!needIds.every((need) => started.has(need))) continue;
    const needs = Object.fromEntries(needIds.map((need) => [need, { outputs: started.get(need), result: "success" }]));
    const context = { ...base, needs };
    if (job.if !== undefined && !evaluateAll(context, [{ expression: String(job.if) }])[0]) continue;
    const matrix = job.strategy?.matrix;
    if (matrix && Object.keys(matrix).some((key) => key !== "include")) throw new Error(`job ${id}: only matrix include lists are modelled`);
    const entries = matrix ? (evaluateAll(context, [{ template: matrix.include }])[0] as Record<string, unknown>[]) : [{}];
    if (!Array.isArray(entries) || entries.length === 0) throw new Error(`job ${id} starts with an empty matrix, which GitHub refuses`);
    for (const entry of entries) {
      const runContext = { ...context, matrix: entry };
      const environment = typeof job.environment === "object" ? job.environment?.name : job.environment;
      const [runsOn, environmentName] = evaluateAll(runContext, [{ template: job["runs-on"] }, { template: environment }]);
      runs.push({
        job: id,
        matrix: entry,
        runsOn,
        environment: environmentName === undefined || environmentName === null ? undefined : String(environmentName),
        secrets: secretReferences(job),
        steps: evaluateDeep(runContext, job.steps ?? []) as Record<string, any>[],
      });
    }
    started.set(id, jobOutputs(job, context));
  }
  return runs;
}
