// The cgroup v2 nesting path of dind-cgroups.sh, run on the host's sh against a fake cgroup
// tree and a fake /proc/self/cgroup (the script takes both paths as arguments). These machines
// run cgroup v1, where the engine tests cover the v1 path; this is what keeps v2 covered.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOCKERFILE_DIR } from "../../../components/dind-image/build-context";

const SCRIPT = path.join(DOCKERFILE_DIR, "dind-cgroups.sh");

/** A fake cgroup v2 root: the controllers the kernel offers and the processes in the root cgroup. */
interface FakeTree {
  root: string;
  selfCgroup: string;
}

let work: string;

function fakeTree(options: { selfCgroup: string; subtreeControlWritable?: boolean }): FakeTree {
  const root = path.join(work, "cgroup");
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
  fs.writeFileSync(path.join(root, "cgroup.procs"), "1\n7\n42\n");
  // A directory where the kernel has a file: writing to it fails, as the kernel's EBUSY does
  // while processes are still in the root cgroup.
  if (options.subtreeControlWritable === false) fs.mkdirSync(path.join(root, "cgroup.subtree_control"));
  else fs.writeFileSync(path.join(root, "cgroup.subtree_control"), "");
  const selfCgroup = path.join(work, "self-cgroup");
  fs.writeFileSync(selfCgroup, options.selfCgroup);
  return { root, selfCgroup };
}

/** Runs the script; `during` runs while it does (to change the tree under it). */
function runScript(tree: FakeTree, during?: () => void): Promise<{ status: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", [SCRIPT, tree.root, tree.selfCgroup], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, log }));
    during?.();
  });
}

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("dind-cgroups.sh on cgroup v2", () => {
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-cgroups-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test("in a private cgroup namespace it moves the root's processes to init/ and enables every controller", async () => {
    const tree = fakeTree({ selfCgroup: "0::/\n" });
    const result = await runScript(tree);
    expect(result.status).toBe(0);
    expect(read(path.join(tree.root, "init", "cgroup.procs"))).toBe("1\n7\n42\n");
    expect(read(path.join(tree.root, "cgroup.subtree_control")).trim()).toBe("+cpuset +cpu +io +memory +pids");
    expect(result.log).toMatch(/cgroup v2: moved the root cgroup's processes to \S+\/init; .*\(attempt 1\)/);
  });

  test("without a private cgroup namespace it changes nothing and says how to get one", async () => {
    const tree = fakeTree({ selfCgroup: "0::/docker/0123abcd\n" });
    const result = await runScript(tree);
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(tree.root, "init"))).toBe(false);
    expect(read(path.join(tree.root, "cgroup.subtree_control"))).toBe("");
    expect(result.log).toContain("WARNING: cgroup v2");
    expect(result.log).toContain("0::/docker/0123abcd");
    expect(result.log).toContain("--cgroupns=private");
  });

  test("a controller write refused at first (a race with processes) is tried again until it succeeds", async () => {
    const tree = fakeTree({ selfCgroup: "0::/\n", subtreeControlWritable: false });
    const result = await runScript(tree, () =>
      setTimeout(() => {
        fs.rmdirSync(path.join(tree.root, "cgroup.subtree_control"));
        fs.writeFileSync(path.join(tree.root, "cgroup.subtree_control"), "");
      }, 350),
    );
    expect(result.status).toBe(0);
    expect(read(path.join(tree.root, "cgroup.subtree_control")).trim()).toBe("+cpuset +cpu +io +memory +pids");
    const attempt = Number(/\(attempt (\d+)\)/.exec(result.log)?.[1]);
    expect(attempt).toBeGreaterThan(1);
  });

  test("controllers that never get enabled are a warning, and the start goes on", async () => {
    const tree = fakeTree({ selfCgroup: "0::/\n", subtreeControlWritable: false });
    const result = await runScript(tree);
    expect(result.status).toBe(0);
    expect(result.log).toMatch(/WARNING: cgroup v2: could not enable '\+cpuset \+cpu \+io \+memory \+pids' .* after 20 attempts/);
  });
});
