import { fullKey, KeyPath } from "./key-path";
import { Problem } from "./problem";
import { KEYS_HOLDING_SECRETS, SECRET_KEYS } from "./schema";

// Pulumi tells a program only which top-level config keys hold a secret, not where inside them:
// `pulumi config set --secret --path 'dind-stack:workloads.clients[0].env.TOKEN'` marks all of
// `dind-stack:workloads`. The program keeps the values that can carry credentials secret wherever
// they land (client env values and commands); values that name or size resources (client names,
// counts, images, ports, addresses) become resource names, URNs and engine objects in plain text,
// so a secret there is refused rather than leaked.

/** Where, inside `dind-stack:workloads`, a secret may sit: a client's env value or its command (or one of its words). */
function secretMaySitAt(path: KeyPath): boolean {
  const [clients, index, field, ...rest] = path;
  if (clients !== "clients" || typeof index !== "number") return false;
  if (field === "env") return rest.length === 1 && typeof rest[0] === "string";
  if (field === "command") return rest.length === 0 || (rest.length === 1 && typeof rest[0] === "number");
  return false;
}

/** Where secrets may be written, for error messages. */
const WHERE_SECRETS_GO = `${SECRET_KEYS.map((name) => fullKey([name])).join(", ")}, or ${fullKey(["workloads", "clients[].env.<NAME>"])} and ${fullKey(["workloads", "clients[].command"])}`;

/**
 * Secrets sit only where the stack keeps them secret. `secretKeys` are the top-level keys Pulumi
 * marks as secret; `secureLeaves` gives, for a top-level key, the paths of the values its stack
 * file stores encrypted (undefined when the config does not come from a stack file the program
 * can read, e.g. --config flags or an ESC environment: then only the top-level rule applies).
 */
export function checkSecretPlacement(
  present: readonly string[],
  isSecret: (name: string) => boolean,
  secureLeaves: (name: string) => KeyPath[] | undefined,
  problems: Problem[],
): void {
  for (const name of present) {
    if (!isSecret(name) || (SECRET_KEYS as readonly string[]).includes(name)) continue;
    if (!KEYS_HOLDING_SECRETS.includes(name)) {
      problems.push({
        key: fullKey([name]),
        message: `got a value that holds a secret (not shown); allowed: plain text, since its values name and size resources, which Pulumi keeps in plain text; secrets go in ${WHERE_SECRETS_GO}`,
      });
      continue;
    }
    for (const path of secureLeaves(name) ?? []) {
      if (secretMaySitAt(path)) continue;
      problems.push({
        key: fullKey([name, ...path]),
        message: `got a secret value (not shown); allowed: plain text here, since this value names or sizes resources (it would show in resource names and URNs); secrets go in ${WHERE_SECRETS_GO}`,
      });
    }
  }
}
