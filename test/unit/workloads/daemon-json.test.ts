import { doodDaemonJsonSnippet, mtuEnv, renderDaemonJson } from "../../../components/workloads/daemon-json";
import { parse } from "../../support/config-problems";

describe("daemon.json of the DinD daemons", () => {
  test("defaults: only the stack's registry is insecure (with the http:// BuildKit needs for host:port), logs rotate, nothing else is set", () => {
    expect(renderDaemonJson(parse({}).daemon, ["registry:5000"])).toStrictEqual({
      "insecure-registries": ["http://registry:5000"],
      "log-driver": "json-file",
      "log-opts": { "max-size": "10m", "max-file": "3" },
    });
  });

  test("every configured key is rendered under dockerd's name, but the MTU, which the entrypoint gets as DIND_MTU to compare with eth0's", () => {
    const daemon = parse({
      daemon: {
        insecureRegistries: ["registry:5000", "10.0.0.0/8"],
        registryMirrors: ["https://hub-mirror.example"],
        mtu: 1400,
        dns: ["10.0.0.2", "10.0.0.3"],
        storageDriver: "overlay2",
        logOpts: { maxSize: "50m", maxFile: 5 },
      },
    }).daemon;
    expect(renderDaemonJson(daemon, ["registry:5000"])).toEqual({
      "insecure-registries": ["http://registry:5000", "10.0.0.0/8"],
      "registry-mirrors": ["https://hub-mirror.example"],
      dns: ["10.0.0.2", "10.0.0.3"],
      "storage-driver": "overlay2",
      "log-driver": "json-file",
      "log-opts": { "max-size": "50m", "max-file": "5" },
    });
    expect(mtuEnv(daemon.mtu)).toEqual(["DIND_MTU=1400"]);
    expect(mtuEnv(parse({}).daemon.mtu)).toEqual([]);
  });

  test("the stack's Hub mirror is the daemons' first mirror; a configured copy of it is listed once", () => {
    const daemon = parse({ daemon: { registryMirrors: ["http://mirror:5000", "https://hub-mirror.example"] } }).daemon;
    expect(renderDaemonJson(daemon, ["registry:5000"], "http://mirror:5000")["registry-mirrors"]).toEqual(["http://mirror:5000", "https://hub-mirror.example"]);
    expect(renderDaemonJson(parse({}).daemon, ["registry:5000"], "http://mirror:5000")["registry-mirrors"]).toEqual(["http://mirror:5000"]);
  });
});

describe("DooD daemon.json snippet", () => {
  test.each([
    ["127.0.0.1:5000", undefined],
    ["127.0.0.2:5000", undefined],
    // Engines before the one that added ::1/128 to the default insecure CIDRs refuse plain HTTP there.
    ["[::1]:5000", '{"insecure-registries":["[::1]:5000"]}'],
    ["10.1.2.3:5000", '{"insecure-registries":["10.1.2.3:5000"]}'],
  ])("registry at %s needs %s", (address, expected) => {
    expect(doodDaemonJsonSnippet(address)).toBe(expected);
  });
});
