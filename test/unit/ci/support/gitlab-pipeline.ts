import { gitlabJobs, loadYaml } from "./ci-files";
import { evaluateRule } from "./gitlab-rules";

// A model of how GitLab builds a pipeline from .gitlab-ci.yml for one set of variables (the
// predefined ones of the event plus the project's CI/CD variables): `workflow:rules`, each job's
// `extends` and `default`, its `rules` (first match wins; `when: never` drops the job), and its
// `parallel:matrix`. Each job that is created reports its environment, runner tags and script
// with its variables expanded. Rules see the pipeline's and the file's global variables only.

/** One job the pipeline creates (once per matrix entry). */
export interface GitLabJobRun {
  /** The job's name in the file. */
  job: string;
  /** Its job and matrix variables. */
  variables: Record<string, string>;
  /** Expanded environment name; undefined without one. */
  environment?: string;
  /** `environment:action` (start when not given). */
  action?: string;
  /** Expanded runner tags. */
  tags: string[];
  /** before_script and script lines, unexpanded (the shell expands them). */
  script: string[];
}

/** Keys a job takes from `default:` when it does not set them (doc/ci/yaml, `default`). */
const DEFAULT_KEYS = ["after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "image", "interruptible", "retry", "services", "tags", "timeout"];

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** GitLab's `extends` merge: mappings merge key by key, anything else is replaced. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = isMapping(value) && isMapping(base[key]) ? deepMerge(base[key], value) : value;
  return merged;
}

/** A job with its `extends` chain merged in and the `default:` keys it does not set. */
export function resolveJob(name: string, file = loadYaml(".gitlab-ci.yml")): Record<string, any> {
  const resolve = (key: string, seen: string[]): Record<string, unknown> => {
    if (seen.includes(key)) throw new Error(`extends loops: ${[...seen, key].join(" -> ")}`);
    const job = file[key] as Record<string, unknown> | undefined;
    if (!job) throw new Error(`${seen.at(-1) ?? key} extends ${key}, which does not exist`);
    const parents = ([] as string[]).concat((job.extends as string | string[] | undefined) ?? []);
    const base = parents.reduce((merged, parent) => deepMerge(merged, resolve(parent, [...seen, key])), {} as Record<string, unknown>);
    const { extends: _extends, ...own } = job;
    return deepMerge(base, own);
  };
  const job = resolve(name, []);
  for (const key of DEFAULT_KEYS) if (!(key in job) && file.default?.[key] !== undefined) job[key] = file.default[key];
  if ("only" in job || "except" in job) throw new Error(`job ${name} uses only/except: not modelled`);
  return job;
}

/** Expands `$VAR` and `${VAR}` (an undefined variable becomes empty). */
export function expand(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_match, name: string) => variables[name] ?? "");
}

/** The first rule whose `if` holds (a rule without `if` always holds) decides; none: the job is not created. */
function rulesAllow(rules: Record<string, any>[] | undefined, variables: Readonly<Record<string, string>>): boolean {
  if (rules === undefined) return true;
  const rule = rules.find((candidate) => candidate.if === undefined || evaluateRule(String(candidate.if), variables));
  return rule !== undefined && rule.when !== "never";
}

/** The variable sets of a `parallel:matrix` (each entry's lists multiplied out); one empty set without it. */
function matrixEntries(parallel: unknown): Record<string, string>[] {
  if (parallel === undefined) return [{}];
  if (!isMapping(parallel) || !Array.isArray(parallel.matrix)) throw new Error("only parallel:matrix is modelled");
  return (parallel.matrix as Record<string, string | string[]>[]).flatMap((entry) =>
    Object.entries(entry).reduce<Record<string, string>[]>((sets, [key, values]) => sets.flatMap((set) => ([] as string[]).concat(values).map((value) => ({ ...set, [key]: value }))), [{}]),
  );
}

/** The jobs GitLab creates for a pipeline with these variables (none when `workflow:rules` refuse the pipeline). */
export function simulatePipeline(pipelineVariables: Readonly<Record<string, string>>): GitLabJobRun[] {
  const file = loadYaml(".gitlab-ci.yml");
  const globals = { ...((file.variables ?? {}) as Record<string, string>), ...pipelineVariables };
  if (file.workflow?.rules && !rulesAllow(file.workflow.rules, globals)) return [];
  const runs: GitLabJobRun[] = [];
  for (const name of Object.keys(gitlabJobs())) {
    const job = resolveJob(name, file);
    if (!rulesAllow(job.rules, globals)) continue;
    for (const entry of matrixEntries(job.parallel)) {
      const variables = { ...((job.variables ?? {}) as Record<string, string>), ...entry };
      const all = { ...globals, ...variables };
      const environment: Record<string, unknown> | undefined = isMapping(job.environment) ? job.environment : job.environment === undefined ? undefined : { name: job.environment };
      runs.push({
        job: name,
        variables,
        environment: environment ? expand(String(environment.name), all) : undefined,
        action: environment ? String(environment.action ?? "start") : undefined,
        tags: ((job.tags ?? []) as string[]).map((tag) => expand(tag, all)),
        script: [...((job.before_script ?? []) as string[]), ...((job.script ?? []) as string[])],
      });
    }
  }
  return runs;
}

/**
 * Whether a CI/CD variable with this environment scope reaches a job in this environment: `*`
 * matches any characters, anything else itself (doc/ci/environments, "environment scope").
 */
export function scopeMatches(scope: string, environment: string): boolean {
  const pattern = scope.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(environment);
}
