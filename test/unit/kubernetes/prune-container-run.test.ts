// The prune container of a DinD runner pod, run as the kubelet starts it: its whole command (the
// clients' wait for the daemon, then the prune loop) on the host's sh, after the kubelet's
// expansion, with the container's environment and stand-ins for docker, sleep and date. Rendered
// by pruneContainer directly.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KubernetesSettings, Settings } from "../../../components/config/schema";
import { pruneContainer } from "../../../components/kubernetes/prune-container";
import { expandReferences } from "../../engine/support/kubelet/expansion";
import { problemsIn133 } from "../../support/kubernetes-schema";
import { dindSettings, plainPod, runnerContext } from "../../support/kubernetes-fixtures";

type Container = Record<string, any>;

/** What a run of the container left: its exit status, its output and the docker and sleep calls it made, in order. */
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
}

/** The prune container of a runner pod with these settings (the schema's defaults for the rest), as plain JSON. */
function prune(settings: Settings = dindSettings(), kubernetes: Partial<KubernetesSettings> = {}): Container {
  return plainPod(pruneContainer(runnerContext(settings, kubernetes))) as unknown as Container;
}

/**
 * Runs the container's command as the kubelet would (its strings expanded against its env) on
 * the host's sh. `docker version` answers as `daemonUp` says, every other docker call succeeds;
 * `sleep` ends the run at its `rounds`th call of the prune loop's length (anything but the wait's
 * 0.2 s); `date +%s` advances 10 s a call, unless `withDate` is false (no date at all). The
 * container's PATH holds only these stand-ins (they find their own tools by a PATH of their own).
 */
function runContainer(container: Container, options: { daemonUp: boolean; rounds?: number; withDate?: boolean }): Run {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-prune-run-"));
  const log = path.join(bin, "calls");
  const clock = path.join(bin, "clock");
  fs.writeFileSync(log, "");
  fs.writeFileSync(clock, "0");
  const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nPATH=/usr/bin:/bin\n${body}\n`, { mode: 0o755 });
  stub("docker", `echo "docker $*" >> ${log}\n[ "$1" != version ] || exit ${options.daemonUp ? 0 : 1}`);
  stub("sleep", `echo "sleep $*" >> ${log}\n[ "$1" = 0.2 ] || [ "$(grep -c '^sleep [0-9]*$' ${log})" -lt ${options.rounds ?? 1} ] || kill -TERM $PPID`);
  if (options.withDate !== false) stub("date", `now=$(cat ${clock})\necho $((now + 10)) > ${clock}\necho "$now"`);
  const env = Object.fromEntries((container.env ?? []).map((entry: { name: string; value: string }) => [entry.name, entry.value]));
  const [program, ...args] = (container.command as string[]).map((text) => expandReferences(text, new Map(Object.entries(env))));
  try {
    const run = spawnSync(program, args, { env: { ...env, PATH: bin }, encoding: "utf8", timeout: 20_000 });
    if (run.error) throw run.error;
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls: fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) };
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

describe("the prune container, run as the kubelet starts it", () => {
  test("once its daemon answers, it prunes the images older than imagePruneAfterHours every imagePruneIntervalMinutes, and logs the age", () => {
    const base = runnerContext().kubernetes.dindStorage;
    const container = prune(dindSettings(), { dindStorage: { ...base, imagePruneAfterHours: 12, imagePruneIntervalMinutes: 15 } });
    const run = runContainer(container, { daemonUp: true, rounds: 2 });
    expect(run.calls.filter((call) => call !== "docker version")).toEqual([
      "docker image prune --all --force --filter until=12h",
      "sleep 900",
      "docker image prune --all --force --filter until=12h",
      "sleep 900",
    ]);
    expect(run.calls[0]).toBe("docker version");
    expect(run.stdout.split("\n").filter((line) => /\b12h\b/.test(line))).toHaveLength(2);
  });

  test("it waits workloads.readyTimeoutSeconds for its daemon, then fails naming that time", () => {
    const run = runContainer(prune(dindSettings({ workloads: { readyTimeoutSeconds: 45 } })), { daemonUp: false });
    expect(run.status).not.toBe(0);
    expect(run.calls).not.toContainEqual(expect.stringMatching(/prune/));
    expect(run.stderr).toMatch(/within 45s/);
    expect(run.stderr).not.toMatch(/120s/);
  });

  test("a DinD image whose shell lacks a tool the wait needs fails with a diagnostic naming the prune script", () => {
    const run = runContainer(prune(), { daemonUp: true, withDate: false });
    expect(run.status).not.toBe(0);
    const diagnostic = run.stderr.split("\n").find((line) => /\bdate\b/.test(line));
    expect(diagnostic).toMatch(/prune/);
  });

  test("its container is valid in the Kubernetes 1.33 API schema", () => {
    const pod = { type: "kubernetes:core/v1:Pod", inputs: { metadata: { name: "runner-0" }, spec: { containers: [prune()] } } };
    expect(problemsIn133(pod)).toBeUndefined();
  });
});
