import { createHash } from "node:crypto";
import { runInThisContext } from "node:vm";
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { withProviderName } from "./lifecycle/kubernetes-naming";

/** Waits until every RPC the program started (registrations included) has finished (exported by the SDK, not typed). */
const waitForRPCs = (runtimeSettings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

/** Marks a value the provider computes and a preview cannot know yet (how the harness writes an unknown). */
export const UNKNOWN = "(known after apply)";

/**
 * An alias as the SDK sends it (an `Alias` message of the resource monitor protocol): an old URN,
 * or the parts of one, each left empty where the resource's own applies.
 */
export interface AliasSpec {
  /** A whole old URN. */
  urn?: string;
  /** Old logical name. */
  name?: string;
  /** Old type token. */
  type?: string;
  /** Old parent's URN. */
  parentUrn?: string;
  /** The resource had no parent. */
  noParent?: boolean;
  /** Old stack. */
  stack?: string;
  /** Old project. */
  project?: string;
}

/** The resource options that decide what `pulumi up` does with a resource, as the program sent them. */
export interface ResourceOptions {
  /** URN of the parent resource, if any. */
  parent?: string;
  /** URNs of every resource this one depends on (explicit dependsOn and those its inputs come from). */
  dependsOn: string[];
  /** For each input property, the URNs of the resources its value comes from. */
  propertyDependencies: Record<string, string[]>;
  /** Replace by deleting the old resource before creating the new one (true) or not (false); undefined leaves it to the provider. */
  deleteBeforeReplace?: boolean;
  /** Property paths whose change replaces the resource whatever the provider says (`*`: every change, and init errors). */
  replaceOnChanges: string[];
  /** Earlier identities of the resource. */
  aliases: AliasSpec[];
  /** Leave the physical resource in place when Pulumi deletes it. */
  retainOnDelete: boolean;
  /** Input properties whose changes are ignored (the old value is kept), as property paths (`spec.storageClassName`). */
  ignoreChanges: string[];
  /** URN of the provider resource the resource uses, when it names one. */
  provider?: string;
}

/** A resource the program registered, as the mock monitor saw it. */
export interface RecordedResource {
  /** The resource's URN, formed as Pulumi forms it (parent type chain, type, name). */
  urn: string;
  /** Type token, e.g. `docker:index/container:Container`. */
  type: string;
  /** Logical name. */
  name: string;
  /** False for component resources (no provider object). */
  custom: boolean;
  /** Inputs as sent to the engine (secrets unwrapped). */
  inputs: Record<string, any>;
  /** Paths (e.g. `uploads.0.content`) of inputs that were sent as secrets. */
  secretPaths: string[];
  /** When registration started, on a counter shared by all resources of the run. */
  started: number;
  /** When registration finished (the resource was realized), on the same counter. */
  finished: number;
  /** Resource options as sent to the engine. */
  options: ResourceOptions;
}

/** The logical name at the end of a URN. */
export function nameOfUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getDeletebeforereplace(): boolean;
  setDeletebeforereplace(value: boolean): void;
  getDeletebeforereplacedefined(): boolean;
  setDeletebeforereplacedefined(value: boolean): void;
  getReplaceonchangesList(): string[];
  setReplaceonchangesList(value: string[]): void;
  getAliasesList(): AliasMessage[];
  setAliasesList(value: AliasMessage[]): void;
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getProvider(): string;
}

