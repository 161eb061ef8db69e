// Prints, as GitHub step outputs (`key=value` lines for $GITHUB_OUTPUT), the stacks the CI jobs
// run for, derived from the stack files, and the Pulumi CLI version the project pins:
//   stacks=[{"stack":"ci","target":"docker","deployRunsOn":[...]},...]   every stack (previews)
//   deploys=[...]                                                          the stacks switched on for deploys
//   pulumi-version=3.265.0
// A stack is deployed only when the repository variable DEPLOY_<STACK> is "true" (read from
// REPOSITORY_VARIABLES, the workflow's `toJSON(vars)`): a fork, or a repository whose runners
// and environments are not set up yet, gets no deploy job that waits for a runner it lacks.
// Each decision is logged on stderr.
import { listStacks, readStackFile } from "../stack-files";

/** One stack's entry in the CI matrix. */
export interface StackEntry {
  /** Stack name (deploys run in the GitHub environment of this name, previews in `preview-<stack>`). */
  stack: string;
  /** `dind-stack:target` of the stack file: docker (default) or kubernetes. */
  target: string;
  /** Runner of the deploy job: the stack's own self-hosted runner for a Docker host, a hosted one for a cluster. */
  deployRunsOn: string | string[];
}

/** A stack's deploy switch: a repository variable named after it (upper case, anything but letters and digits as `_`). */
export function deployVariableName(stack: string): string {
  return `DEPLOY_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The CI matrix entry of a stack with this target. */
export function stackEntry(stack: string, target: string): StackEntry {
  const kubernetes = target === "kubernetes";
  return {
    stack,
    target,
    // `pulumi up` on a Docker target changes the engine it runs next to (or DOCKER_HOST): that is
    // the stack's host, where a self-hosted runner labelled dind-stack-<stack> runs.
    deployRunsOn: kubernetes ? "ubuntu-latest" : ["self-hosted", `dind-stack-${stack}`],
  };
}

/** Every stack with a file, with its target. */
export function stackEntries(): StackEntry[] {
  return listStacks().map((stack) => {
    const target = readStackFile(stack)?.config["dind-stack:target"];
    return stackEntry(stack, typeof target === "string" ? target : "docker");
  });
}

/** Which stacks are deployed, and one line per stack that says why or why not. */
export interface DeploySelection {
  /** The entries whose DEPLOY_<STACK> variable is "true". */
  deploys: StackEntry[];
  /** What was decided for each stack, for the job's log. */
  decisions: string[];
}

/** The entries switched on by their repository variable; any value but "true" (or none) leaves a stack out. */
export function selectDeploys(entries: StackEntry[], variables: Readonly<Record<string, unknown>>): DeploySelection {
  const deploys: StackEntry[] = [];
  const decisions: string[] = [];
  for (const entry of entries) {
    const name = deployVariableName(entry.stack);
    const value = variables[name];
    if (value === "true") {
      deploys.push(entry);
      decisions.push(`deploy ${entry.stack}: repository variable ${name} is "true"`);
    } else {
      const found = value === undefined ? "is not set" : `is ${JSON.stringify(value)}, not "true"`;
      decisions.push(`no deploy of ${entry.stack}: repository variable ${name} ${found} (set it to "true" once the stack's runner, environment and secrets exist; docs/ci.md)`);
    }
  }
  return { deploys, decisions };
}

/** The repository variables the workflow passes as JSON (`toJSON(vars)`); none when unset or empty. */
export function parseVariables(json: string | undefined): Record<string, unknown> {
  if (json === undefined || json.trim() === "") return {};
  const parsed: unknown = JSON.parse(json);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`REPOSITORY_VARIABLES must be a JSON object of repository variables (toJSON(vars)), got ${json.slice(0, 40)}`);
  }
  return parsed as Record<string, unknown>;
}

if (require.main === module) {
  const { version } = require("pulumi/package.json") as { version: string };
  const entries = stackEntries();
  const { deploys, decisions } = selectDeploys(entries, parseVariables(process.env.REPOSITORY_VARIABLES));
  for (const decision of decisions) process.stderr.write(`[ci] ${decision}\n`);
  process.stdout.write(`stacks=${JSON.stringify(entries)}\ndeploys=${JSON.stringify(deploys)}\npulumi-version=${version}\n`);
}
