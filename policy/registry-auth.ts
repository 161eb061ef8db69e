import * as yaml from "js-yaml";
import { FileSource } from "./container-view";
import { ResourceInput } from "./resource-input";
import { readKnown } from "./unknown-values";

/** distribution's auth kinds that check credentials (`silly` checks nothing). */
const REAL_AUTH = ["htpasswd", "token"];

const OBJECT_TYPES = { Secret: "kubernetes:core/v1:Secret", ConfigMap: "kubernetes:core/v1:ConfigMap" } as const;

/** The content of a key of a Secret or ConfigMap the stack declares (stringData/data, base64 data of a Secret); undefined when the stack declares none, or also patches it. */
function objectContent(source: Extract<FileSource, { from: "object" }>, resources: readonly ResourceInput[]): string | undefined {
  const type = OBJECT_TYPES[source.kind];
  const named = resources.filter(
    (resource) => resource.type.startsWith(type) && readKnown(() => resource.props.metadata?.name) === source.name && (readKnown(() => resource.props.metadata?.namespace) ?? "default") === source.namespace,
  );
  if (named.length !== 1 || named[0].type !== type) return undefined;
  const props = named[0].props;
  const plain = readKnown(() => props.stringData?.[source.key] ?? (source.kind === "ConfigMap" ? props.data?.[source.key] : undefined));
  if (typeof plain === "string") return plain;
  const encoded = source.kind === "Secret" ? readKnown(() => props.data?.[source.key]) : undefined;
  return typeof encoded === "string" ? Buffer.from(encoded, "base64").toString("utf8") : undefined;
}

/** A file's content, as far as the stack declares it. */
export function contentOf(source: FileSource, resources: readonly ResourceInput[]): string | undefined {
  if (source.from === "content") return source.content;
  if (source.from === "object") return objectContent(source, resources);
  return undefined;
}

/**
 * True when a registry's config file requires authentication: its `auth` section is htpasswd or
 * token. Only the file the registry's command loads counts, and not when any REGISTRY_AUTH*
 * variable is set, since distribution lets those override the file's auth.
 */
export function requiresAuth(configContent: string | undefined, env: ReadonlyMap<string, string | undefined>): boolean {
  if (configContent === undefined || [...env.keys()].some((name) => name.startsWith("REGISTRY_AUTH"))) return false;
  let config: unknown;
  try {
    config = yaml.load(configContent);
  } catch {
    return false;
  }
  const auth = (config as { auth?: unknown } | null)?.auth;
  return auth !== null && typeof auth === "object" && REAL_AUTH.some((kind) => kind in auth);
}
