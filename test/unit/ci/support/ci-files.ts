import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../../../support/stack-config";

/** The GitHub workflow files, as paths relative to the project. */
export function workflowFiles(): string[] {
  const dir = path.join(REPO_ROOT, ".github", "workflows");
  return fs
    .readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => path.join(".github", "workflows", file));
}

/** A project file parsed as YAML. */
export function loadYaml(relativePath: string): Record<string, any> {
  return yaml.load(fs.readFileSync(path.join(REPO_ROOT, relativePath), "utf8")) as Record<string, any>;
}

/** Keywords GitLab reads at the top level of .gitlab-ci.yml; every other key that does not start with "." is a job. */
const GITLAB_GLOBAL_KEYS = new Set(["stages", "variables", "workflow", "default", "include", "image", "services", "cache", "before_script", "after_script"]);

/** The jobs of .gitlab-ci.yml (hidden `.templates` left out). */
export function gitlabJobs(): Record<string, Record<string, any>> {
  const file = loadYaml(".gitlab-ci.yml");
  return Object.fromEntries(Object.entries(file).filter(([key]) => !key.startsWith(".") && !GITLAB_GLOBAL_KEYS.has(key)));
}
