/** A Kubernetes object or part of one, as the program declared it (plain JSON). */
export type Fields = Record<string, any>;

/**
 * Fails when `value` sets a field the kubelet realizer does not realize, naming it with its
 * path, so that nothing a manifest declares goes unexercised on the engine.
 */
export function onlyFields(where: string, value: Fields | undefined, supported: readonly string[]): void {
  for (const [field, inner] of Object.entries(value ?? {})) {
    if (inner === undefined || supported.includes(field)) continue;
    throw new Error(`kubelet: ${where}.${field} is set, and the harness does not realize it`);
  }
}

/** Fails when `value` is set to anything but one of `accepted`, naming the field and why. */
export function onlyValues(where: string, value: unknown, accepted: readonly unknown[], why: string): void {
  if (value !== undefined && !accepted.includes(value)) throw new Error(`kubelet: ${where} is ${JSON.stringify(value)}; the harness only realizes ${accepted.map((item) => JSON.stringify(item)).join(" or ")} (${why})`);
}
