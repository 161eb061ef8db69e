import { NAMESPACE } from "./schema";

/**
 * Where users put a password beside its user name, and the secret key that holds it instead:
 * the stack's passwords are top-level keys set with `npm run pulumi -- config set --secret`, never values
 * in a section that the stack file would keep in plain text.
 */
const SECRET_KEY_OF: Readonly<Record<string, string>> = {
  "registry.auth.password": "registryPassword",
  "registry.proxy.password": "registryProxyPassword",
  "kubernetes.dindImage.password": "dindImagePassword",
};

/** For an unknown key (path without namespace) of `stack` that is a misplaced password: where it belongs and how to set it; undefined otherwise. */
export function misplacedSecretHint(path: readonly PropertyKey[], stack: string): string | undefined {
  const secretKey = SECRET_KEY_OF[path.map(String).join(".")];
  if (!secretKey) return undefined;
  const key = `${NAMESPACE}:${secretKey}`;
  return `the password is the secret ${key}: remove this key (the stack file keeps it in plain text) and run \`npm run pulumi -- config set --secret ${key} --stack ${stack}\``;
}
