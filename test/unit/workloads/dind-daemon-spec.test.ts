// The DinD daemon container as the Docker provider gets it: its cgroup namespace, and the labels
// `docker ps --filter label=...` finds it by. dindDaemonContainerArgs rendered directly.
import { renderDaemonJson } from "../../../components/workloads/daemon-json";
import { dindDaemonContainerArgs } from "../../../components/workloads/dind-daemon-spec";
import { objectNames } from "../../../components/naming";
import { parse } from "../../support/config-problems";

/** The daemon container's arguments for stack `ci` with the `daemon` section given. */
function daemonArgs(daemon: Record<string, unknown> = {}) {
  const settings = parse({ daemon });
  return dindDaemonContainerArgs(settings.daemon, settings.workloads, {
    stack: "ci",
    containerName: objectNames("ci").daemonContainer,
    image: "sha256:image",
    networkName: "net",
    dataVolume: "data",
    certsVolume: "certs",
    daemonJson: renderDaemonJson(settings.daemon, []),
  });
}

test("the DinD daemon runs in a cgroup namespace of its own, so it can delegate controllers on cgroup v2 hosts", () => {
  for (const daemon of [{}, { tls: false }]) expect(daemonArgs(daemon).cgroupnsMode).toBe("private");
});

test("the daemon container carries the stack's label and a component that names the daemon", () => {
  const labels = Object.fromEntries((daemonArgs().labels as { label: string; value: string }[]).map((entry) => [entry.label, entry.value]));
  expect(labels["org.dind-stack.stack"]).toBe("ci");
  expect(labels["org.dind-stack.component"]).toMatch(/daemon/);
});
