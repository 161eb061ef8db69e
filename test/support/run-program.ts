import * as pulumi from "@pulumi/pulumi";

/** A resource the program registered, as the mock monitor saw it. */
export interface RecordedResource {
  /** Type token, e.g. `docker:index/container:Container`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs as sent to the engine (secrets unwrapped). */
  inputs: Record<string, any>;
  /** Paths (e.g. `uploads.0.content`) of inputs that were sent as secrets. */
  secretPaths: string[];
  /** When registration started, on a counter shared by all resources of the run. */
  started: number;
  /** When registration finished (the resource was realized), on the same counter. */
  finished: number;
  /** Resource options as sent to the engine: parent and explicit dependencies (logical names), retainOnDelete. */
  options: { parent?: string; dependsOn: string[]; retainOnDelete: boolean };
}

/** The logical name at the end of a URN. */
function nameOfUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

interface RegisterRequest {
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getRetainondelete(): boolean;
}

/** Records the resource options of every registration, which the mocks API does not pass on. */
function recordOptions(): Map<string, RecordedResource["options"]> {
  const options = new Map<string, RecordedResource["options"]>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (request: RegisterRequest, callback: unknown) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    options.set(request.getName(), {
      parent: request.getParent() ? nameOfUrn(request.getParent()) : undefined,
      dependsOn: request.getDependenciesList().map(nameOfUrn),
      retainOnDelete: request.getRetainondelete(),
    });
    return register(request, callback);
  };
  return options;
}

/** Produces the id and state of a resource; by default the inputs plus what the docker provider would compute. */
export type Realize = (type: string, name: string, inputs: Record<string, any>) => Promise<{ id: string; state: Record<string, any> }>;

/** Replaces Pulumi's secret wrappers with their plain values. */
export function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]));
  }
  return value;
}

/** The paths of secret values inside `value`. */
export function secretPathsOf(value: any, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((inner, index) => secretPathsOf(inner, `${prefix}${index}.`));
  if (value && typeof value === "object") {
    if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return [prefix.replace(/\.$/, "")];
    return Object.entries(value).flatMap(([key, inner]) => secretPathsOf(inner, `${prefix}${key}.`));
  }
  return [];
}

/** What a mocked docker provider answers: ids and computed outputs. */
export async function fakeRealize(type: string, name: string, inputs: Record<string, any>): Promise<{ id: string; state: Record<string, any> }> {
  await new Promise((resolve) => setImmediate(resolve));
  const fakeDigest = `sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`;
  switch (type) {
    case "docker:index/image:Image":
      return { id: fakeDigest, state: { ...inputs, repoDigest: fakeDigest } };
    case "docker:index/remoteImage:RemoteImage":
      return { id: `${fakeDigest}${inputs.name}`, state: { ...inputs, imageId: fakeDigest, repoDigest: `${inputs.name}@${fakeDigest}` } };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

/** Result of one run of index.ts under mocks. */
export interface ProgramRun {
  /** Every registered resource, in registration order. */
  resources: RecordedResource[];
  /** The stack outputs, resolved. */
  outputs: Record<string, unknown>;
}

async function resolveDeep(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) return resolveDeep(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve)));
  if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
  if (value && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([key, inner]) => [key, await resolveDeep(inner)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * Runs index.ts under Pulumi mocks for `stack` with `config` (namespace:key → string).
 * Mocks and config are process-global, so each run gets a fresh module registry.
 */
export async function runProgram(stack: string, config: Record<string, string>, secretKeys: string[] = [], realize: Realize = fakeRealize): Promise<ProgramRun> {
  const resources: RecordedResource[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let clock = 0;
  // A failed registration does not reject the program's import; outputs would wait forever.
  let reportFailure: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    reportFailure = reject;
  });
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const record: RecordedResource = {
          type: args.type,
          name: args.name,
          inputs: unwrapSecrets(args.inputs),
          secretPaths: secretPathsOf(args.inputs),
          started: ++clock,
          finished: 0,
          options: options.get(args.name) ?? { dependsOn: [], retainOnDelete: false },
        };
        resources.push(record);
        const realization = realize(args.type, args.name, record.inputs);
        inFlight.add(realization);
        const result = await realization.catch(async (error: unknown) => {
          // Report once the realizations already under way have finished, so nothing is
          // still being created when the caller cleans up.
          inFlight.delete(realization);
          await Promise.allSettled([...inFlight]);
          reportFailure(new Error(`${args.type} ${args.name}: ${error instanceof Error ? error.message : String(error)}`));
          // Like an engine that stops at the first error: what depends on this resource is
          // never registered (instead of every dependent failing with a copy of the error).
          return new Promise<never>(() => undefined);
        });
        inFlight.delete(realization);
        record.finished = ++clock;
        return result;
      },
      call: (args) => args.inputs,
    },
    "dind-stack",
    stack,
    false,
  );
  const options = recordOptions();
  pulumi.runtime.setAllConfig(config, secretKeys);
  let program: Record<string, unknown> = {};
  await jest.isolateModulesAsync(async () => {
    program = await import("../../index");
  });
  const outputs = (await Promise.race([resolveDeep({ ...program }), failed])) as Record<string, unknown>;
  return { resources, outputs };
}
