import { PROJECT, ProgramRun, ProgramVariant, RecordedResource, runProgram } from "../run-program";
import { formatStep, Step } from "./plan";
import { checkInputs } from "./provider-check";
import { Diff, diffInputs, rulesOf, UNKNOWN } from "./provider-rules";
import { aliasUrns, applyReplaceOnChanges } from "./engine-rules";
import { deletionOrder, dependentReplacements, emptyState, entryOf, StackState, StateEntry } from "./stack-state";

/** The provider's id and output state of a resource. */
export interface Realized {
  /** Provider id. */
  id: string;
  /** Output state. */
  state: Record<string, any>;
}

/**
 * A create (or update) that failed after the provider had made the resource: the provider
 * returns its id and state with the error (pulumi-terraform-bridge's `initializationError` in
 * pkg/tfbridge/provider.go, when the Terraform provider has already called `SetId`, as
 * kreuzwerker's container create does before it starts the container and waits for its health).
 * The engine keeps such a resource, with its init errors, and fails the deployment
 * (pulumi/pulumi pkg/resource/deploy/step.go, CreateStep.Apply: `s.new.InitErrors = initErr.Reasons`;
 * pkg/engine/update.go: a partial failure is still written to the snapshot).
 */
export class InitError extends Error {
  constructor(
    message: string,
    /** What the provider returned: the resource exists. */
    readonly realized: Realized,
  ) {
    super(message);
  }
}

