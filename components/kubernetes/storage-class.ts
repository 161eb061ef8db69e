import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "../config/schema";
import { renderValue } from "../config/problem";

/** The config key of the claims' storage class. */
const STORAGE_CLASS_KEY = `${NAMESPACE}:kubernetes.storageClassName`;

/**
 * Why a configured storage class cannot take effect on claims that exist, or undefined when it
 * can. `existing` is the class the claims have (a claim's live class, or a StatefulSet's claim
 * template's, absent when that template left it to the cluster's default); `configured` is the
 * config's, absent for "the cluster's default", which accepts whatever the claims have.
 */
export function storageClassConflict(what: string, configured: string | undefined, existing: string | undefined): string | undefined {
  if (configured === undefined || configured === existing) return undefined;
  const had = existing === undefined ? "the cluster's default storage class" : `storage class ${renderValue(existing)}`;
  return (
    `${STORAGE_CLASS_KEY}: got ${renderValue(configured)}, but ${what} were made with ${had}, and a claim's class cannot change ` +
    `(a new claim would start empty); allowed: ${existing === undefined ? "leaving the key unset" : renderValue(existing)}, ` +
    "or moving the claims to the new class as docs/kubernetes.md describes"
  );
}

/**
 * Refuses a storage class change the deployment would otherwise ignore: the claims (and a
 * StatefulSet's claim templates) keep the class they were made with (their resources ignore
 * changes of it, since pulumi-kubernetes would replace them and the data would go). Their
 * outputs hold what exists: the old value that ignoreChanges keeps, so a preview of the change
 * fails too, naming the key. Nothing is checked before the objects exist (their outputs are
 * unknown then). The returned output rejects with the reason; the callers make what uses the
 * claims wait for it (the registry pod's claim reference, the stack's dataVolumes output), so
 * the deployment fails before the registry is touched.
 */
export function keptStorageClass(what: string, configured: string | undefined, existing: pulumi.Output<string | undefined>): pulumi.Output<string | undefined> {
  return existing.apply((actual) => {
    const conflict = storageClassConflict(what, configured, actual);
    if (conflict) throw new Error(conflict);
    return actual;
  });
}
