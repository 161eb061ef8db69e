import { renderDaemonJson } from "../../../components/workloads/daemon-json";
import { dindDaemonContainerArgs } from "../../../components/workloads/dind-daemon-spec";
import { objectNames } from "../../../components/naming";
import { parse } from "../../support/config-problems";

test("the DinD daemon runs in a cgroup namespace of its own, so it can delegate controllers on cgroup v2 hosts", () => {
  for (const daemon of [{}, { tls: false }]) {
    const settings = parse({ daemon });
    const args = dindDaemonContainerArgs(settings.daemon, settings.workloads, {
      stack: "ci",
      containerName: objectNames("ci").daemonContainer,
      image: "sha256:image",
      networkName: "net",
      dataVolume: "data",
      certsVolume: "certs",
      daemonJson: renderDaemonJson(settings.daemon, []),
    });
    expect(args.cgroupnsMode).toBe("private");
  }
});
