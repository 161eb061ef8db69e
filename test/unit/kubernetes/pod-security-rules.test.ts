// Pod Security admission, rule by rule: a one-field change of the registry pod (which passes
// restricted) that each level must refuse, and the neighbouring values it must still admit, as
// the Pod Security Standards list them for the baseline and restricted profiles.
import { enforcedLevel, podSecurityLabels, podSecurityViolations, strictestAdmittingLevel } from "../../../components/kubernetes/pod-security";
import { registryPodSpec } from "../../../components/kubernetes/registry-pod";
import { dindSettings, kubernetesSettings, plainPod } from "../../support/kubernetes-fixtures";

type Change = (pod: any) => void;

const registryPod = (change: Change = () => undefined) => {
  const pod = plainPod(registryPodSpec(dindSettings().registry, kubernetesSettings(), { claim: "data", configSecret: "config" }));
  change(pod);
  return pod;
};
const container = (change: Change): Change => (pod) => change((pod.containers[0].securityContext ??= {}));
const sandbox = { name: "debug", image: "busybox", securityContext: { privileged: true } };
const annotated = (profile: string) => ({ "container.apparmor.security.beta.kubernetes.io/registry": profile });

// [what the pod does, the change, the field a refusal must name]
const BASELINE_REFUSES: [string, Change, RegExp][] = [
  ["shares the host's PIDs", (pod) => (pod.hostPID = true), /hostPID/],
  ["shares the host's IPC", (pod) => (pod.hostIPC = true), /hostIPC/],
  ["sets an unsafe sysctl", (pod) => (pod.securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }]), /kernel\.msgmax/],
  ["turns AppArmor off for the pod", (pod) => (pod.securityContext.appArmorProfile = { type: "Unconfined" }), /appArmorProfile/],
  ["runs as a Windows host process", (pod) => (pod.securityContext.windowsOptions = { hostProcess: true }), /hostProcess/],
  ["takes an SELinux type outside the container types", (pod) => (pod.securityContext.seLinuxOptions = { type: "spc_t" }), /seLinuxOptions/],
  ["sets an SELinux user", (pod) => (pod.securityContext.seLinuxOptions = { user: "system_u" }), /seLinuxOptions/],
  ["sets an SELinux role", (pod) => (pod.securityContext.seLinuxOptions = { role: "system_r" }), /seLinuxOptions/],
  ["runs a privileged container", container((context) => (context.privileged = true)), /privileged/],
  ["turns seccomp off for a container", container((context) => (context.seccompProfile = { type: "Unconfined" })), /seccompProfile/],
  ["turns AppArmor off for a container", container((context) => (context.appArmorProfile = { type: "Unconfined" })), /appArmorProfile/],
  ["unmasks /proc", container((context) => (context.procMount = "Unmasked")), /procMount/],
  ["runs a container as a Windows host process", container((context) => (context.windowsOptions = { hostProcess: true })), /hostProcess/],
  ["gives a container the SELinux type spc_t", container((context) => (context.seLinuxOptions = { type: "spc_t" })), /seLinuxOptions/],
  ["gives a container an SELinux user", container((context) => (context.seLinuxOptions = { type: "container_t", user: "system_u" })), /seLinuxOptions/],
  ["gives a container an SELinux role", container((context) => (context.seLinuxOptions = { role: "system_r" })), /seLinuxOptions/],
  ["adds SYS_ADMIN beside an allowed capability", container((context) => (context.capabilities = { drop: ["ALL"], add: ["CHOWN", "SYS_ADMIN"] })), /"SYS_ADMIN"/],
  ["has a privileged init container", (pod) => (pod.initContainers = [sandbox]), /"debug"/],
  ["has a privileged ephemeral container", (pod) => (pod.ephemeralContainers = [sandbox]), /"debug"/],
];

describe("baseline refuses a pod that", () => {
  test.each(BASELINE_REFUSES)("%s, naming the field", (_what, change, field) => {
    const violations = podSecurityViolations("baseline", registryPod(change));
    expect(violations.some((violation) => field.test(violation))).toBe(true);
    expect(strictestAdmittingLevel(registryPod(change))).toBe("privileged");
    expect(podSecurityViolations("privileged", registryPod(change))).toEqual([]);
  });

  test("gives an AppArmor annotation other than runtime/default or a localhost/ profile", () => {
    expect(podSecurityViolations("baseline", registryPod(), annotated("unconfined")).join("\n")).toMatch(/AppArmor annotation "unconfined"/);
  });
});

