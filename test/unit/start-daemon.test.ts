import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/stack-config";

// scripts/start-daemon.sh starts dockerd for scripts/engine-up.sh: the daemon outlives the
// script, and must not hold what the script's caller handed down (a lock taken with `flock`,
// the pipe a CI step reads), or the caller's lock and pipe stay open for the daemon's lifetime.

const SCRIPT = path.join(REPO_ROOT, "scripts", "start-daemon.sh");

test("the started command keeps none of the caller's extra descriptors, and the caller's pipes close while it runs", async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "start-daemon-"));
  const seen = path.join(work, "descriptors");
  const log = path.join(work, "command.log");
  // A stand-in daemon at a path of its own: writes to its log, lists its open descriptors, then stays up a while.
  const daemon = path.join(work, "standin-daemon");
  fs.writeFileSync(daemon, `#!/bin/sh\necho listed; ls /proc/$$/fd > ${seen}.tmp && mv ${seen}.tmp ${seen}; sleep 20\n`, { mode: 0o755 });
  // The caller hands down a fourth descriptor (3), as flock does with its lock file.
  const caller = spawn("bash", [SCRIPT, log, daemon], { stdio: ["ignore", "pipe", "pipe", "pipe"] });
  const closed = new Promise<number | null>((resolve) => caller.on("close", resolve));
  try {
    expect(await closed).toBe(0);
    for (let waited = 0; !fs.existsSync(seen) && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 100));
    const descriptors = fs.readFileSync(seen, "utf8").split(/\s+/).filter(Boolean);
    expect(descriptors).toEqual(expect.arrayContaining(["0", "1", "2"]));
    expect(descriptors).not.toContain("3");
    // "close" fired while the stand-in still sleeps: it held none of the caller's pipes.
    expect(fs.readFileSync(log, "utf8")).toContain("listed");
  } finally {
    spawn("pkill", ["-f", daemon]);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
