import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/stack-config";

// scripts/ci/checkout-default-branch.sh on real git repositories: a merge request's checkout that
// changed the policy pack gets the default branch's pack next to it, untouched by the change.
const SCRIPT = path.join(REPO_ROOT, "scripts", "ci", "checkout-default-branch.sh");
let work: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "-c", "init.defaultBranch=trunk", ...args], { cwd, encoding: "utf8" });
}

function write(dir: string, file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

beforeAll(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "default-branch-"));
  const upstream = path.join(root, "upstream");
  fs.mkdirSync(upstream);
  git(upstream, "init", "--quiet");
  write(upstream, "policy/index.ts", "refuse privileged containers\n");
  git(upstream, "add", ".");
  git(upstream, "commit", "--quiet", "-m", "policy");
  work = path.join(root, "work");
  git(root, "clone", "--quiet", `file://${upstream}`, work);
  git(work, "checkout", "--quiet", "-b", "feature");
  write(work, "policy/index.ts", "allow everything\n");
  git(work, "commit", "--quiet", "-am", "weaken the policy");
});

function run(...args: string[]) {
  return spawnSync(SCRIPT, args, { cwd: work, encoding: "utf8" });
}

test("the directory gets the default branch's files; the merge request's checkout keeps its own", () => {
  const result = run("trunk", ".default-branch");
  expect(result.status).toBe(0);
  expect(fs.readFileSync(path.join(work, ".default-branch", "policy", "index.ts"), "utf8")).toBe("refuse privileged containers\n");
  expect(fs.readFileSync(path.join(work, "policy", "index.ts"), "utf8")).toBe("allow everything\n");
  expect(result.stderr).toMatch(/\.default-branch holds trunk at [0-9a-f]{40}/);
});

test("files left in the directory from before (or put there by the merge request) are replaced", () => {
  write(work, ".default-branch/policy/index.ts", "allow everything\n");
  write(work, ".default-branch/extra.ts", "planted\n");
  expect(run("trunk", ".default-branch").status).toBe(0);
  expect(fs.readFileSync(path.join(work, ".default-branch", "policy", "index.ts"), "utf8")).toBe("refuse privileged containers\n");
  expect(fs.existsSync(path.join(work, ".default-branch", "extra.ts"))).toBe(false);
});

test("without a branch it stops and says what to pass", () => {
  const result = run("", ".default-branch");
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("CI_DEFAULT_BRANCH");
});

test("a branch the remote does not have fails", () => {
  expect(run("no-such-branch", ".elsewhere").status).not.toBe(0);
  expect(fs.existsSync(path.join(work, ".elsewhere"))).toBe(false);
});
