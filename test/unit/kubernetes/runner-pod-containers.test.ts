// What the kubelet does with a runner pod's containers beyond their start order (see
// runner-pods.test.ts): the daemon's health as the DinD image itself defines it, when images are
// pulled, that every mount has a volume behind it, and what the job's shell says when its
// command cannot start. Rendered by runnerPodSpec and runnerWorkload directly.
import { execFileSync, spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runnerPodSpec } from "../../../components/kubernetes/runner-pod";
import { runnerWorkload } from "../../../components/kubernetes/runner-workloads";
import { expandReferences } from "../../engine/support/kubelet/expansion";
import { dindSettings, plainPod, runnerContext } from "../../support/kubernetes-fixtures";
import { REPO_ROOT } from "../../support/stack-config";

type Container = Record<string, any>;

const every = (spec: Record<string, any>): Container[] => [...(spec.initContainers ?? []), ...spec.containers];
const named = (spec: Record<string, any>, name: string): Container => every(spec).find((candidate) => candidate.name === name)!;
const env = (spec: Container): Map<string, string> => new Map((spec.env ?? []).filter((entry: any) => typeof entry.value === "string").map((entry: any) => [entry.name, entry.value]));

/** The exec-form command of the DinD image's HEALTHCHECK, as its Dockerfile declares it. */
function imageHealthcheck(): string[] {
  const dockerfile = fs.readFileSync(path.join(REPO_ROOT, "components", "dind-image", "docker", "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const match = /^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!match) throw new Error("the DinD image's Dockerfile has no exec-form HEALTHCHECK");
  return JSON.parse(match[1]) as string[];
}

describe("the daemon's probes", () => {
  test("startup, readiness and liveness run the DinD image's own HEALTHCHECK command", () => {
    const daemon = named(plainPod(runnerPodSpec(dindSettings().workloads.clients[0], runnerContext())), "dind");
    const healthcheck = imageHealthcheck();
    for (const probe of [daemon.startupProbe, daemon.readinessProbe, daemon.livenessProbe]) expect(probe.exec.command).toEqual(healthcheck);
  });
});

describe("image pulls", () => {
  test("every container asks for its image to be pulled only when the node lacks it", () => {
    for (const sidecar of ["native", "classic"] as const) {
      const spec = plainPod(runnerPodSpec(dindSettings().workloads.clients[0], runnerContext(undefined, { sidecar })));
      expect(every(spec).map((container) => [container.name, container.imagePullPolicy])).toEqual(every(spec).map((container) => [container.name, "IfNotPresent"]));
    }
  });
});

describe("mounts", () => {
  const variants = (): [string, Parameters<typeof runnerContext>][] => [
    ["DinD with TLS", []],
    ["DinD without TLS", [dindSettings({ daemon: { tls: false } })]],
    ["DinD, classic sidecar", [undefined, { sidecar: "classic" }]],
    ["DinD with registry credentials and a registry CA", [undefined, {}, { dockerConfigSecret: "docker-config-x", registryCa: { configMap: "registry-ca", registryNames: ["registry.ns.svc:5000"] } }]],
    ["DinD, a cache claim per pod", [undefined, { dindCache: "volumeClaim" }]],
    ["DooD", [undefined, {}, { mode: "dood" }]],
    ["DooD with registry credentials", [undefined, {}, { mode: "dood", dockerConfigSecret: "docker-config-x" }]],
  ];

  test("every mount of every container names a volume of the pod or a claim of its workload, whatever the settings", () => {
    const client = dindSettings().workloads.clients[0];
    for (const [variant, args] of variants()) {
      const workload = JSON.parse(JSON.stringify(runnerWorkload(client, { ...runnerContext(...args), stack: "prod", namespace: "run-ns", daemonJsonDigest: "0123456789abcdef" }).args));
      const spec = workload.spec.template.spec;
      const volumes = new Set([...(spec.volumes ?? []), ...(workload.spec.volumeClaimTemplates ?? []).map((claim: any) => claim.metadata)].map((volume: any) => volume.name));
      const dangling = every(spec).flatMap((container) => (container.volumeMounts ?? []).filter((mount: any) => !volumes.has(mount.name)).map((mount: any) => `${container.name}: ${mount.name}`));
      expect({ variant, dangling }).toEqual({ variant, dangling: [] });
    }
  });
});

describe("the job's shell", () => {
  test("when the client's command cannot start, the shell's error names the wait script as its log lines do", () => {
    const settings = dindSettings({ workloads: { clients: [{ name: "builder", command: ["no-such-command-dind-stack"] }] } });
    const job = named(plainPod(runnerPodSpec(settings.workloads.clients[0], runnerContext(settings))), "job");
    const variables = env(job);
    const asRun = (text: string) => expandReferences(text, variables);
    // A PATH with `date` and no docker CLI: the wait script says so and starts the command at once.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-job-shell-"));
    fs.symlinkSync(execFileSync("/bin/sh", ["-c", "command -v date"], { encoding: "utf8" }).trim(), path.join(bin, "date"));
    let run: SpawnSyncReturns<string>;
    try {
      run = spawnSync(job.command[0], [...job.command.slice(1), ...job.args].map(asRun), { env: { ...Object.fromEntries(variables), PATH: bin }, encoding: "utf8", timeout: 10_000 });
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    expect(run.status).not.toBe(0);
    const lines = run.stderr.trim().split("\n");
    const logName = /^\[([^\]]+)\]/.exec(lines[0])?.[1];
    expect(logName).toBeDefined();
    expect(lines.find((line) => line.includes("no-such-command-dind-stack") && !line.startsWith("["))).toMatch(new RegExp(`^${logName}: `));
  });
});
