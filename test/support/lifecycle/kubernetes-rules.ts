/**
 * What pulumi-kubernetes does when an input of an existing object changes, for the kinds this
 * project's program declares. Sources: pulumi/pulumi-kubernetes at commit 94977969 (the newest
 * fetched, after v4.32.0; these rules are unchanged since v4.29.0, and @pulumi/kubernetes 4.34.2
 * is pinned here):
 *
 * - provider/pkg/provider/provider.go, `Diff`: the new inputs are diffed against the last live
 *   object pruned to the inputs, value by value (`convertPatchToDiff`); a change whose path lies
 *   under one of the kind's force-new properties replaces the object, any other change is an
 *   update (a server-side apply patch). `ignoreChanges` paths are taken out of the diff first.
 *   `.metadata.name` and `.metadata.namespace` force a replacement for every kind.
 * - The same `Diff` sets `DeleteBeforeReplace` when a replaced object is named by the program
 *   (`metadata.name` set, not auto-named) and keeps its name and namespace: the old object must
 *   go first, since the new one has its name. The program needs no deleteBeforeReplace option.
 * - provider/pkg/provider/diff.go, `forceNewProperties` and its `forceNew` table, per
 *   group/version/kind: apps/v1 Deployment `.spec.selector`; StatefulSet `.spec.podManagementPolicy`,
 *   `.spec.revisionHistoryLimit`, `.spec.selector`, `.spec.serviceName`, `.spec.volumeClaimTemplates`;
 *   core/v1 PersistentVolumeClaim `.spec.accessModes`, `.spec.selector`, `.spec.storageClassName`,
 *   `.spec.volumeName` (a size change is an update: the API server expands, or refuses a smaller
 *   size); Service `.spec.clusterIP`; Secret `.type`, and also `.data` and `.stringData` unless
 *   the provider sets `enableSecretMutable` (and the Secret is not `immutable`); ConfigMap
 *   `.data` and `.binaryData` unless the provider sets `enableConfigMapMutable` (same exception);
 *   Namespace, networking.k8s.io/v1 NetworkPolicy and policy/v1 PodDisruptionBudget only the
 *   metadata pair (`.spec` is force-new for policy/v1beta1 budgets only).
 * - Patch resources (`<Kind>Patch`, kinds.IsPatchResource): the same `Diff` forces a replacement
 *   only for `.metadata.name` and `.metadata.namespace` (every other change updates the patch in
 *   place). Their create, update and delete are server-side applies under a field manager of
 *   their own (await.go `Creation` patches whether the object exists or not, so a missing object
 *   is created; `Deletion` calls ssa/actions.go `Relinquish`, an apply of the bare object that
 *   gives up every field of that manager), without force unless asked (`patchForce`): a field
 *   another manager holds with another value is a conflict (`handleSSAErr`). kubernetes-cluster.ts
 *   acts that out.
 * - provider.go, `DiffConfig` (the provider resource itself): a changed `clusterIdentifier`
 *   or `renderYamlToDirectory` replaces the provider, and with it every object it manages; a
 *   changed `kubeconfig`, `context` or `cluster` replaces it only when the active cluster it
 *   selects changes (util.go, `getActiveClusterFromConfig`: the kubeconfig input, a path or its
 *   contents, with `context` and `cluster` as overrides; without a kubeconfig input there is no
 *   active cluster to compare, and nothing is replaced); other keys update it. An unknown
 *   kubeconfig, context or cluster replaces it.
 *
 * Granularity: top-level inputs (`metadata`, `spec`, `data`) are too coarse here, since a change
 * of `spec.replicas` updates a StatefulSet while one of `spec.volumeClaimTemplates` replaces it.
 * A change is located by its path, as the provider's detailed diff does
 * (`spec.template.metadata.annotations["org.dind-stack.daemon-json-sha256"]`, arrays by index),
 * and it replaces when the path lies under a force-new path, or is an ancestor of one that has a
 * value on either side (a whole `spec` added or removed). A kind the program does not declare
 * has no rules and fails by name.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { Diff, TypeRules } from "./provider-rules";
import { UNKNOWN } from "./provider-rules";

/** Type token of the Kubernetes provider resource. */
export const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";

