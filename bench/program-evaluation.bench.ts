// Benchmark 5: evaluating index.ts under Pulumi mocks (what `pulumi preview` and `pulumi up` run
// before any resource exists) for every stack in stacks/, with 1, 10 and 100 clients
// (client containers on a Docker host, runner pods on Kubernetes).
// Each run loads the program's modules afresh, as a new Pulumi process does. No engine is used.
// Run: npx jest --config bench/jest.config.js (BENCH_REPS=N for other than 3 repetitions)
import { performance } from "node:perf_hooks";
import { DOCKER, ofType } from "../test/support/resource-queries";
import { RecordedResource, runProgram } from "../test/support/run-program";
import { deployableStack, stackConfig, stackNames, withOverrides } from "../test/support/stack-config";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { summarize, Summary } from "./support/stats";

const REPETITIONS = Number(process.env.BENCH_REPS ?? 3);
const CLIENT_COUNTS = [1, 10, 100];
/** The config allows at most 20 containers per client group. */
const GROUP_LIMIT = 20;

/** Client groups totalling `count` containers, at most GROUP_LIMIT per group. */
function clientGroups(count: number): { name: string; count: number }[] {
  return Array.from({ length: Math.ceil(count / GROUP_LIMIT) }, (_, index) => ({ name: `bench${index + 1}`, count: Math.min(GROUP_LIMIT, count - index * GROUP_LIMIT) }));
}

/**
 * How many client containers (Docker target) or runner pods (Kubernetes target: the replicas of
 * the runner Deployments and StatefulSets) a run declares for the bench's client groups.
 */
function declaredClients(resources: RecordedResource[]): number {
  const containers = ofType(resources, DOCKER.container).filter((resource) => /-bench\d+-\d+$/.test(resource.inputs.name));
  const workloads = resources.filter(
    (resource) => ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(resource.type) && /bench\d+/.test(resource.inputs.metadata?.name ?? ""),
  );
  return containers.length + workloads.reduce((sum, workload) => sum + (workload.inputs.spec?.replicas ?? 1), 0);
}

interface Measurement {
  stack: string;
  clients: number;
  resources: number;
  seconds: Summary & { samples: number[] };
}

test("program evaluation under mocks grows with the number of clients (figures printed and written to bench/results)", async () => {
  const measurements: Measurement[] = [];
  // The first run of a process also compiles and loads what later runs find cached; it is not counted.
  await runProgram("bench-warmup", stackConfig(stackNames()[0]));
  for (const stack of stackNames()) {
    for (const clients of CLIENT_COUNTS) {
      const deployable = deployableStack(stack);
      const config = withOverrides(deployable.config, { "dind-stack:workloads": { clients: clientGroups(clients) } });
      const samples: number[] = [];
      let resources = 0;
      for (let repetition = 0; repetition < REPETITIONS; repetition++) {
        const started = performance.now();
        const run = await runProgram(`bench-${stack}`, config, deployable.secretKeys);
        samples.push((performance.now() - started) / 1000);
        resources = run.resources.length;
        expect(declaredClients(run.resources)).toBe(clients);
      }
      measurements.push({ stack, clients, resources, seconds: { samples, ...summarize(samples) } });
    }
  }
  printTable(
    `Program evaluation under mocks (index.ts, modules loaded afresh per run), seconds, median (min-max) of ${REPETITIONS}`,
    measurements.map((entry) => {
      const single = measurements.find((other) => other.stack === entry.stack && other.clients === 1)!;
      return { stack: entry.stack, clients: String(entry.clients), resources: String(entry.resources), seconds: spread(entry.seconds, 3), "x 1 client": (entry.seconds.median / single.seconds.median).toFixed(2) };
    }),
  );
  writeResult("program-evaluation", describeMachine(), { repetitions: REPETITIONS, unit: "s", measurements });
});
