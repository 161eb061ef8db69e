/**
 * Rules of Pulumi's engine itself (not of a provider) that decide what a deployment does with a
 * registered resource. Source: pulumi/pulumi pkg/resource/deploy/step_generator.go (fetched at
 * v3.259.0; the @pulumi/pulumi 3.270.0 SDK and the 3.265.0 CLI pinned here behave the same):
 *
 * - `applyReplaceOnChanges`: a changed property covered by one of the resource's
 *   replaceOnChanges paths replaces it; a resource kept with init errors counts as changed at
 *   the special path `#initerror`, which `*` covers, so `replaceOnChanges: ["*"]` replaces it
 *   (the engine's own test: step_generator_test.go, "Empty diff and non-empty replaceOnChanges
 *   w/ init errors"). Without such a path, a resource with init errors and no diff gets an
 *   update step that asks the provider to "continue" (`hasInitErrors` in generateStepsFromDiff).
 * - `collapseAliasToUrn`, `inheritedChildAlias`, `generateAliases`: how an alias spec becomes an
 *   old URN; a child of a resource found through an alias also answers to the alias's children.
 */
import { AliasSpec, urnOf } from "../run-program";
import { Diff } from "./provider-rules";

/** The path the engine gives the "change" of a resource kept with init errors. */
export const INIT_ERROR_PATH = "#initerror";

/** True when a replaceOnChanges path covers a top-level property (the paths this program uses: `*` or a property's name). */
function covers(path: string, property: string): boolean {
  return path === "*" || path === property;
}

/** The provider's diff with the resource's replaceOnChanges applied, and its init errors counted (applyReplaceOnChanges). */
export function applyReplaceOnChanges(diff: Diff, replaceOnChanges: readonly string[], hasInitErrors: boolean): Diff {
  if (diff.kind === "same" && !hasInitErrors) return diff;
  const forced = diff.changed.filter((field) => !diff.replaceFields.includes(field) && replaceOnChanges.some((path) => covers(path, field)));
  const initError = hasInitErrors && replaceOnChanges.some((path) => covers(path, INIT_ERROR_PATH)) ? [INIT_ERROR_PATH] : [];
  const replaceFields = [...diff.replaceFields, ...forced, ...initError];
  if (replaceFields.length === diff.replaceFields.length) return diff;
  // The provider's own wish to delete first stands only where its own diff replaced.
  return { ...diff, kind: "replace", replaceFields, engineFields: [], deleteBeforeReplace: diff.kind === "replace" ? diff.deleteBeforeReplace : undefined };
}

/** What an alias is resolved against: the resource as registered now, and the aliases its ancestors were found by. */
export interface AliasContext {
  /** Stack name. */
  stack: string;
  /** Project name. */
  project: string;
  /** The resource's parent URN, if any. */
  parent?: string;
  /** The resource's type token. */
  type: string;
  /** The resource's logical name. */
  name: string;
  /** New URN → the old URN it was found by, for resources registered before (the step generator's `aliases`). */
  aliases: ReadonlyMap<string, string>;
}

/** The old URN an alias names (collapseAliasToUrn): every part left out is the resource's own. */
export function collapseAlias(alias: AliasSpec, context: AliasContext): string {
  if (alias.urn) return alias.urn;
  let parent = alias.parentUrn ?? context.parent ?? "";
  if (alias.parentUrn) parent = context.aliases.get(alias.parentUrn) ?? parent;
  if (alias.noParent) parent = "";
  return urnOf(alias.stack ?? context.stack, parent, alias.type ?? context.type, alias.name ?? context.name, alias.project ?? context.project);
}

/**
 * The alias a child inherits from its parent's alias (inheritedChildAlias): a child named
 * `<parent name>-x` is looked for as `<old parent name>-x` under the old parent.
 */
function inheritedAlias(type: string, name: string, parent: string, parentAlias: string, context: AliasContext): string {
  const parentName = parent.slice(parent.lastIndexOf("::") + 2);
  const oldParentName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
  const aliasName = name.startsWith(parentName) ? `${oldParentName}${name.slice(parentName.length)}` : name;
  return urnOf(context.stack, parentAlias, type, aliasName, context.project);
}

/** Every old URN a resource may have had (generateAliases): its explicit aliases, then those inherited from its parent's alias. */
export function aliasUrns(aliases: readonly AliasSpec[], context: AliasContext): string[] {
  const explicit = aliases.map((alias) => collapseAlias(alias, context));
  const parentAlias = context.parent ? context.aliases.get(context.parent) : undefined;
  if (!context.parent || !parentAlias) return [...new Set(explicit)];
  const inherited = [
    inheritedAlias(context.type, context.name, context.parent, parentAlias, context),
    ...explicit.map((urn) => {
      const [, , qualifiedType, name] = urn.split("::");
      return inheritedAlias(qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1), name, context.parent!, parentAlias, context);
    }),
  ];
  return [...new Set([...explicit, ...inherited])];
}
