import { RecordedResource, ResourceOptions } from "../run-program";
import { replacedByChangeOf } from "./provider-rules";

/**
 * What a stack's state holds of one resource, as pulumi/pulumi's resource.State does
 * (sdk/go/common/resource/resource_state.go): inputs, outputs, options, and the three marks a
 * failed or interrupted deployment can leave on it (`Delete`, `PendingReplacement`, `InitErrors`).
 */
export interface StateEntry {
  /** The resource's URN. */
  urn: string;
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** False for component resources (nothing on the engine). */
  custom: boolean;
  /** The provider's id of the physical resource. */
  id: string;
  /** Inputs as last applied. */
  inputs: Record<string, any>;
  /** Outputs as last read from the provider. */
  outputs: Record<string, any>;
  /** Resource options as the program last sent them. */
  options: ResourceOptions;
  /** The old half of a create-first replacement whose delete has not run yet (the engine's `Delete`): deleted by the next deployment. */
  delete?: boolean;
  /** Deleted by a delete-first replacement whose create has not completed (the engine's `PendingReplacement`): nothing left to delete. */
  pendingReplacement?: boolean;
  /** Why its create (or update) left it in place but unhealthy (the engine's `InitErrors`). */
  initErrors?: string[];
}

/**
 * A stack's state between deployments, as the engine's snapshot holds it: its resources in an
 * order in which everything comes after what it depends on (pkg/backend/snapshot.go, `Snap`:
 * the states this deployment wrote, in the order their steps completed, then the previous
 * deployment's states it did not touch).
 */
export interface StackState {
  /** Resources of the stack, pending deletes and pending replacements included. */
  resources: StateEntry[];
}

/** The state of a stack that was never deployed (or was destroyed). */
export function emptyState(): StackState {
  return { resources: [] };
}

/** A state entry for a resource as registered now, with the provider's answer. */
export function entryOf(resource: RecordedResource, id: string, outputs: Record<string, any>, initErrors?: string[]): StateEntry {
  const entry: StateEntry = { urn: resource.urn, type: resource.type, name: resource.name, custom: resource.custom, id, inputs: resource.inputs, outputs, options: resource.options };
  if (initErrors && initErrors.length > 0) entry.initErrors = initErrors;
  return entry;
}

/**
 * The resources Pulumi must replace along with `root` when `root` is replaced delete-first
 * (calculateDependentReplacements in pulumi/pulumi's pkg/resource/deploy/step_generator.go):
 * those whose inputs come from a replaced resource through a field that forces replacement,
 * by the provider's rules or the resource's replaceOnChanges (transitively), and those whose
 * provider is replaced. Explicit dependsOn alone does not make a dependent replaced.
 * Components are never replaced. Returned in state order.
 */
export function dependentReplacements(state: readonly StateEntry[], root: StateEntry): StateEntry[] {
  const replaced = new Set([root.urn]);
  const dependents: StateEntry[] = [];
  for (const entry of state) {
    if (!entry.custom || entry.urn === root.urn || entry.delete) continue;
    if (entry.options.provider && replaced.has(entry.options.provider)) {
      replaced.add(entry.urn);
      dependents.push(entry);
      continue;
    }
    const fields = Object.entries(entry.options.propertyDependencies)
      .filter(([, urns]) => urns.some((urn) => replaced.has(urn)))
      .map(([field]) => field);
    if (fields.length > 0 && replacedByChangeOf(entry.type, fields, entry.options.replaceOnChanges)) {
      replaced.add(entry.urn);
      dependents.push(entry);
    }
  }
  return dependents;
}

/** The URNs a resource depends on, for ordering: its parent, dependencies (explicit and through inputs) and provider. */
function dependenciesOf(entry: StateEntry): string[] {
  const { parent, dependsOn, propertyDependencies, provider } = entry.options;
  return [...(parent ? [parent] : []), ...dependsOn, ...Object.values(propertyDependencies).flat(), ...(provider ? [provider] : [])];
}

/**
 * The order in which to delete `entries`, as ScheduleDeletes in pulumi/pulumi's
 * pkg/resource/deploy/step_generator.go orders them: a resource only after every condemned
 * resource that depends on it (through its parent, dependencies or provider), one antichain
 * after the other. Within an antichain, where Pulumi deletes in parallel, the harness deletes
 * one after the other, later entries of `registrationOrder` first. `renamed` maps URNs that
 * aliases moved (old to new), as the snapshot's NormalizeURNReferences does.
 */
export function deletionOrder(entries: readonly StateEntry[], registrationOrder: readonly StateEntry[], renamed: ReadonlyMap<string, string> = new Map()): StateEntry[] {
  const position = new Map(registrationOrder.map((entry, index) => [entry, index] as const));
  const rank = (entry: StateEntry) => position.get(entry) ?? registrationOrder.findIndex((other) => other.urn === entry.urn);
  const condemned = new Set(entries);
  const byUrn = new Map<string, StateEntry[]>();
  for (const entry of entries) byUrn.set(entry.urn, [...(byUrn.get(entry.urn) ?? []), entry]);
  const dependencies = new Map(
    entries.map((entry) => [entry, dependenciesOf(entry).flatMap((urn) => byUrn.get(renamed.get(urn) ?? urn) ?? []).filter((other) => other !== entry)] as const),
  );
  // Antichains from the roots up (first what depends on nothing condemned); reversed, dependents go first.
  const chains: StateEntry[][] = [];
  while (condemned.size > 0) {
    const chain = [...condemned].filter((entry) => dependencies.get(entry)!.every((dependency) => !condemned.has(dependency)));
    if (chain.length === 0) throw new Error(`lifecycle: a dependency cycle among ${[...condemned].map((entry) => entry.name).join(", ")}`);
    for (const entry of chain) condemned.delete(entry);
    chains.push(chain);
  }
  return chains.reverse().flatMap((chain) => chain.sort((a, b) => rank(b) - rank(a)));
}