/** Force-new paths of each kind the program declares (besides metadata.name and metadata.namespace). */
const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Namespace": [],
  "kubernetes:core/v1:NamespacePatch": [],
  "kubernetes:core/v1:ConfigMap": [],
  "kubernetes:core/v1:Secret": ["type"],
  "kubernetes:core/v1:PersistentVolumeClaim": ["spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
  "kubernetes:core/v1:Service": ["spec.clusterIP"],
  "kubernetes:apps/v1:Deployment": ["spec.selector"],
  "kubernetes:apps/v1:StatefulSet": ["spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": [],
  // The table lists `.spec` for policy/v1beta1 only; a policy/v1 budget changes in place.
  "kubernetes:policy/v1:PodDisruptionBudget": [],
};

/** Data fields that force a replacement unless the provider lets that kind be mutated (`enable<Kind>Mutable`). */
const DATA_FIELDS: Readonly<Record<string, { fields: readonly string[]; mutableFlag: string }>> = {
  "kubernetes:core/v1:Secret": { fields: ["data", "stringData"], mutableFlag: "enableSecretMutable" },
  "kubernetes:core/v1:ConfigMap": { fields: ["data", "binaryData"], mutableFlag: "enableConfigMapMutable" },
};

/** Outputs the API server computes (unknown in a preview until the object exists), as paths. */
const COMPUTED: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Service": ["spec.clusterIP"],
};

/** Provider config keys whose change replaces the provider whatever it points at (DiffConfig). */
const PROVIDER_REPLACING_KEYS = ["clusterIdentifier", "renderYamlToDirectory"];

/** Provider config keys that select the cluster. */
const CLUSTER_KEYS = ["kubeconfig", "context", "cluster"];

/** The kubeconfig a provider input names: a path (`~` expanded) or the contents (parseKubeconfigString). */
function kubeconfigOf(value: unknown): { contexts?: { name: string; context: { cluster: string } }[]; clusters?: { name: string; cluster: unknown }[]; "current-context"?: string } {
  if (typeof value !== "string" || value === "") return {};
  const file = value === "~" ? os.homedir() : value.startsWith("~/") ? path.join(os.homedir(), value.slice(2)) : value;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : value;
  return (yaml.load(text) as ReturnType<typeof kubeconfigOf>) ?? {};
}

/** The active cluster of a provider's inputs, or undefined when there is none to compare (getActiveClusterFromConfig). */
function activeCluster(inputs: Record<string, unknown>): unknown {
  const config = kubeconfigOf(inputs.kubeconfig);
  if (!config.clusters || config.clusters.length === 0) return undefined;
  const contextName = typeof inputs.context === "string" ? inputs.context : config["current-context"];
  const context = config.contexts?.find((entry) => entry.name === contextName)?.context;
  if (!context) return undefined;
  const clusterName = typeof inputs.cluster === "string" ? inputs.cluster : context.cluster;
  return config.clusters.find((entry) => entry.name === clusterName)?.cluster;
}

/** True for a type pulumi-kubernetes provides (an object, or the provider itself). */
export function isKubernetesType(type: string): boolean {
  return type.startsWith("kubernetes:") || type === KUBERNETES_PROVIDER;
}

