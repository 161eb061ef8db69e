import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/stack-config";

/** Every shell script of the project: *.sh files and the CI entry point (not those of dependencies, tool folders, or copies in Stryker sandboxes and reports). */
function shellScripts(): string[] {
  const found: string[] = [path.join(REPO_ROOT, ".ci", "run")];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", ".git", ".tools", ".dind-stack", ".stryker-tmp", "reports"].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".sh")) found.push(full);
    }
  };
  walk(REPO_ROOT);
  return found.sort();
}

describe("shell scripts", () => {
  const scripts = shellScripts();

  test("the entrypoint, healthcheck, client wait, engine, stand-in and CI scripts are all covered", () => {
    const names = scripts.map((script) => path.relative(REPO_ROOT, script));
    expect(names).toEqual(
      expect.arrayContaining([
        ".ci/run",
        "components/dind-image/docker/dind-entrypoint.sh",
        "components/dind-image/docker/dind-healthcheck.sh",
        "components/workloads/client-wait.sh",
        "components/dind-image/docker/fetch-verified.sh",
        "scripts/build-standins.sh",
        "scripts/engine-up.sh",
      ]),
    );
  });

  test.each(scripts.map((script) => [path.relative(REPO_ROOT, script), script]))("%s passes shellcheck", (_name, script) => {
    // shellcheck exits non-zero and prints its findings when there are any; a missing shellcheck fails too.
    const output = execFileSync("shellcheck", ["--format=gcc", script], { encoding: "utf8" });
    expect(output).toBe("");
  });

  test.each(scripts.map((script) => [path.relative(REPO_ROOT, script), script]))("%s stops on errors (set -eu)", (_name, script) => {
    expect(fs.readFileSync(script, "utf8")).toMatch(/^set -eu/m);
  });
});
