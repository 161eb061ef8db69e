/** Where the stack's state lives, and where that choice came from. */
export interface Backend {
  /** Backend URL, e.g. `file://~` or `s3://bucket`. */
  url: string;
  /** Where the URL came from. */
  source: "PULUMI_BACKEND_URL" | "Pulumi.yaml";
}

/** The backend the CLI will use: PULUMI_BACKEND_URL first, then Pulumi.yaml's `backend.url` (which outranks `pulumi login`). */
export function chooseBackend(env: NodeJS.ProcessEnv, projectBackendUrl: string | undefined): Backend | undefined {
  if (env.PULUMI_BACKEND_URL) return { url: env.PULUMI_BACKEND_URL, source: "PULUMI_BACKEND_URL" };
  if (projectBackendUrl) return { url: projectBackendUrl, source: "Pulumi.yaml" };
  return undefined;
}

/**
 * True when the stack's secrets are encrypted with a passphrase: a self-managed backend (file://,
 * s3://, ...) and no other `secretsprovider` in the stack file. Pulumi Cloud (http(s)://) manages them itself.
 */
export function usesPassphrase(backend: Backend, stackSecretsProvider: string | undefined): boolean {
  if (/^https?:\/\//.test(backend.url)) return false;
  return stackSecretsProvider === undefined || stackSecretsProvider.startsWith("passphrase");
}

/**
 * The one line to print when the passphrase is missing; undefined when it is set. An empty
 * PULUMI_CONFIG_PASSPHRASE counts as missing (a CI secret that does not exist arrives empty).
 */
export function missingPassphrase(env: NodeJS.ProcessEnv, stack: string, backend: Backend): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE || env.PULUMI_CONFIG_PASSPHRASE_FILE) return undefined;
  return `set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase of stack ${stack}'s secrets in ${backend.url}; a new stack takes the one set when it is created`;
}
