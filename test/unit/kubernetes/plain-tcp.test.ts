// Without TLS, a runner pod's daemon serves plain TCP on the pod's loopback only: the job
// container in the same pod reaches it there, nested containers and other pods cannot.
import { runnerPodSpec } from "../../../components/kubernetes/runner-pod";
import { dindSettings, plainPod, runnerContext } from "../../support/kubernetes-fixtures";

const podOf = (tls: boolean) => {
  const settings = dindSettings({ daemon: { tls } });
  return plainPod(runnerPodSpec(settings.workloads.clients[0], runnerContext(settings)));
};

test("plain TCP: the daemon is told to listen on localhost, and the job container uses localhost:2375", () => {
  const pod = podOf(false);
  const daemon = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].find((container) => container.name === "dind")!;
  const job = pod.containers!.find((container) => container.name === "job")!;
  expect(daemon.env).toContainEqual({ name: "DIND_PLAIN_TCP", value: "localhost" });
  expect(job.env).toContainEqual({ name: "DOCKER_HOST", value: "tcp://localhost:2375" });
});

test("with TLS the setting is absent", () => {
  const pod = podOf(true);
  const daemon = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].find((container) => container.name === "dind")!;
  expect(daemon.env?.map((entry) => entry.name)).not.toContain("DIND_PLAIN_TCP");
});
