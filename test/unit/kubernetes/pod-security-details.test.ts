// What a Pod Security refusal tells the user beyond "refused": each offending capability named
// apart, the container that runs as root, the seccomp types to set instead; and the pods the
// restricted profile admits although they differ from the registry pod (a seccomp profile set
// on the pod or on the container only, a volume whose other sources are left undefined).
// podSecurityViolations called on one-field changes of the registry pod.
import { podSecurityViolations } from "../../../components/kubernetes/pod-security";
import { registryPodSpec } from "../../../components/kubernetes/registry-pod";
import { dindSettings, kubernetesSettings, plainPod } from "../../support/kubernetes-fixtures";

/** The registry pod (which passes restricted) as admission sees it, after `change`. */
function registryPod(change: (pod: any) => void = () => undefined): any {
  const pod: any = plainPod(registryPodSpec(dindSettings().registry, kubernetesSettings(), { claim: "data", configSecret: "config" }));
  change(pod);
  return pod;
}

/** The registry pod with its container's securityContext changed. */
const withContainer = (change: (context: any) => void): any => registryPod((pod) => change(pod.containers[0].securityContext));

describe("a refusal names what to change", () => {
  test("baseline names each added capability apart", () => {
    const pod = withContainer((context) => (context.capabilities.add = ["SYS_ADMIN", "NET_ADMIN"]));
    const refused = podSecurityViolations("baseline", pod).join("\n");
    expect(refused).toMatch(/"registry".*"SYS_ADMIN"[,\s]+"NET_ADMIN"/);
  });

  test("restricted names the container and each capability it adds beyond NET_BIND_SERVICE, even ones baseline allows", () => {
    const pod = withContainer((context) => (context.capabilities.add = ["CHOWN", "KILL"]));
    expect(podSecurityViolations("baseline", pod)).toEqual([]);
    const refused = podSecurityViolations("restricted", pod);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/"registry".*"CHOWN"[,\s]+"KILL"/);
  });

  test("restricted names the container that runs as root", () => {
    const refused = podSecurityViolations("restricted", withContainer((context) => (context.runAsUser = 0)));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/"registry".*runAsUser/);
  });

  test("restricted tells a container that turns seccomp off which types to set, although the pod sets one", () => {
    const refused = podSecurityViolations("restricted", withContainer((context) => (context.seccompProfile = { type: "Unconfined" }))).join("\n");
    expect(refused).toMatch(/"registry".*RuntimeDefault.*Localhost/);
  });
});

describe("restricted admits", () => {
  test("a pod whose seccomp profile is Localhost, set on the pod only", () => {
    const pod = registryPod((pod) => (pod.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "registry.json" }));
    expect(podSecurityViolations("restricted", pod)).toEqual([]);
  });

  test.each(["RuntimeDefault", "Localhost"])("a container that sets the seccomp type %s itself", (type) => {
    const pod = registryPod((pod) => {
      delete pod.securityContext.seccompProfile;
      pod.containers[0].securityContext.seccompProfile = { type, ...(type === "Localhost" ? { localhostProfile: "registry.json" } : {}) };
    });
    expect(podSecurityViolations("restricted", pod)).toEqual([]);
  });

  test("a volume judged by the source it sets, not by sources left undefined before it", () => {
    const pod = registryPod((pod) => pod.volumes.push({ name: "scratch", hostPath: undefined, nfs: undefined, emptyDir: {} }));
    expect(podSecurityViolations("restricted", pod)).toEqual([]);
  });
});
