import { ProgramRun, RecordedResource, runProgram } from "../run-program";
import { formatStep, Step } from "./plan";
import { checkInputs } from "./provider-check";
import { Diff, diffInputs, rulesOf, UNKNOWN } from "./provider-rules";
import { deletionOrder, dependentReplacements, emptyState, entryOf, StackState, StateEntry } from "./stack-state";

/** The provider's id and output state of a resource. */
export interface Realized {
  /** Provider id. */
  id: string;
  /** Output state. */
  state: Record<string, any>;
}

/** What a provider does to physical resources: the one place a deployment touches the engine. */
export interface ResourceOps {
  /** Creates the resource. */
  create(resource: RecordedResource): Promise<Realized>;
  /** Updates an existing resource in place (the diff says which fields changed). */
  update(previous: StateEntry, resource: RecordedResource, diff: Diff): Promise<Realized>;
  /** Deletes the resource. */
  remove(entry: StateEntry): Promise<void>;
  /** During a preview: whether this resource is created or updated for real (an Image with buildOnPreview). */
  actsOnPreview(resource: RecordedResource): boolean;
}

/** One `pulumi up` or `pulumi preview` of a stack. */
export interface DeploymentRequest {
  /** Stack name. */
  stack: string;
  /** The stack's config (namespace:key to string). */
  config: Record<string, string>;
  /** Config keys set as secrets. */
  secretKeys?: string[];
  /** The state left by the previous deployment. */
  state: StackState;
  /** How resources are created, updated and deleted. */
  ops: ResourceOps;
  /** Drops deleteBeforeReplace from every resource (to show what the program would do without it). */
  withoutDeleteBeforeReplace?: boolean;
}

/** What a deployment did. */
export interface DeploymentResult {
  /** The program's run: registered resources and stack outputs. */
  run: ProgramRun;
  /** Every step, in the order it ran. */
  steps: Step[];
  /** The state after the deployment (unchanged by a preview). */
  state: StackState;
}

/** A deployment that stopped at an error, with the state it left (what completed is recorded). */
export class DeploymentFailed extends Error {
  constructor(
    message: string,
    /** The state after the failure. */
    readonly state: StackState,
    /** The steps that ran before the failure. */
    readonly steps: Step[],
  ) {
    super(message);
  }
}

/** A provider that only plans: nothing is touched, except what the provider itself acts on during a preview. */
function previewOps(ops: ResourceOps): ResourceOps {
  const planned = (resource: RecordedResource, id: string): Realized => {
    const state = structuredClone(resource.inputs);
    for (const path of rulesOf(resource.type).computed) setPath(state, path.split("."), UNKNOWN);
    return { id, state };
  };
  return {
    create: (resource) => (ops.actsOnPreview(resource) ? ops.create(resource) : Promise.resolve(planned(resource, UNKNOWN))),
    update: (previous, resource, diff) => (ops.actsOnPreview(resource) ? ops.update(previous, resource, diff) : Promise.resolve(planned(resource, previous.id))),
    remove: () => Promise.resolve(),
    actsOnPreview: ops.actsOnPreview,
  };
}

/** Sets the value at a path of objects (`["spec", "clusterIP"]`), making the objects on the way; `undefined` deletes it. */
function setPath(target: Record<string, any>, path: readonly string[], value: unknown): void {
  const [key, ...rest] = path;
  if (rest.length === 0) {
    if (value === undefined) delete target[key];
    else target[key] = value;
    return;
  }
  if (typeof target[key] !== "object" || target[key] === null) {
    if (value === undefined) return;
    target[key] = {};
  }
  setPath(target[key], rest, value);
}

/**
 * Keeps the old value at every path the resource's ignoreChanges names (`spec.storageClassName`),
 * or drops the new one where there was none, as Pulumi's engine does before it asks for a diff.
 */
function applyIgnoreChanges(resource: RecordedResource, previous: StateEntry): void {
  for (const field of resource.options.ignoreChanges) {
    const path = field.split(".");
    const old = path.reduce<any>((value, key) => (value && typeof value === "object" ? value[key] : undefined), previous.inputs);
    setPath(resource.inputs, path, old === undefined ? undefined : structuredClone(old));
  }
}

/**
 * Runs the program against the previous state the way `pulumi up` does (or plans it, as
 * `pulumi preview` does, with `preview`): each resource as it registers is created, left as is,
 * updated in place or replaced, following the provider's field rules; a replacement creates
 * the new resource first unless the resource sets deleteBeforeReplace or the provider's diff
 * asks for it (pulumi-kubernetes, for a named object), in which case the old one, and every
 * dependent that must be replaced with it, is deleted first; after the program has finished,
 * the replaced resources and those the program no longer declares are deleted in reverse
 * dependency order, those with retainOnDelete only dropped from the state.
 */
