import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Pod Security Standards levels, loosest first. A namespace's `enforce` label makes the
 * API server refuse pods that break its level (Pod Security admission).
 */
export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;

/** One Pod Security Standards level. */
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** A pod spec as rendered (no Pulumi outputs left). */
export type PlainPodSpec = pulumi.Unwrap<k8s.types.input.core.v1.PodSpec>;

type PlainContainer = pulumi.Unwrap<k8s.types.input.core.v1.Container>;

const LABEL = "pod-security.kubernetes.io";

/**
 * Namespace labels that enforce `level` (and audit and warn at the same level), at the policy
 * version of the cluster's minor (`v1.30`) when it is known: with `latest` a cluster upgrade
 * applies a newer policy version's checks to pods the stack made for the old one. Unknown, it
 * is `latest`.
 */
export function podSecurityLabels(level: PodSecurityLevel, clusterVersion?: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    labels[`${LABEL}/${mode}`] = level;
    labels[`${LABEL}/${mode}-version`] = clusterVersion === undefined ? "latest" : `v${clusterVersion}`;
  }
  return labels;
}

/** The level a namespace's labels enforce; a namespace without the label admits everything (the admission default). */
export function enforcedLevel(namespaceLabels: Readonly<Record<string, string>> | undefined): PodSecurityLevel {
  const level = namespaceLabels?.[`${LABEL}/enforce`];
  return POD_SECURITY_LEVELS.find((known) => known === level) ?? "privileged";
}

/** Capabilities the baseline level lets a container add (the container runtime's defaults). */
const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
];

/** Sysctls the baseline level allows (namespaced and safe). */
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
];

/** SELinux types the baseline level allows. */
const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/** Volume types the restricted level allows. */
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

function containersOf(spec: PlainPodSpec): PlainContainer[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as PlainContainer[])];
}

function baselineViolations(spec: PlainPodSpec, annotations: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (spec[field]) found.push(`host namespaces (pod must not set ${field}=true)`);
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.hostPath) found.push(`hostPath volumes (volume "${volume.name}")`);
  }
  for (const sysctl of pod.sysctls ?? []) {
    if (!SAFE_SYSCTLS.includes(sysctl.name)) found.push(`forbidden sysctls (${sysctl.name})`);
  }
  if (pod.seccompProfile?.type === "Unconfined") found.push('seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")');
  if (pod.appArmorProfile?.type === "Unconfined") found.push('appArmorProfile (pod must not set securityContext.appArmorProfile.type to "Unconfined")');
  if (pod.windowsOptions?.hostProcess) found.push("hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)");
  const seLinux = pod.seLinuxOptions;
  if (seLinux && (!SELINUX_TYPES.includes(seLinux.type ?? "") || seLinux.user || seLinux.role)) found.push("seLinuxOptions (pod sets a forbidden type, user or role)");
  for (const container of containersOf(spec)) {
    const context = container.securityContext ?? {};
    const named = `container "${container.name}"`;
    if (context.privileged) found.push(`privileged (${named} must not set securityContext.privileged=true)`);
    const added = (context.capabilities?.add ?? []).filter((capability) => !BASELINE_CAPABILITIES.includes(capability));
    if (added.length > 0) found.push(`non-default capabilities (${named} must not include ${added.map((capability) => `"${capability}"`).join(", ")} in securityContext.capabilities.add)`);
    for (const port of container.ports ?? []) {
      if (port.hostPort) found.push(`hostPort (${named} uses hostPort ${port.hostPort})`);
    }
    if (context.seccompProfile?.type === "Unconfined") found.push(`seccompProfile (${named} must not set securityContext.seccompProfile.type to "Unconfined")`);
    if (context.appArmorProfile?.type === "Unconfined") found.push(`appArmorProfile (${named} must not set securityContext.appArmorProfile.type to "Unconfined")`);
    const appArmor = annotations[`container.apparmor.security.beta.kubernetes.io/${container.name}`];
    if (appArmor !== undefined && appArmor !== "runtime/default" && !appArmor.startsWith("localhost/")) found.push(`appArmorProfile (${named} has AppArmor annotation "${appArmor}")`);
    if (context.procMount && context.procMount !== "Default") found.push(`procMount (${named} must not set securityContext.procMount to "${context.procMount}")`);
    if (context.windowsOptions?.hostProcess) found.push(`hostProcess (${named} must not set securityContext.windowsOptions.hostProcess=true)`);
    const containerSeLinux = context.seLinuxOptions;
    if (containerSeLinux && (!SELINUX_TYPES.includes(containerSeLinux.type ?? "") || containerSeLinux.user || containerSeLinux.role)) {
      found.push(`seLinuxOptions (${named} sets a forbidden type, user or role)`);
    }
  }
  return found;
}

function restrictedViolations(spec: PlainPodSpec): string[] {
  const found: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== "name" && volume[key as keyof typeof volume] !== undefined);
    if (type && !RESTRICTED_VOLUMES.includes(type)) found.push(`restricted volume types (volume "${volume.name}" uses ${type})`);
  }
  if (pod.runAsUser === 0) found.push("runAsUser=0 (pod must not set runAsUser=0)");
  const podSeccompOk = pod.seccompProfile?.type === "RuntimeDefault" || pod.seccompProfile?.type === "Localhost";
  for (const container of containersOf(spec)) {
    const context = container.securityContext ?? {};
    const named = `container "${container.name}"`;
    if (context.allowPrivilegeEscalation !== false) found.push(`allowPrivilegeEscalation != false (${named} must set securityContext.allowPrivilegeEscalation=false)`);
    if ((context.runAsNonRoot ?? pod.runAsNonRoot) !== true) found.push(`runAsNonRoot != true (${named} or the pod must set securityContext.runAsNonRoot=true)`);
    if (context.runAsUser === 0) found.push(`runAsUser=0 (${named} must not set runAsUser=0)`);
    const seccomp = context.seccompProfile?.type;
    if (seccomp === undefined ? !podSeccompOk : seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      found.push(`seccompProfile (${named} or the pod must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`);
    }
    if (!(context.capabilities?.drop ?? []).includes("ALL")) found.push(`unrestricted capabilities (${named} must set securityContext.capabilities.drop=["ALL"])`);
    const added = (context.capabilities?.add ?? []).filter((capability) => capability !== "NET_BIND_SERVICE");
    if (added.length > 0) found.push(`unrestricted capabilities (${named} must not include ${added.map((capability) => `"${capability}"`).join(", ")} in securityContext.capabilities.add)`);
  }
  return found;
}

/**
 * Why Pod Security admission would refuse a pod in a namespace enforcing `level` (empty when
 * it is admitted), following the Pod Security Standards' checks for the baseline and
 * restricted profiles. `annotations` are the pod's (AppArmor annotations are checked).
 */
export function podSecurityViolations(level: PodSecurityLevel, spec: PlainPodSpec, annotations: Readonly<Record<string, string>> = {}): string[] {
  if (level === "privileged") return [];
  const found = baselineViolations(spec, annotations);
  if (level === "restricted") found.push(...restrictedViolations(spec));
  return [...new Set(found)];
}

/** The strictest level that admits the pod. */
export function strictestAdmittingLevel(spec: PlainPodSpec, annotations: Readonly<Record<string, string>> = {}): PodSecurityLevel {
  return [...POD_SECURITY_LEVELS].reverse().find((level) => podSecurityViolations(level, spec, annotations).length === 0) ?? "privileged";
}
