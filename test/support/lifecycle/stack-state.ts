import { RecordedResource, ResourceOptions } from "../run-program";
import { replacedByChangeOf } from "./provider-rules";

/** What a stack's state holds of one resource after a deployment. */
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
}

/**
 * A stack's state between deployments: its resources in registration order (a resource after
 * its parent and its dependencies), and replaced resources whose deletion has not run yet
 * (their new version exists; a failed deployment can leave them behind).
 */
export interface StackState {
  /** Resources of the stack. */
  resources: StateEntry[];
  /** Replaced resources still to delete. */
  pendingDeletes: StateEntry[];
}

/** The state of a stack that was never deployed (or was destroyed). */
export function emptyState(): StackState {
  return { resources: [], pendingDeletes: [] };
}

/** A state entry for a resource as registered now, with the provider's answer. */
export function entryOf(resource: RecordedResource, id: string, outputs: Record<string, any>): StateEntry {
  return { urn: resource.urn, type: resource.type, name: resource.name, custom: resource.custom, id, inputs: resource.inputs, outputs, options: resource.options };
}

/**
 * The resources Pulumi must replace along with `root` when `root` is replaced delete-first:
 * those whose inputs come from a replaced resource through a field that forces replacement
 * (transitively). Explicit dependsOn alone does not make a dependent replaced. Returned in
 * registration order.
 */
export function dependentReplacements(state: readonly StateEntry[], root: StateEntry): StateEntry[] {
  const replaced = new Set([root.urn]);
  const dependents: StateEntry[] = [];
  for (const entry of state) {
    if (!entry.custom || entry.urn === root.urn) continue;
    const fields = Object.entries(entry.options.propertyDependencies)
      .filter(([, urns]) => urns.some((urn) => replaced.has(urn)))
      .map(([field]) => field);
    if (fields.length > 0 && replacedByChangeOf(entry.type, fields)) {
      replaced.add(entry.urn);
      dependents.push(entry);
    }
  }
  return dependents;
}

/**
 * The order in which to delete `entries`: dependents before what they depend on, children
 * before their parents, i.e. the reverse of their position in `registrationOrder`.
 */
export function deletionOrder(entries: readonly StateEntry[], registrationOrder: readonly StateEntry[]): StateEntry[] {
  const position = new Map(registrationOrder.map((entry, index) => [entry, index] as const));
  const rank = (entry: StateEntry) => position.get(entry) ?? registrationOrder.findIndex((other) => other.urn === entry.urn);
  return [...entries].sort((a, b) => rank(b) - rank(a));
}