async function deploy(request: DeploymentRequest, preview: boolean): Promise<DeploymentResult> {
  const ops = preview ? previewOps(request.ops) : request.ops;
  const previous = new Map(request.state.resources.map((entry) => [entry.urn, entry] as const));
  const next = new Map<string, StateEntry>();
  const steps: Step[] = [];
  const removed = new Set<string>();
  const replacedWith = new Map<string, string>();
  const pendingDeletes: StateEntry[] = [];
  const record = (step: Step) => {
    steps.push(step);
    if (step.op !== "same") process.stderr.write(`[plan${preview ? " (preview)" : ""}] ${formatStep(step)}\n`);
  };
  const remove = async (entry: StateEntry) => {
    if (!entry.options.retainOnDelete) await ops.remove(entry);
    removed.add(entry.urn);
  };

  // Replaced resources a failed deployment left behind go first, as Pulumi deletes them first.
  for (const entry of deletionOrder(request.state.pendingDeletes, request.state.pendingDeletes)) {
    await remove(entry);
    record({ op: entry.options.retainOnDelete ? "retain" : "delete", urn: entry.urn, type: entry.type, name: entry.name, fields: [] });
  }

  // The inputs of the provider a resource names (registered before it, so already in this run).
  const providerInputs = (resource: RecordedResource) => {
    const urn = resource.options.provider;
    if (urn === undefined) return undefined;
    const provider = next.get(urn);
    if (!provider) throw new Error(`lifecycle: ${resource.name} uses provider ${urn}, which this run has not registered`);
    return provider.inputs;
  };

  const step = async (resource: RecordedResource): Promise<Realized> => {
    checkInputs(resource);
    const old = previous.get(resource.urn);
    const base = { urn: resource.urn, type: resource.type, name: resource.name };
    let realized: Realized;
    if (!resource.custom) {
      realized = { id: "", state: {} };
    } else if (!old || removed.has(old.urn)) {
      realized = await ops.create(resource);
      const cause = replacedWith.get(resource.urn);
      record(cause ? { ...base, op: "replace", fields: [], deleteBeforeReplace: true, replacedWith: cause } : { ...base, op: "create", fields: [] });
    } else {
      applyIgnoreChanges(resource, old);
      const diff = diffInputs(resource.type, old.inputs, resource.inputs, providerInputs(resource));
      if (diff.kind === "same") {
        realized = { id: old.id, state: old.outputs };
        record({ ...base, op: "same", fields: [] });
      } else if (diff.kind === "update") {
        realized = await ops.update(old, resource, diff);
        record({ ...base, op: "update", fields: diff.changed });
      } else if (resource.options.deleteBeforeReplace || diff.deleteBeforeReplace) {
        const dependents = dependentReplacements(request.state.resources, old);
        for (const dependent of deletionOrder(dependents, request.state.resources)) {
          replacedWith.set(dependent.urn, resource.name);
          await remove(dependent);
        }
        await remove(old);
        realized = await ops.create(resource);
        record({ ...base, op: "replace", fields: diff.replaceFields, deleteBeforeReplace: true });
      } else {
        realized = await ops.create(resource);
        pendingDeletes.push(old);
        record({ ...base, op: "replace", fields: diff.replaceFields, deleteBeforeReplace: false });
      }
    }
    next.set(resource.urn, entryOf(resource, realized.id, realized.state));
    return realized;
  };

  let run: ProgramRun;
  try {
    run = await runProgram(request.stack, request.config, request.secretKeys ?? [], { realize: step, withoutDeleteBeforeReplace: request.withoutDeleteBeforeReplace });
    const condemned = request.state.resources.filter((entry) => !next.has(entry.urn) && !removed.has(entry.urn));
    for (const entry of deletionOrder([...condemned, ...pendingDeletes], request.state.resources)) {
      await remove(entry);
      if (entry.custom) record({ op: entry.options.retainOnDelete ? "retain" : "delete", urn: entry.urn, type: entry.type, name: entry.name, fields: [] });
    }
  } catch (error) {
    const kept = request.state.resources.filter((entry) => !next.has(entry.urn) && !removed.has(entry.urn));
    const state = preview ? request.state : { resources: [...kept, ...next.values()], pendingDeletes: pendingDeletes.filter((entry) => !removed.has(entry.urn)) };
    throw new DeploymentFailed(error instanceof Error ? error.message : String(error), state, steps);
  }
  const order = run.resources.map((resource) => next.get(resource.urn)!);
  return { run, steps, state: preview ? request.state : { resources: order, pendingDeletes: [] } };
}

/** `pulumi up`: applies the program to the stack. */
export function up(request: DeploymentRequest): Promise<DeploymentResult> {
  return deploy(request, false);
}

/** `pulumi preview`: the steps `up` would take; nothing changes but what the provider itself does in a preview. */
export function preview(request: DeploymentRequest): Promise<DeploymentResult> {
  return deploy(request, true);
}

/** `pulumi destroy`: deletes every resource of the stack in reverse dependency order (retainOnDelete ones stay). */
export async function destroy(state: StackState, ops: ResourceOps): Promise<{ steps: Step[]; state: StackState }> {
  const steps: Step[] = [];
  for (const entry of deletionOrder([...state.resources, ...state.pendingDeletes], [...state.resources, ...state.pendingDeletes])) {
    if (!entry.custom) continue;
    if (!entry.options.retainOnDelete) await ops.remove(entry);
    const step: Step = { op: entry.options.retainOnDelete ? "retain" : "delete", urn: entry.urn, type: entry.type, name: entry.name, fields: [] };
    steps.push(step);
    process.stderr.write(`[plan (destroy)] ${formatStep(step)}\n`);
  }
  return { steps, state: emptyState() };
}
