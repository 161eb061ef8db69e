/** One thing wrong with a config value: the full key and what is wrong with it. */
export interface Problem {
  /** Full key, e.g. `dind-stack:registry.port` or `dind-stack:workloads.clients[1].name`. */
  key: string;
  /** What was given and what is allowed, e.g. `got 70000; allowed: an integer from 1 to 65535`. */
  message: string;
}

/** `text` with the user and password of every http(s) URL in it replaced by `<credentials>`. */
export function hideUrlCredentials(text: string): string {
  return text.replace(/(https?:\/\/)[^/?#"\s]*@/g, "$1<credentials>@");
}

/** Renders a given (non-secret) value for an error message, cut at 80 characters; URL credentials are never shown. */
export function renderValue(value: unknown): string {
  const raw = JSON.stringify(value);
  if (raw === undefined) return String(value);
  const text = hideUrlCredentials(raw);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
