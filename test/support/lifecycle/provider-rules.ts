/**
 * What the docker provider does when an input of an existing resource changes: replace the
 * resource, update it on the engine, or only record the new value in the state. Sources:
 *
 * - Container, Volume, Network, RemoteImage are bridged from kreuzwerker/terraform-provider-docker
 *   v4.5.0 (commit 5074970c, the upstream pulumi-docker 5.1 and later pins). A field marked
 *   `ForceNew` in the resource's schema (internal/provider/resource_docker_container.go,
 *   resource_docker_volume.go, resource_docker_network.go, resource_docker_image.go) replaces
 *   the resource; a container's update function (resourceDockerContainerUpdate in
 *   resource_docker_container_funcs.go) changes only restart, max_retry_count, cpu_shares,
 *   memory, memory_reservation, cpu_set, memory_swap and the device_* limits on the engine;
 *   other fields that are not ForceNew (wait, healthcheck, keep_locally, ...) change the state
 *   only.
 * - Tag and RegistryImage come from the same provider version (resource_docker_tag.go,
 *   resource_docker_registry_image.go): a Tag has only ForceNew inputs and no update, and its
 *   delete removes nothing; a RegistryImage's name and triggers are ForceNew, its update is a
 *   read of the digest (resourceDockerRegistryImageUpdate calls Read), and its delete leaves the
 *   registry alone when keepRemotely is set.
 * - command:local:Command is @pulumi/command 1.2.1's (provider/pkg/provider/local/command.go,
 *   commandController.go, common/inputs.go): `triggers` is replaceOnChanges; a change of any
 *   other input is an update, which runs the update command, else create again; nothing runs
 *   in a preview.
 * - Image is pulumi-docker's own resource (provider/provider.go): Check adds
 *   `build.contextDigest`, a hash of the build context; Diff reports every changed input as an
 *   update (never a replacement) except registry username/password; Update builds again; Delete
 *   does nothing (the image stays on the engine).
 * - Set-typed fields (TypeSet in the provider's schema: a container's env, labels, volumes,
 *   networks_advanced and its aliases, upload; a volume's and a network's labels) are compared as
 *   sets, as Terraform does: a reordered env is no change.
 * - Who asks for delete-first: pulumi-docker's provider/resources.go sets
 *   `DeleteBeforeReplace: true` for docker_container, and `SetAutonaming(255, "-")` makes `name`
 *   auto-named on every resource that has one and no field entry of its own (Volume, Network,
 *   RegistryImage; not RemoteImage, whose `name` has an entry, nor Tag). The bridge's Diff
 *   (pulumi-terraform-bridge pkg/tfbridge/provider.go, `Diff`, and schema.go,
 *   `nameRequiresDeleteBeforeReplace`) then asks for delete-first when a replacement is needed
 *   and the program set `name` itself. The engine follows the provider unless the program sets
 *   the option (step_generator.go: `goal.DeleteBeforeReplace` wins over `diff.DeleteBeforeReplace`).
 *
 * Only fields this project's program sets are listed; a field without a rule fails by name, so
 * a new input cannot slip through unmodelled. pulumi-kubernetes' rules, which go by nested
 * paths, are in kubernetes-rules.ts.
 */
import { UNKNOWN } from "../run-program";
import { isKubernetesType, kubernetesDiff, kubernetesReplacedByChangeOf, kubernetesRules } from "./kubernetes-rules";

/** What a change to one input field does. */
export type FieldEffect = "replace" | "update" | "state";

/** The rules of one resource type. */
export interface TypeRules {
  /** Effect of a change, per top-level input field. */
  fields: Readonly<Record<string, FieldEffect>>;
  /** Outputs the provider computes (unknown in a preview until the resource exists), as paths (`spec.clusterIP`). */
  computed: readonly string[];
  /** Set-typed fields (compared without order), as paths (`networksAdvanced.aliases` inside each element). */
  sets?: readonly string[];
  /** When the provider's diff asks for delete-before-replace: always, or when the program sets `name` (auto-named by the bridge). */
  providerDeleteBeforeReplace?: "always" | "named";
}

const CONTAINER: TypeRules = {
  fields: {
    name: "replace",
    image: "replace",
    hostname: "replace",
    envs: "replace",
    command: "replace",
    entrypoints: "replace",
    volumes: "replace",
    ports: "replace",
    networksAdvanced: "replace",
    privileged: "replace",
    labels: "replace",
    uploads: "replace",
    cgroupnsMode: "replace",
    stopTimeout: "replace",
    restart: "update",
    healthcheck: "state",
    wait: "state",
    waitTimeout: "state",
    destroyGraceSeconds: "state",
  },
  computed: [],
  sets: ["envs", "labels", "volumes", "networksAdvanced", "networksAdvanced.aliases", "uploads"],
  providerDeleteBeforeReplace: "always",
};

