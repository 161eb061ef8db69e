/**
 * The capabilities a container may add without escalating: the Pod Security Standards'
 * "baseline" list (kubernetes.io/docs/concepts/security/pod-security-standards, Baseline,
 * Capabilities), all of them in Docker's default set too. Anything else (SYS_ADMIN, NET_ADMIN,
 * SYS_PTRACE, ALL, ...) gives the container powers a default one does not have.
 */
const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** The added capabilities beyond the baseline, as Docker and Kubernetes both accept them (`SYS_ADMIN`, `CAP_SYS_ADMIN`, `sys_admin`), in the form given. */
export function addedCapabilities(adds: readonly string[]): string[] {
  return adds.filter((cap) => !BASELINE_CAPABILITIES.has(cap.toUpperCase().replace(/^CAP_/, "")));
}
