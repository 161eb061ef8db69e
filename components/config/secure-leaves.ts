import { KeyPath } from "./key-path";

/** True for how a stack file stores a secret: `{ secure: <ciphertext> }`. */
function isSecureValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

/** The paths of the encrypted values (`secure:`) inside a stack file's value, `[]` for the value itself. */
export function secureLeafPaths(value: unknown, path: KeyPath = []): KeyPath[] {
  if (isSecureValue(value)) return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => secureLeafPaths(item, [...path, index]));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([key, inner]) => secureLeafPaths(inner, [...path, key]));
  return [];
}