/** What a provider does to physical resources: the one place a deployment touches the engine. */
export interface ResourceOps {
  /** Creates the resource (in a preview, only for a resource that acts on preview: it must then touch nothing the stack serves). */
  create(resource: RecordedResource, preview?: boolean): Promise<Realized>;
  /** Updates an existing resource in place (the diff says which fields changed; none for a resource updated for its init errors). */
  update(previous: StateEntry, resource: RecordedResource, diff: Diff, preview?: boolean): Promise<Realized>;
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
  /** The program's resource options changed on their way to the engine (to show what it would do without them). */
  variant?: ProgramVariant;
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
    create: (resource) => (ops.actsOnPreview(resource) ? ops.create(resource, true) : Promise.resolve(planned(resource, UNKNOWN))),
    update: (previous, resource, diff) => (ops.actsOnPreview(resource) ? ops.update(previous, resource, diff, true) : Promise.resolve(planned(resource, previous.id))),
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

/** The step of a deletion, as a preview lists it. */
function deletionStep(entry: StateEntry): Step {
  return { op: entry.options.retainOnDelete ? "retain" : "delete", urn: entry.urn, type: entry.type, name: entry.name, fields: [] };
}

/**
 * Runs the program against the previous state the way `pulumi up` does (or plans it, as
 * `pulumi preview` does, with `preview`), following pulumi/pulumi's step generator
 * (pkg/resource/deploy/step_generator.go) and snapshot manager (pkg/backend/snapshot.go):
 *
 * - each resource as it registers is looked up by its URN, then by its aliases
 *   (`getOldResource`); two resources claiming one old resource fail the deployment;
 * - it is created, left as is, updated in place or replaced, by the provider's diff with the
 *   resource's replaceOnChanges applied; a resource kept with init errors and no diff gets an
 *   update that changes nothing, unless replaceOnChanges covers `*` (then it is replaced);
 * - a replacement deletes first when the program's deleteBeforeReplace says so, else when the
 *   provider's diff asks for it; the old resource, and each dependent replaced with it, stays in
 *   the state as pending replacement until its new version is created; otherwise the new one is
 *   created first and the old one marked for deletion;
 * - after the program has finished, what was marked for deletion (earlier failed deployments'
 *   too) and what the program no longer declares are deleted in dependency order
 *   (`GenerateDeletes`, `ScheduleDeletes`), retainOnDelete ones only dropped from the state;
 * - every completed step is kept: a failed deployment leaves the new states of the steps that
 *   completed, then the previous states nothing touched, with their marks.
 */
async function deploy(request: DeploymentRequest, preview: boolean): Promise<DeploymentResult> {
  const ops = preview ? previewOps(request.ops) : request.ops;
  // The previous states, copied: the deployment marks them (pending delete, pending replacement).
  const base = request.state.resources.map((entry) => ({ ...entry }));
  const olds = new Map(base.filter((entry) => !entry.delete).map((entry) => [entry.urn, entry] as const));
  const completed: StateEntry[] = [];
  const done = new Set<StateEntry>();
  const steps: Step[] = [];
  const registered = new Set<string>();
  // Old URN → the URN that claimed it through an alias, and back (the step generator's `aliased`, `aliases`).
  const aliased = new Map<string, string>();
  const aliasOf = new Map<string, string>();
  const replacedWith = new Map<string, string>();
  const record = (step: Step) => {
    steps.push(step);
    if (step.op !== "same") process.stderr.write(`[plan${preview ? " (preview)" : ""}] ${formatStep(step)}\n`);
  };
  /** A provider delete (none for retainOnDelete) of a previous state; it leaves the state (done) unless it is pending replacement. */
  const remove = async (entry: StateEntry, pendingReplacement: boolean) => {
    if (entry.custom && !entry.options.retainOnDelete && !entry.pendingReplacement) await ops.remove(entry);
    if (pendingReplacement) entry.pendingReplacement = true;
    else done.add(entry);
  };

  // The inputs of the provider a resource names (registered before it, so already in this run).
  const providerInputs = (resource: RecordedResource) => {
    const urn = resource.options.provider;
    if (urn === undefined) return undefined;
    const provider = completed.find((entry) => entry.urn === urn);
    if (!provider) throw new Error(`lifecycle: ${resource.name} uses provider ${urn}, which this run has not registered`);
    return provider.inputs;
  };

  /** The previous state of a resource: by its URN, else by one of its aliases (and those it inherits from its parent's). */
  const oldResource = (resource: RecordedResource): StateEntry | undefined => {
    if (aliased.has(resource.urn)) throw new Error(`Duplicate resource URN '${resource.urn}': resource ${aliased.get(resource.urn)} already claimed it as an alias`);
    if (olds.has(resource.urn)) return olds.get(resource.urn);
    const context = { stack: request.stack, project: PROJECT, parent: resource.options.parent, type: resource.type, name: resource.name, aliases: aliasOf };
    for (const candidate of aliasUrns(resource.options.aliases, context)) {
      const old = olds.get(candidate);
      if (!old) continue;
      if (registered.has(candidate)) throw new Error(`Duplicate resource alias '${candidate}' applied to resource with URN '${resource.urn}' conflicting with resource with URN '${candidate}'`);
      if (aliased.has(candidate)) throw new Error(`Duplicate resource alias '${candidate}' applied to resource with URN '${resource.urn}' conflicting with resource with URN '${aliased.get(candidate)}'`);
      aliased.set(candidate, resource.urn);
      aliasOf.set(resource.urn, candidate);
      return old;
    }
    return undefined;
  };

  /** Creates a resource; a create that leaves the resource with init errors is kept, then fails the deployment. */
  const create = async (resource: RecordedResource, completing: (entry: StateEntry) => void): Promise<Realized> => {
    try {
      const realized = await ops.create(resource);
      completing(entryOf(resource, realized.id, realized.state));
      return realized;
    } catch (error) {
      if (error instanceof InitError) completing(entryOf(resource, error.realized.id, error.realized.state, [error.message]));
      throw error;
    }
  };

  const step = async (resource: RecordedResource): Promise<Realized> => {
    checkInputs(resource);
    if (registered.has(resource.urn)) throw new Error(`Duplicate resource URN '${resource.urn}'; try giving it a unique name`);
    registered.add(resource.urn);
    const old = oldResource(resource);
    const identity = { urn: resource.urn, type: resource.type, name: resource.name };
    const complete = (entry: StateEntry) => completed.push(entry);
    if (!resource.custom) {
      if (old) done.add(old);
      complete(entryOf(resource, "", {}));
      return { id: "", state: {} };
    }
    if (!old) {
      const realized = await create(resource, complete);
      record({ ...identity, op: "create", fields: [] });
      return realized;
    }
    applyIgnoreChanges(resource, old);
    const diff = applyReplaceOnChanges(diffInputs(resource.type, old.inputs, resource.inputs, providerInputs(resource)), resource.options.replaceOnChanges, (old.initErrors ?? []).length > 0);
    if (diff.kind === "replace" || old.pendingReplacement) {
      const fields = old.pendingReplacement && diff.kind !== "replace" ? [] : diff.replaceFields;
      const deleteBeforeReplace = old.pendingReplacement || (resource.options.deleteBeforeReplace ?? diff.deleteBeforeReplace ?? false);
      if (deleteBeforeReplace) {
        const cause = replacedWith.get(resource.urn);
        if (!old.pendingReplacement) {
          const live = base.filter((entry) => !done.has(entry) && !entry.pendingReplacement);
          for (const dependent of deletionOrder(dependentReplacements(live, old), base, aliased)) {
            replacedWith.set(aliased.get(dependent.urn) ?? dependent.urn, resource.name);
            await remove(dependent, true);
          }
          await remove(old, true);
        }
        const realized = await create(resource, (entry) => {
          done.add(old);
          complete(entry);
        });
        record(cause && fields.length === 0 ? { ...identity, op: "replace", fields: [], deleteBeforeReplace: true, replacedWith: cause } : { ...identity, op: "replace", fields, deleteBeforeReplace: true });
        return realized;
      }
      const realized = await create(resource, (entry) => {
        old.delete = true;
        complete(entry);
      });
      record({ ...identity, op: "replace", fields, deleteBeforeReplace: false });
      return realized;
    }
    if (diff.kind === "update" || old.initErrors) {
      const realized = await update(ops, old, resource, diff);
      done.add(old);
      const entry = entryOf(resource, realized.id, realized.state, realized.initErrors);
      // A partially failed update keeps the old inputs with the new outputs (pkg/engine/update.go, pulumi/pulumi#2011).
      complete(realized.initErrors ? { ...entry, inputs: old.inputs } : entry);
      record({ ...identity, op: "update", fields: diff.changed });
      if (realized.initErrors) throw new Error(realized.initErrors[0]);
      return realized;
    }
    done.add(old);
    complete(entryOf(resource, old.id, old.outputs));
    record({ ...identity, op: "same", fields: [] });
    return { id: old.id, state: old.outputs };
  };

  const stateNow = (): StackState => ({ resources: [...completed, ...base.filter((entry) => !done.has(entry))] });
  let run: ProgramRun;
  try {
    run = await runProgram(request.stack, request.config, request.secretKeys ?? [], { realize: step, variant: request.variant, preview });
    // What the previous state holds and this run neither declared nor claimed: deleted, with the
    // old halves of create-first replacements; a pending replacement only leaves the state.
    const condemned = base.filter((entry) => !done.has(entry) && (entry.delete || (!registered.has(entry.urn) && !aliased.has(entry.urn))));
    for (const entry of deletionOrder(condemned, base, aliased)) {
      await remove(entry, false);
      if (entry.custom && !entry.pendingReplacement) record(deletionStep(entry));
    }
  } catch (error) {
    throw new DeploymentFailed(error instanceof Error ? error.message : String(error), preview ? request.state : stateNow(), steps);
  }
  return { run, steps, state: preview ? request.state : stateNow() };
}

/** An update in place; for a resource kept with init errors and no diff, the update the engine runs to "continue" it (a no-op for the bridged providers). */
async function update(ops: ResourceOps, old: StateEntry, resource: RecordedResource, diff: Diff): Promise<Realized & { initErrors?: string[] }> {
  try {
    return await ops.update(old, resource, diff);
  } catch (error) {
    if (error instanceof InitError) return { ...error.realized, initErrors: [error.message] };
    throw error;
  }
}

/** `pulumi up`: applies the program to the stack. */
export function up(request: DeploymentRequest): Promise<DeploymentResult> {
  return deploy(request, false);
}

/** `pulumi preview`: the steps `up` would take; nothing changes but what the provider itself does in a preview. */
export function preview(request: DeploymentRequest): Promise<DeploymentResult> {
  return deploy(request, true);
}

/**
 * `pulumi destroy`: deletes every resource of the stack in dependency order (retainOnDelete
 * ones stay on the engine, pending replacements are only dropped); a failed delete stops it,
 * with the resources not deleted yet still in the state.
 */
export async function destroy(state: StackState, ops: ResourceOps): Promise<{ steps: Step[]; state: StackState }> {
  const steps: Step[] = [];
  const remaining = new Set(state.resources);
  for (const entry of deletionOrder(state.resources, state.resources)) {
    try {
      if (entry.custom && !entry.options.retainOnDelete && !entry.pendingReplacement) await ops.remove(entry);
    } catch (error) {
      throw new DeploymentFailed(error instanceof Error ? error.message : String(error), { resources: state.resources.filter((other) => remaining.has(other)) }, steps);
    }
    remaining.delete(entry);
    if (!entry.custom || entry.pendingReplacement) continue;
    const step = deletionStep(entry);
    steps.push(step);
    process.stderr.write(`[plan (destroy)] ${formatStep(step)}\n`);
  }
  return { steps, state: emptyState() };
}
