import { createHmac } from "node:crypto";
import * as bcrypt from "bcryptjs";

/** bcrypt cost of the registry's htpasswd entry. */
export const BCRYPT_COST = 10;

/**
 * One htpasswd line (`user:$2b$...`) for the registry. The salt is derived from the secret
 * itself (HMAC keyed with the password over stack and user), so the line is the same on
 * every `pulumi up` and the container is not replaced each run; it is stored only as a
 * Pulumi secret.
 */
export function htpasswdLine(stack: string, username: string, password: string): string {
  const saltBytes = createHmac("sha256", password).update(`dind-stack htpasswd ${stack} ${username}`).digest().subarray(0, 16);
  const salt = `$2b$${BCRYPT_COST}$${bcrypt.encodeBase64([...saltBytes], 16)}`;
  return `${username}:${bcrypt.hashSync(password, salt)}\n`;
}

/** A Docker client config.json granting `username` access to each registry address. */
export function dockerAuthConfig(addresses: readonly string[], username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: Object.fromEntries(addresses.map((address) => [address, { auth }])) }, null, 2);
}
