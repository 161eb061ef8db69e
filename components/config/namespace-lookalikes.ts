import { closestName } from "./did-you-mean";
import { NAMESPACE, SCHEMA } from "./schema";

/**
 * Warnings for config keys whose namespace looks like a typo of `dind-stack` (`dind-stak:mode`):
 * Pulumi hands the program every namespace's keys, other namespaces are legitimate (docker:host,
 * kubernetes:context), and the program reads only its own, so such a key would be ignored
 * without a word. Each warning names the key and the one meant.
 */
export function namespaceLookalikes(allConfig: Readonly<Record<string, string>>): string[] {
  const known = Object.keys(SCHEMA.shape);
  return Object.keys(allConfig).flatMap((configKey) => {
    const colon = configKey.indexOf(":");
    const namespace = configKey.slice(0, colon);
    if (colon < 0 || namespace === NAMESPACE || closestName(namespace, [NAMESPACE]) === undefined) return [];
    const name = configKey.slice(colon + 1);
    const meant = known.includes(name) ? name : (closestName(name, known) ?? name);
    return [`config key ${configKey} is ignored: this program reads only the ${NAMESPACE} namespace (did you mean "${NAMESPACE}:${meant}"?)`];
  });
}
