import { scryptSync } from "node:crypto";

/** scrypt's cost (N = 2^15, r = 8): 32 MiB of memory and about 0.13 s per digest on a test machine, and per guess against it. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * A digest of a Secret's content for a pod template annotation, so that the pods that read the
 * Secret only when they start (registry:2 reads config.yml and its htpasswd once) roll when it
 * changes. The annotation can be read by anyone who can read the workload, usually more people
 * than can read the Secret, so it must not help them find what the Secret holds: a plain hash
 * would let them test a guessed password at the cost of one hash. Like the htpasswd line's
 * salt, this is derived from the secret content alone (nothing random, so it is the same on
 * every run), but through scrypt, so each guess costs as much as the digest itself. `purpose`
 * and the stack salt it, so equal contents in two places do not show as equal.
 */
export function secretRolloutDigest(stack: string, purpose: string, content: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(content).sort().map((key) => [key, content[key]]));
  return scryptSync(canonical, `dind-stack ${stack} ${purpose}`, 16, SCRYPT).toString("hex");
}