// [what the pod does, the change]: baseline admits it (the restricted check may still refuse).
const BASELINE_ADMITS: [string, Change][] = [
  ["sets a safe sysctl", (pod) => (pod.securityContext.sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }])],
  ["asks for the runtime's AppArmor profile", (pod) => (pod.securityContext.appArmorProfile = { type: "RuntimeDefault" })],
  ["takes the SELinux type container_t", (pod) => (pod.securityContext.seLinuxOptions = { type: "container_t", level: "s0:c1,c2" })],
  ["sets an SELinux level only", container((context) => (context.seLinuxOptions = { level: "s0:c1,c2" }))],
  ["keeps /proc masked explicitly", container((context) => (context.procMount = "Default"))],
  ["adds a capability the runtime grants anyway", container((context) => (context.capabilities = { drop: ["ALL"], add: ["CHOWN"] }))],
  ["sets privileged to false", container((context) => (context.privileged = false))],
  ["names a Windows user without a host process", (pod) => (pod.securityContext.windowsOptions = { hostProcess: false, runAsUserName: "app" })],
];

describe("baseline admits a pod that", () => {
  test.each(BASELINE_ADMITS)("%s", (_what, change) => {
    expect(podSecurityViolations("baseline", registryPod(change))).toEqual([]);
  });

  test.each(["runtime/default", "localhost/registry-profile"])("has the AppArmor annotation %s", (profile) => {
    expect(podSecurityViolations("restricted", registryPod(), annotated(profile))).toEqual([]);
  });
});

describe("restricted, beyond baseline", () => {
  test("refuses a volume type outside its list, which baseline admits", () => {
    const change: Change = (pod) => pod.volumes.push({ name: "shared", nfs: { server: "nfs.example", path: "/exports" } });
    expect(podSecurityViolations("restricted", registryPod(change)).join("\n")).toMatch(/volume "shared" uses nfs/);
    expect(strictestAdmittingLevel(registryPod(change))).toBe("baseline");
  });

  test("refuses an added capability other than NET_BIND_SERVICE, and admits that one", () => {
    const adding = (capability: string) => registryPod(container((context) => (context.capabilities = { drop: ["ALL"], add: [capability] })));
    expect(strictestAdmittingLevel(adding("CHOWN"))).toBe("baseline");
    expect(podSecurityViolations("restricted", adding("NET_BIND_SERVICE"))).toEqual([]);
  });

  test("refuses a container that runs as root, and admits a container-level Localhost seccomp profile", () => {
    expect(strictestAdmittingLevel(registryPod(container((context) => (context.runAsUser = 0))))).toBe("baseline");
    const localhost = registryPod((pod) => {
      delete pod.securityContext.seccompProfile;
      pod.containers[0].securityContext.seccompProfile = { type: "Localhost", localhostProfile: "registry.json" };
    });
    expect(podSecurityViolations("restricted", localhost)).toEqual([]);
  });

  test("takes runAsNonRoot from the container when the pod does not set it", () => {
    const moved = registryPod((pod) => {
      delete pod.securityContext.runAsNonRoot;
      pod.containers[0].securityContext.runAsNonRoot = true;
    });
    expect(podSecurityViolations("restricted", moved)).toEqual([]);
  });

  test("lists a violation once, however many rules lead to it", () => {
    const twice = registryPod((pod) => {
      pod.containers[0].securityContext.privileged = true;
      pod.initContainers = [{ name: "registry", image: "busybox", securityContext: { privileged: true } }];
    });
    const violations = podSecurityViolations("baseline", twice);
    expect(violations).toEqual([...new Set(violations)]);
    expect(violations).toHaveLength(1);
  });
});

describe("namespace labels", () => {
  test("enforce, audit and warn the level at the cluster's minor version, or latest when it is unknown", () => {
    expect(podSecurityLabels("baseline", "1.30")).toEqual({
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/enforce-version": "v1.30",
      "pod-security.kubernetes.io/audit": "baseline",
      "pod-security.kubernetes.io/audit-version": "v1.30",
      "pod-security.kubernetes.io/warn": "baseline",
      "pod-security.kubernetes.io/warn-version": "v1.30",
    });
    expect(podSecurityLabels("restricted")["pod-security.kubernetes.io/enforce-version"]).toBe("latest");
  });

  test("a namespace enforces the level its label names; without the label, or with one the API does not know, it admits everything", () => {
    expect(enforcedLevel(podSecurityLabels("restricted"))).toBe("restricted");
    expect(enforcedLevel({ "pod-security.kubernetes.io/enforce": "baseline" })).toBe("baseline");
    expect(enforcedLevel({ "pod-security.kubernetes.io/enforce": "strict" })).toBe("privileged");
    expect(enforcedLevel({ "pod-security.kubernetes.io/warn": "restricted" })).toBe("privileged");
    expect(enforcedLevel(undefined)).toBe("privileged");
  });
});