/** The kind of a type token, e.g. `kubernetes:apps/v1:Deployment` → `Deployment`. */
export function kindOf(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

/** True for a Patch resource's type (e.g. `kubernetes:core/v1:NamespacePatch`), which patches an object of another resource's kind. */
export function isPatchType(type: string): boolean {
  return type.startsWith("kubernetes:") && kindOf(type).endsWith("Patch");
}

/** The kind of object a type's resource creates or patches: `NamespacePatch` → `Namespace`. */
export function objectKindOf(type: string): string {
  return isPatchType(type) ? kindOf(type).slice(0, -"Patch".length) : kindOf(type);
}

/** True when a provider input that is a flag is set (the engine may hand provider inputs over as strings). */
export function providerFlag(provider: Record<string, unknown> | undefined, flag: string): boolean {
  const value = provider?.[flag];
  return value === true || value === "true";
}

function forceNewPaths(type: string, object: Record<string, any> | undefined, provider: Record<string, unknown> | undefined): string[][] {
  const kindPaths = FORCE_NEW[type];
  if (!kindPaths) throw new Error(`lifecycle: no provider rules for resource type ${type}`);
  const paths = ["metadata.name", "metadata.namespace", ...kindPaths];
  const data = DATA_FIELDS[type];
  // Unknown provider config counts as the provider's default: immutable data.
  if (data && (!providerFlag(provider, data.mutableFlag) || object?.immutable === true)) paths.push(...data.fields);
  return paths.map((path) => path.split("."));
}

/** The rules of a Kubernetes type, as the generic lifecycle uses them: only what the API server computes. */
export function kubernetesRules(type: string): TypeRules {
  if (type !== KUBERNETES_PROVIDER) forceNewPaths(type, undefined, undefined);
  return { fields: {}, computed: COMPUTED[type] ?? [] };
}

/** One segment of a value's path: an object key or an array index. */
type Segment = string | number;

/** A path as Pulumi's detailed diff prints it: `spec.template.metadata.annotations["a.b/c"]`, `spec.containers[0].image`. */
export function formatPath(path: readonly Segment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    if (/[."[\]]/.test(segment)) return `${text}["${segment.replace(/"/g, '\\"')}"]`;
    return text ? `${text}.${segment}` : segment;
  }, "");
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && !JSON.stringify(b ?? null).includes(UNKNOWN);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Every changed value between two inputs, by path: objects key by key, arrays index by index, anything else as a whole. */
function changedPaths(old: unknown, next: unknown, at: Segment[] = []): { path: Segment[]; old: unknown; next: unknown }[] {
  if (same(old, next)) return [];
  if (isObject(old) && isObject(next)) {
    return [...new Set([...Object.keys(old), ...Object.keys(next)])].flatMap((key) => changedPaths(old[key], next[key], [...at, key]));
  }
  if (Array.isArray(old) && Array.isArray(next)) {
    return Array.from({ length: Math.max(old.length, next.length) }, (_, index) => changedPaths(old[index], next[index], [...at, index])).flat();
  }
  return [{ path: at, old, next }];
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((inner, key) => (isObject(inner) ? inner[key] : undefined), value);
}

/** Does a change at `path` (from `old` to `next`) touch a force-new path? */
function forcesNew(path: Segment[], old: unknown, next: unknown, forceNew: string[][]): boolean {
  return forceNew.some((pattern) => {
    const shared = Math.min(pattern.length, path.length);
    for (let index = 0; index < shared; index++) if (pattern[index] !== "*" && pattern[index] !== path[index]) return false;
    if (pattern.length <= path.length) return true;
    const rest = pattern.slice(path.length);
    return valueAt(old, rest) !== undefined || valueAt(next, rest) !== undefined;
  });
}

/** DiffConfig of the provider resource: which keys changed, and a replacement the harness refuses to act out. */
function providerDiff(olds: Record<string, unknown>, news: Record<string, unknown>): Diff {
  const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => !same(olds[key], news[key]));
  if (changed.length === 0) return { kind: "same", changed, replaceFields: [], engineFields: [] };
  const replaceFields = changed.filter((key) => PROVIDER_REPLACING_KEYS.includes(key));
  const unknownCluster = CLUSTER_KEYS.filter((key) => news[key] === UNKNOWN);
  const [before, after] = [activeCluster(olds), activeCluster(news)];
  const clusterMoved = before !== undefined && after !== undefined && JSON.stringify(before) !== JSON.stringify(after);
  replaceFields.push(...unknownCluster, ...(clusterMoved ? changed.filter((key) => CLUSTER_KEYS.includes(key) && !unknownCluster.includes(key)) : []));
  if (replaceFields.length > 0) {
    throw new Error(`lifecycle: the Kubernetes provider's ${replaceFields.join(", ")} changed: Pulumi replaces the provider and every object it manages, which the harness does not model`);
  }
  return { kind: "update", changed, replaceFields: [], engineFields: changed };
}

/**
 * pulumi-kubernetes' Diff of an object's recorded inputs against new ones (ignoreChanges
 * already applied by the caller); `provider` is the inputs of the provider the object uses.
 */
export function kubernetesDiff(type: string, olds: Record<string, any>, news: Record<string, any>, provider?: Record<string, unknown>): Diff {
  if (type === KUBERNETES_PROVIDER) return providerDiff(olds, news);
  const forceNew = forceNewPaths(type, news, provider);
  const changes = changedPaths(olds, news);
  if (changes.length === 0) return { kind: "same", changed: [], replaceFields: [], engineFields: [] };
  const replacing = changes.filter((change) => forcesNew(change.path, change.old, change.next, forceNew));
  const changed = changes.map((change) => formatPath(change.path));
  if (replacing.length === 0) return { kind: "update", changed, replaceFields: [], engineFields: changed };
  const name = news.metadata?.name;
  const deleteBeforeReplace = typeof name === "string" && name !== UNKNOWN && name === olds.metadata?.name && news.metadata?.namespace === olds.metadata?.namespace;
  return { kind: "replace", changed, replaceFields: replacing.map((change) => formatPath(change.path)), engineFields: [], deleteBeforeReplace };
}

/** Would a change (to an unknown value) of these top-level inputs replace an object of this type? */
export function kubernetesReplacedByChangeOf(type: string, fields: string[], provider?: Record<string, unknown>): boolean {
  if (type === KUBERNETES_PROVIDER) return fields.some((field) => PROVIDER_REPLACING_KEYS.includes(field) || CLUSTER_KEYS.includes(field));
  const forceNew = forceNewPaths(type, undefined, provider);
  return fields.some((field) => forceNew.some((pattern) => pattern[0] === field));
}