interface AliasMessage {
  getUrn(): string;
  hasSpec(): boolean;
  getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

/** The project's name, as Pulumi.yaml gives it. */
export const PROJECT = "dind-stack";

/** The URN Pulumi gives a resource: the parent's type chain, then the type and the name (resource.CreateURN in pulumi/pulumi's sdk/go/common/resource/urn.go). */
export function urnOf(stack: string, parent: string, type: string, name: string, project = PROJECT): string {
  const qualifiedType = parent ? `${parent.split("::")[2]}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** The program's resource options changed before they reach the engine, to show what `pulumi up` does without them. */
export interface ProgramVariant {
  /** deleteBeforeReplace on every resource: false (create-first, whatever the provider asks for), or unset (the provider decides). */
  deleteBeforeReplace?: false | "unset";
  /** Drops every alias. */
  aliases?: false;
  /** Drops every replaceOnChanges. */
  replaceOnChanges?: false;
}

/** How the program is run. */
export interface RunOptions {
  /** Realizes each resource; by default, fakeRealize. */
  realize?: Realize;
  /** Resource options changed on their way to the engine. */
  variant?: ProgramVariant;
  /** Runs as `pulumi preview` does: the SDK treats unknown values as unknown (applies on them do not run). */
  preview?: boolean;
}

function aliasSpecOf(alias: AliasMessage): AliasSpec {
  if (!alias.hasSpec()) return { urn: alias.getUrn() };
  const spec = alias.getSpec()!;
  const text = (value: string) => value || undefined;
  return {
    name: text(spec.getName()),
    type: text(spec.getType()),
    stack: text(spec.getStack()),
    project: text(spec.getProject()),
    parentUrn: text(spec.getParenturn()),
    noParent: spec.getNoparent() || undefined,
  };
}

/** Applies a program variant to a registration request. */
function applyVariant(request: RegisterRequest, variant: ProgramVariant | undefined): void {
  if (variant?.deleteBeforeReplace !== undefined) {
    request.setDeletebeforereplace(false);
    request.setDeletebeforereplacedefined(variant.deleteBeforeReplace === false);
  }
  if (variant?.aliases === false) request.setAliasesList([]);
  if (variant?.replaceOnChanges === false) request.setReplaceonchangesList([]);
}

/**
 * Records the resource options of every registration, which the mocks API does not pass on,
 * and refuses a second resource with the same URN as Pulumi's engine does.
 */
function recordOptions(stack: string, run: RunOptions, fail: (error: Error) => void): Map<string, { urn: string; options: ResourceOptions }> {
  const recorded = new Map<string, { urn: string; options: ResourceOptions }>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (request: RegisterRequest, callback: (error: unknown) => void) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const urn = urnOf(stack, request.getParent(), request.getType(), request.getName());
    // The mocks API passes only type and name on, so those must tell resources apart.
    const key = `${request.getType()}::${request.getName()}`;
    const earlier = recorded.get(key);
    if (earlier) {
      const error = new Error(earlier.urn === urn ? `Duplicate resource URN '${urn}'; try giving it a unique name` : `harness: two resources named ${key}`);
      fail(error);
      return callback(error);
    }
    applyVariant(request, run.variant);
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((value, key) => {
      propertyDependencies[key] = value.getUrnsList();
    });
    recorded.set(key, {
      urn,
      options: {
        parent: request.getParent() || undefined,
        dependsOn: request.getDependenciesList(),
        propertyDependencies,
        deleteBeforeReplace: request.getDeletebeforereplacedefined() ? request.getDeletebeforereplace() : undefined,
        replaceOnChanges: request.getReplaceonchangesList(),
        aliases: request.getAliasesList().map(aliasSpecOf),
        retainOnDelete: request.getRetainondelete() ?? false,
        ignoreChanges: request.getIgnorechangesList(),
        // A provider reference is `<urn>::<id>`.
        provider: request.getProvider() ? request.getProvider().slice(0, request.getProvider().lastIndexOf("::")) : undefined,
      },
    });
    return register(request, callback);
  };
  // A program that failed can leave a component's registerOutputs in flight; it reaches the
  // next run's monitor, which does not know the URN. It belongs to no resource of this run.
  const monitorWithOutputs = monitor as unknown as { registerResourceOutputs: (request: { getUrn(): string }, callback: (error: unknown, response?: unknown) => void) => unknown };
  const registerOutputs = monitorWithOutputs.registerResourceOutputs.bind(monitor);
  monitorWithOutputs.registerResourceOutputs = (request, callback) => {
    const ofThisRun = [...recorded.values()].some((entry) => entry.urn === request.getUrn());
    return ofThisRun ? registerOutputs(request, callback) : callback(null, {});
  };
  return recorded;
}

/** Produces the id and state of a resource; by default the inputs plus what the docker provider would compute. */
export type Realize = (resource: RecordedResource) => Promise<{ id: string; state: Record<string, any> }>;

/** Replaces Pulumi's secret wrappers with their plain values (and, in a preview, unknown values with UNKNOWN). */
export function unwrapSecrets(value: any): any {
  if (isUnknown(value)) return UNKNOWN;
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

/**
 * What a mocked provider answers: ids and computed outputs; a Kubernetes object the program
 * leaves unnamed gets pulumi-kubernetes' kind of name, with a suffix from the resource's name
 * (the provider's is random; this one keeps runs comparable).
 */
export async function fakeRealize({ type, name, inputs }: RecordedResource): Promise<{ id: string; state: Record<string, any> }> {
  await new Promise((resolve) => setImmediate(resolve));
  const fakeDigest = `sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`;
  switch (type) {
    case "docker:index/image:Image":
      return { id: fakeDigest, state: { ...inputs, repoDigest: fakeDigest } };
    case "docker:index/remoteImage:RemoteImage":
      return { id: `${fakeDigest}${inputs.name}`, state: { ...inputs, imageId: fakeDigest, repoDigest: `${inputs.name}@${fakeDigest}` } };
    default:
      if (type.startsWith("kubernetes:")) return { id: `${name}-id`, state: withProviderName(name, inputs, undefined, () => createHash("sha256").update(name).digest("hex").slice(0, 8)) };
      return { id: `${name}-id`, state: inputs };
  }
}

/** Errors already reported by a run: the SDK rejects several promises with the same error object. */
const reportedErrors = new WeakSet<object>();
/** Where the running program's failures go, while one runs. */
let activeRun: ((error: unknown) => void) | undefined;
/** This module's listener, once installed. */
let installedListener: ((reason: unknown, promise: unknown) => void) | undefined;

/**
 * Like the CLI's language host, which fails the deployment with a rejection nobody handles (an
 * apply that throws surfaces so, while the SDK serializes a resource's inputs) and reports each
 * error once: such rejections go to `report` while the program runs, and the copies that settle
 * later are dropped; any other rejection still reaches jest's own listeners. The listener goes
 * on Node's process object, since test code gets a copy whose listeners never fire.
 */
function catchProgramRejections(report: (error: unknown) => void): () => void {
  const nodeProcess = runInThisContext("process") as NodeJS.Process;
  if (!installedListener || !nodeProcess.listeners("unhandledRejection").includes(installedListener)) {
    const others = nodeProcess.listeners("unhandledRejection") as ((...args: unknown[]) => void)[];
    const listener = (reason: unknown, promise: unknown) => {
      const error = typeof reason === "object" && reason !== null ? reason : undefined;
      if (error && reportedErrors.has(error)) return;
      if (!activeRun) return others.forEach((other) => other(reason, promise));
      if (error) reportedErrors.add(error);
      activeRun(reason);
    };
    installedListener = listener;
    nodeProcess.removeAllListeners("unhandledRejection");
    nodeProcess.on("unhandledRejection", listener);
  }
  activeRun = report;
  return () => {
    activeRun = undefined;
  };
}

/** A state with every UNKNOWN replaced by the resource monitor protocol's unknown value. */
function withUnknownValues(value: any): any {
  if (value === UNKNOWN) return unknownValue;
  if (Array.isArray(value)) return value.map(withUnknownValues);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withUnknownValues(inner)]));
  return value;
}

/** Result of one run of index.ts under mocks. */
export interface ProgramRun {
  /** Every registered resource, in registration order. */
  resources: RecordedResource[];
  /** The stack outputs, resolved. */
  outputs: Record<string, unknown>;
  /** The warnings the program logged (pulumi.log.warn), as the CLI would show them; under mocks the SDK writes them to console.warn. */
  warnings: string[];
}

/** The internals of an Output that tell whether its value is known (in a preview an apply on an unknown value never runs). */
interface OutputInternals {
  isKnown: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

async function resolveDeep(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as unknown as OutputInternals;
    try {
      return (await output.isKnown) ? resolveDeep(await output.promise()) : UNKNOWN;
    } catch (error) {
      // Reported here; the SDK's copies of the same rejection that settle later are dropped.
      if (typeof error === "object" && error !== null) reportedErrors.add(error);
      throw error;
    }
  }
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
export async function runProgram(stack: string, config: Record<string, string>, secretKeys: string[] = [], run: RunOptions = {}): Promise<ProgramRun> {
  const realize = run.realize ?? fakeRealize;
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
        const { urn, options } = recorded.get(`${args.type}::${args.name}`)!;
        const record: RecordedResource = {
          urn,
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          inputs: unwrapSecrets(args.inputs),
          secretPaths: secretPathsOf(args.inputs),
          started: ++clock,
          finished: 0,
          options,
        };
        resources.push(record);
        const realization = realize(record);
        inFlight.add(realization);
        const realized = await realization.catch(async (error: unknown) => {
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
        // What a preview cannot know goes back to the SDK as the protocol's unknown value.
        return run.preview ? { id: realized.id === UNKNOWN ? "" : realized.id, state: withUnknownValues(realized.state) } : realized;
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
    run.preview ?? false,
  );
  const recorded = recordOptions(stack, run, reportFailure);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const stopCatching = catchProgramRejections(reportFailure);
  // The program's warnings are kept with the run, as the CLI keeps diagnostics, not printed.
  const warnings: string[] = [];
  const warn = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
  });
  try {
    let program: Record<string, unknown> = {};
    await jest.isolateModulesAsync(async () => {
      program = await import("../../index");
    });
    const outputs = (await Promise.race([resolveDeep({ ...program }), failed])) as Record<string, unknown>;
    // Like the engine, which waits for the program to finish: every registration has completed.
    await Promise.race([waitForRPCs(), failed]);
    return { resources, outputs, warnings };
  } finally {
    warn.mockRestore();
    stopCatching();
  }
}