/** Rules per type token. */
export const PROVIDER_RULES: Readonly<Record<string, TypeRules>> = {
  "docker:index/container:Container": CONTAINER,
  "docker:index/volume:Volume": {
    fields: { name: "replace", labels: "replace", driver: "replace", driverOpts: "replace" },
    computed: ["mountpoint"],
    sets: ["labels"],
    providerDeleteBeforeReplace: "named",
  },
  "docker:index/network:Network": {
    fields: { name: "replace", labels: "replace", driver: "replace", internal: "replace" },
    computed: [],
    sets: ["labels"],
    providerDeleteBeforeReplace: "named",
  },
  "docker:index/remoteImage:RemoteImage": { fields: { name: "replace", platform: "replace", keepLocally: "state" }, computed: ["imageId", "repoDigest"] },
  "docker:index/tag:Tag": { fields: { sourceImage: "replace", targetImage: "replace" }, computed: ["sourceImageId"] },
  "docker:index/registryImage:RegistryImage": {
    fields: { name: "replace", triggers: "replace", keepRemotely: "update", authConfig: "update" },
    computed: ["sha256Digest"],
    providerDeleteBeforeReplace: "named",
  },
  "command:local:Command": { fields: { triggers: "replace", create: "update", environment: "update" }, computed: ["stdout", "stderr"] },
  "docker:index/image:Image": { fields: { imageName: "update", build: "update", skipPush: "update", buildOnPreview: "update", registry: "update" }, computed: ["repoDigest"] },
};

/** The rules of a type; fails for a type the harness does not model. */
export function rulesOf(type: string): TypeRules {
  if (isKubernetesType(type)) return kubernetesRules(type);
  const rules = PROVIDER_RULES[type];
  if (!rules) throw new Error(`lifecycle: no provider rules for resource type ${type}`);
  return rules;
}

/** What `pulumi up` would do with an existing resource whose inputs are now `news` (what the provider's Diff answers). */
export interface Diff {
  /** same: nothing; update: in place; replace: a new resource instead of the old one. */
  kind: "same" | "update" | "replace";
  /** Every changed field. */
  changed: string[];
  /** The changed fields that force the replacement. */
  replaceFields: string[];
  /** The changed fields that the provider changes on the engine in place. */
  engineFields: string[];
  /** The provider asks for the old resource to be deleted before the new one is created (a docker Container, a named Volume, Network or RegistryImage, a named Kubernetes object). */
  deleteBeforeReplace?: boolean;
}

export { UNKNOWN };

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && !JSON.stringify(b ?? null).includes(UNKNOWN);
}

/** A value with the set-typed fields at `paths` (relative to it) sorted, so that order does not count (a Terraform set). */
function canonical(value: unknown, paths: readonly string[][]): unknown {
  if (Array.isArray(value)) return value.map((element) => canonical(element, paths));
  if (!value || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const below = paths.filter((path) => path[0] === key && path.length > 1).map((path) => path.slice(1));
    let next = canonical(inner, below);
    if (paths.some((path) => path.length === 1 && path[0] === key) && Array.isArray(next)) {
      next = [...new Map(next.map((element) => [JSON.stringify(element), element])).values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    result[key] = next;
  }
  return result;
}

/**
 * The provider's diff of a resource's recorded inputs against new ones. Fields listed in
 * `ignoreChanges` keep their old value (the caller applies that before calling). `provider` is
 * the inputs of the provider resource the resource uses, when it names one.
 */
export function diffInputs(type: string, olds: Record<string, unknown>, news: Record<string, unknown>, provider?: Record<string, unknown>): Diff {
  if (isKubernetesType(type)) return kubernetesDiff(type, olds, news, provider);
  const sets = (PROVIDER_RULES[type]?.sets ?? []).map((path) => path.split("."));
  const [a, b] = [canonical(olds, sets), canonical(news, sets)] as Record<string, unknown>[];
  const fields = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((field) => !same(a[field], b[field]));
  if (fields.length === 0) return { kind: "same", changed: [], replaceFields: [], engineFields: [] };
  if (type === "docker:index/image:Image") return imageDiff(olds, news, fields);
  const rules = rulesOf(type);
  const effect = (field: string): FieldEffect => {
    const found = rules.fields[field];
    if (found === undefined) throw new Error(`lifecycle: ${type} field "${field}" changed, and the harness has no rule for it`);
    return found;
  };
  const replaceFields = fields.filter((field) => effect(field) === "replace");
  const engineFields = fields.filter((field) => effect(field) === "update");
  if (replaceFields.length === 0) return { kind: "update", changed: fields, replaceFields, engineFields };
  const named = typeof news.name === "string" && news.name !== UNKNOWN;
  const deleteBeforeReplace = rules.providerDeleteBeforeReplace === "always" || (rules.providerDeleteBeforeReplace === "named" && named);
  return { kind: "replace", changed: fields, replaceFields, engineFields, deleteBeforeReplace };
}

/** pulumi-docker's Image diff: any change rebuilds, except registry credentials alone. */
function imageDiff(olds: Record<string, any>, news: Record<string, any>, fields: string[]): Diff {
  const counted = fields.filter((field) => field !== "registry" || !same(olds.registry?.server, news.registry?.server));
  return { kind: counted.length > 0 ? "update" : "same", changed: counted, replaceFields: [], engineFields: counted };
}

/**
 * Would a change (to an unknown value) of these fields replace a resource of this type, by the
 * provider's rules or the resource's replaceOnChanges (`*`, or the field itself)?
 */
export function replacedByChangeOf(type: string, fields: string[], replaceOnChanges: readonly string[] = []): boolean {
  if (fields.some((field) => replaceOnChanges.some((path) => path === "*" || path === field))) return true;
  if (isKubernetesType(type)) return kubernetesReplacedByChangeOf(type, fields);
  const rules = rulesOf(type);
  return fields.some((field) => rules.fields[field] === "replace");
}
