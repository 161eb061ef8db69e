// The Pod Security admission check: what each profile refuses, on the stack's own pods and on
// one-field changes of them.
import { podSecurityViolations, strictestAdmittingLevel } from "../../../components/kubernetes/pod-security";
import { registryPodSpec } from "../../../components/kubernetes/registry-pod";
import { runnerPodSpec } from "../../../components/kubernetes/runner-pod";
import { dindSettings, kubernetesSettings, plainPod, runnerContext } from "../../support/kubernetes-fixtures";

const registryPod = () => plainPod(registryPodSpec(dindSettings().registry, kubernetesSettings(), { claim: "data", configSecret: "config" }));
const runnerPod = (mode: "dind" | "dood", overrides = {}) => plainPod(runnerPodSpec(dindSettings().workloads.clients[0], runnerContext(undefined, overrides, { mode })));

describe("Pod Security admission", () => {
  test("the registry pod passes restricted", () => {
    expect(podSecurityViolations("restricted", registryPod())).toEqual([]);
    expect(strictestAdmittingLevel(registryPod())).toBe("restricted");
  });

  test("a DinD runner pod needs privileged: baseline refuses its privileged daemon, and only that", () => {
    expect(podSecurityViolations("baseline", runnerPod("dind"))).toEqual(['privileged (container "dind" must not set securityContext.privileged=true)']);
    expect(podSecurityViolations("privileged", runnerPod("dind"))).toEqual([]);
  });

  test("under a sandboxing runtime the DinD runner pod passes baseline", () => {
    expect(strictestAdmittingLevel(runnerPod("dind", { runtimeClassName: "sysbox-runc" }))).toBe("baseline");
  });

  test("a DooD runner pod needs privileged for its hostPath socket", () => {
    expect(podSecurityViolations("baseline", runnerPod("dood"))).toEqual(['hostPath volumes (volume "docker-socket")']);
  });

  // Each row breaks one rule in the registry pod; restricted must name it.
  const BROKEN: [string, (pod: any) => void, string][] = [
    ["runs as root", (pod) => (pod.securityContext.runAsUser = 0), "runAsUser=0 (pod must not set runAsUser=0)"],
    ["no runAsNonRoot", (pod) => delete pod.securityContext.runAsNonRoot, 'runAsNonRoot != true (container "registry" or the pod must set securityContext.runAsNonRoot=true)'],
    [
      "privilege escalation",
      (pod) => (pod.containers[0].securityContext.allowPrivilegeEscalation = true),
      'allowPrivilegeEscalation != false (container "registry" must set securityContext.allowPrivilegeEscalation=false)',
    ],
    ["capabilities kept", (pod) => delete pod.containers[0].securityContext.capabilities, 'unrestricted capabilities (container "registry" must set securityContext.capabilities.drop=["ALL"])'],
    [
      "no seccomp profile",
      (pod) => delete pod.securityContext.seccompProfile,
      'seccompProfile (container "registry" or the pod must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ],
    ["seccomp turned off for the pod", (pod) => (pod.securityContext.seccompProfile = { type: "Unconfined" }), 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")'],
    ["a hostPath volume", (pod) => pod.volumes.push({ name: "host", hostPath: { path: "/" } }), 'hostPath volumes (volume "host")'],
    ["host network", (pod) => (pod.hostNetwork = true), "host namespaces (pod must not set hostNetwork=true)"],
    [
      "an added capability",
      (pod) => (pod.containers[0].securityContext.capabilities.add = ["NET_ADMIN"]),
      'non-default capabilities (container "registry" must not include "NET_ADMIN" in securityContext.capabilities.add)',
    ],
    ["a host port", (pod) => (pod.containers[0].ports[0].hostPort = 5000), 'hostPort (container "registry" uses hostPort 5000)'],
  ];
  test.each(BROKEN)("restricted refuses a registry pod that %s", (_name, breakIt, message) => {
    const pod = registryPod();
    breakIt(pod);
    expect(podSecurityViolations("restricted", pod)).toContain(message);
  });
});
