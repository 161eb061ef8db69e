import { ConfigError } from "../../../components/config/config-error";
import { closestName } from "../../../components/config/did-you-mean";
import { namespaceValues, parseSettings } from "../../../components/config/parse-settings";
import { encode, parse, problemLines, ruleContext } from "../../support/config-problems";

describe("parsing a stack's config", () => {
  test("an empty config gets every default", () => {
    const settings = parse({});
    expect(settings.target).toBe("docker");
    expect(settings.mode).toBe("dind");
    expect(settings.dindImage).toEqual({
      dockerVersion: "24.0.6",
      arch: "x86_64",
      sha256: undefined,
      advisories: "warn",
      downloadUrl: "https://download.docker.com/linux/static/stable",
      localTarball: undefined,
      baseImage: "debian:bookworm-slim",
      extraPackages: [],
      imageName: "dind-stack/dind",
      tag: undefined,
      buildNetwork: "default",
      buildOnPreview: true,
      buildx: { enabled: true, version: "0.11.2", downloadUrl: "https://github.com/docker/buildx/releases/download" },
      compose: { enabled: true, version: "2.21.0", downloadUrl: "https://github.com/docker/compose/releases/download" },
    });
    expect(settings.registry).toEqual({
      image: "registry:2",
      port: 5000,
      bindAddress: "127.0.0.1",
      allowUnauthenticatedExposure: false,
      alias: "registry",
      restoreSizeLimit: "100Gi",
      retainDataOnDelete: true,
      deleteEnabled: true,
    });
    expect(settings.daemon).toEqual({ insecureRegistries: [], registryMirrors: [], dns: [], logOpts: { maxSize: "10m", maxFile: 3 }, tls: true, iptables: "auto", extraArgs: [] });
    expect(settings.workloads).toMatchObject({ allowDood: false, daemonAlias: "docker", readyTimeoutSeconds: 120 });
    expect(settings.workloads.clients).toEqual([{ name: "builder", image: undefined, command: ["sleep", "infinity"], env: {}, count: 1 }]);
  });

  test("values written by `pulumi config set --path` as strings are accepted", () => {
    const settings = parse({ registry: { port: "5002", retainDataOnDelete: "false" }, daemon: { mtu: "1400" } });
    expect(settings.registry.port).toBe(5002);
    expect(settings.registry.retainDataOnDelete).toBe(false);
    expect(settings.daemon.mtu).toBe(1400);
  });

  test("a full valid config is taken as given", () => {
    const settings = parse(
      {
        mode: "dood",
        dindImage: { dockerVersion: "25.0.3", arch: "aarch64", sha256: "b".repeat(64), localTarball: "/tmp/docker.tgz", extraPackages: ["git", "make=4.3-4.1"] },
        registry: { auth: { username: "ci" }, proxy: { remoteUrl: "https://mirror.example", username: "pull" }, bindAddress: "::1" },
        daemon: { dns: ["10.0.0.2"], registryMirrors: ["https://hub-mirror.example"], extraArgs: ["--experimental"] },
        workloads: { allowDood: true, clients: [{ name: "a", count: 0 }, { name: "b", image: "docker:24-cli", env: { CI: true } }] },
        registryPassword: "password-1",
        registryProxyPassword: "password-2",
      },
      ruleContext(["/tmp/docker.tgz"]),
    );
    expect(settings.dindImage.arch).toBe("aarch64");
    expect(settings.registry.proxy).toEqual({ remoteUrl: "https://mirror.example", username: "pull" });
    expect(settings.workloads.clients[1].env).toEqual({ CI: "true" });
  });

  test("keys of other namespaces are not ours to judge", () => {
    const values = namespaceValues({ "docker:host": "unix:///var/run/docker.sock", "dind-stack:mode": "dood", "dind-stack:workloads": '{"allowDood":true}' });
    expect(values).toEqual({ mode: "dood", workloads: '{"allowDood":true}' });
    expect(parseSettings("test", values, ruleContext()).mode).toBe("dood");
  });

  test("every problem of a config is reported at once, with the stack's name", () => {
    let thrown: unknown;
    try {
      parseSettings("ci", encode({ mode: "dood", registry: { port: 0, aliaz: "r" }, daemon: { mtu: 1 } }), ruleContext());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(
      [
        'stack "ci" has 4 config problems; nothing was deployed:',
        "  - dind-stack:registry.port: got 0; allowed: an integer from 1 to 65535",
        "  - dind-stack:registry.aliaz: unknown key (did you mean \"alias\"?); allowed keys: image, port, bindAddress, allowUnauthenticatedExposure, alias, volumeName, hostPath, restoreArchive, restoreSizeLimit, retainDataOnDelete, deleteEnabled, auth, proxy",
        "  - dind-stack:daemon.mtu: got 1; allowed: an integer from 576 to 65535",
        '  - dind-stack:mode: got "dood" without dind-stack:workloads.allowDood: true; allowed: "dind", or "dood" once the stack opts in (DooD mounts the host\'s Docker socket: root on the host)',
      ].join("\n"),
    );
  });

  test("one problem is counted as one", () => {
    expect(() => parseSettings("dev", encode({ daemon: { mtu: 1 } }), ruleContext())).toThrow(/^stack "dev" has 1 config problem; nothing was deployed:\n {2}- dind-stack:daemon\.mtu: /);
  });

  test.each([
    ["a loopback address", { registry: { bindAddress: "127.0.0.2" } }],
    ["the IPv6 loopback", { registry: { bindAddress: "::1" } }],
    ["any address with auth", { registry: { bindAddress: "0.0.0.0", auth: { username: "ci" } }, registryPassword: "password-1" }],
    ["any address with the opt-in", { registry: { bindAddress: "10.1.2.3", allowUnauthenticatedExposure: "true" } }],
  ])("the registry may be published on %s", (_title, config) => {
    expect(parse(config).registry.bindAddress).toBe(config.registry.bindAddress);
  });

  test("rules still judge the rest of a config whose other keys are wrong", () => {
    const lines = problemLines({
      registry: { port: 0, bindAddress: "0.0.0.0" },
      workloads: { clients: [{ name: "runner", count: 99 }, { name: "runner", env: { DOCKER_HOST: "tcp://elsewhere:2375" } }] },
    });
    expect(lines).toEqual([
      "dind-stack:registry.port: got 0; allowed: an integer from 1 to 65535",
      "dind-stack:workloads.clients[0].count: got 99; allowed: an integer from 0 to 20",
      expect.stringContaining("dind-stack:workloads.clients[1].env.DOCKER_HOST: got a variable the stack sets itself"),
      'dind-stack:workloads.clients[1]: got duplicate client name "runner" (also at [0]); allowed: each client name once',
      expect.stringContaining('dind-stack:registry.bindAddress: got "0.0.0.0" without dind-stack:registry.auth'),
    ]);
  });

  test("a cross-key rule is skipped when one of its keys is already wrong, so errors are not doubled", () => {
    expect(problemLines({ dindImage: { dockerVersion: "x" } })).toEqual(['dind-stack:dindImage.dockerVersion: got "x"; allowed: a Docker release version such as "24.0.6"']);
  });
});

describe("did you mean", () => {
  test("a short typo of a client key points to the key meant", () => {
    expect(problemLines({ workloads: { clients: [{ name: "runner", cnt: 2 }] } })).toEqual([
      'dind-stack:workloads.clients[0].cnt: unknown key (did you mean "count"?); allowed keys: name, image, command, env, count',
    ]);
  });

  test.each([
    ["tsl", ["tls", "mtu", "dns"], "tls"],
    ["insecureRegistry", ["insecureRegistries", "registryMirrors"], "insecureRegistries"],
    ["DOCKERVERSION", ["dockerVersion", "arch"], "dockerVersion"],
    ["completely-unrelated", ["tls", "mtu"], undefined],
    ["cnt", ["name", "image", "command", "env", "count"], "count"],
    ["prot", ["image", "port", "proxy"], "port"],
  ])("%s among %j suggests %s", (given, known, expected) => {
    expect(closestName(given, known)).toBe(expected);
  });
});
