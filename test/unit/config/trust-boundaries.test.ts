import { parse, problemLines, ruleContext } from "../../support/config-problems";

// Config that would let one party reach what another owns is refused before anything is
// declared: the error names the key and what is allowed, and never shows a credential.

/** The one problem line of a config, split into its key and its message. */
function onlyProblem(config: Record<string, unknown>, directories: string[] = []): { key: string; message: string } {
  const lines = problemLines(config, ruleContext([], undefined, directories));
  expect(lines).toHaveLength(1);
  const [key, ...rest] = lines[0].split(": ");
  return { key, message: rest.join(": ") };
}

describe("a volume holds one role's data only", () => {
  test("the registry's data on the certificate volume is refused (it would be deleted on destroy and written by the daemon)", () => {
    const { key, message } = onlyProblem({ registry: { volumeName: "dind-stack-test-dind-certs" } });
    expect(key).toBe("dind-stack:registry.volumeName");
    expect(message).toContain('"dind-stack-test-dind-certs"');
    expect(message).toMatch(/certificates/);
  });

  test("the daemon's /var/lib/docker on the registry's default volume is refused", () => {
    const { key, message } = onlyProblem({ workloads: { dataVolumeName: "dind-stack-test-registry-data" } });
    expect(key).toBe("dind-stack:workloads.dataVolumeName");
    expect(message).toMatch(/registry data volume;/);
    // The registry's volume has its default name: no key of the config set it.
    expect(message).not.toContain("registry.volumeName");
  });

  test("the mirror registry's volume cannot be taken either", () => {
    expect(onlyProblem({ registry: { volumeName: "dind-stack-test-mirror-data" } }).key).toBe("dind-stack:registry.volumeName");
  });

  test("another stack's default volume is refused, naming that stack", () => {
    const { key, message } = onlyProblem({ workloads: { dataVolumeName: "dind-stack-ci-dind-data" } });
    expect(key).toBe("dind-stack:workloads.dataVolumeName");
    expect(message).toContain('stack "ci"');
  });

  test("names of the stack's own, and with a host directory the registry's default name is free", () => {
    expect(() => parse({ registry: { volumeName: "registry-v2" }, workloads: { dataVolumeName: "dind-cache-v2" } })).not.toThrow();
    expect(() =>
      parse({ registry: { hostPath: "/srv/registry" }, workloads: { dataVolumeName: "dind-stack-test-registry-data" } }, ruleContext([], undefined, ["/srv/registry"])),
    ).not.toThrow();
  });
});

describe("URLs with credentials are refused without showing them", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["the static binaries' download URL", { dindImage: { downloadUrl: "https://deploy:s3cr3t-token@mirror.example/static" } }, "dind-stack:dindImage.downloadUrl", /use .*dindImage\.localTarball/],
    ["the pull-through cache's upstream", { registry: { proxy: { remoteUrl: "https://deploy:s3cr3t-token@registry-1.docker.io" } } }, "dind-stack:registry.proxy.remoteUrl", /use registry\.proxy\.username and the secret dind-stack:registryProxyPassword/],
    ["a Docker Hub mirror", { daemon: { registryMirrors: ["https://mirror.example", "http://deploy:s3cr3t-token@hub.example"] } }, "dind-stack:daemon.registryMirrors[1]", /use a mirror that needs no credentials/],
    ["a download URL behind a forwarding proxy, with credentials in the inner URL", { dindImage: { downloadUrl: "https://proxy.example/fetch/https://deploy:s3cr3t-token@mirror.example/static" } }, "dind-stack:dindImage.downloadUrl", /use .*dindImage\.localTarball/],
  ];
  test.each(cases)("%s", (_title, config, expectedKey, instead) => {
    const { key, message } = onlyProblem(config);
    expect(key).toBe(expectedKey);
    expect(message).toMatch(instead);
    expect(message).not.toContain("s3cr3t-token");
    expect(message).not.toContain("deploy:");
    expect(message).toMatch(/without user or password/);
  });

  test("a URL that is wrong in another way is not echoed with its credentials either", () => {
    const lines = problemLines({ dindImage: { downloadUrl: "https://deploy:s3cr3t-token@mirror.example/static dir" } });
    expect(lines.join("\n")).toContain("dind-stack:dindImage.downloadUrl");
    expect(lines.join("\n")).not.toContain("s3cr3t-token");
  });
});

describe("the registry's host directory cannot be the engine's or the system's", () => {
  test.each(["/", "/run", "/var/run/", "/var/lib/docker", "/var", "/var/lib", "/var/lib/docker/volumes", "/run/containerd", "/proc", "/srv/../var/run"])(
    "%s is refused, naming the key",
    (hostPath) => {
      const { key, message } = onlyProblem({ registry: { hostPath } }, [hostPath]);
      expect(key).toBe("dind-stack:registry.hostPath");
      expect(message).toContain(JSON.stringify(hostPath));
      expect(message).toMatch(/allowed: a directory of its own/);
    },
  );

  test("a directory of its own is accepted", () => {
    expect(() => parse({ registry: { hostPath: "/srv/registry" } }, ruleContext([], undefined, ["/srv/registry"]))).not.toThrow();
    expect(() => parse({ registry: { hostPath: "/var/lib/dind-stack-registry" } }, ruleContext([], undefined, ["/var/lib/dind-stack-registry"]))).not.toThrow();
  });
});

describe("the read-only mirror registry's network name is the stack's", () => {
  test.each([
    [{ registry: { alias: "mirror" } }, "dind-stack:registry.alias"],
    [{ workloads: { daemonAlias: "mirror" } }, "dind-stack:workloads.daemonAlias"],
  ])("%j is refused", (config, expectedKey) => {
    expect(onlyProblem(config).key).toBe(expectedKey);
  });
});

describe("secrets sit only where the program keeps them secret", () => {
  /** A context in which `secrets` are secret keys and the stack file stores the given paths encrypted. */
  const withSecureLeaves = (secrets: string[], leaves: Record<string, (string | number)[][]>) => ({
    ...ruleContext([], secrets),
    secureLeaves: (name: string) => leaves[name] ?? [],
  });
  const workloads = { clients: [{ name: "runner", env: { RUNNER_TOKEN: "glrt-123" }, command: ["register", "--token", "glrt-456"] }] };

  test("a token in a client's env and command: accepted, and the settings say the clients' values are secret", () => {
    const context = withSecureLeaves(["workloads"], { workloads: [["clients", 0, "env", "RUNNER_TOKEN"], ["clients", 0, "command", 2]] });
    expect(parse({ workloads }, context).workloads.clientValuesSecret).toBe(true);
    expect(parse({ workloads }).workloads.clientValuesSecret).toBe(false);
  });

  test("a secret client name is refused at its key (it would show in container names and URNs), without its value", () => {
    const context = withSecureLeaves(["workloads"], { workloads: [["clients", 0, "name"]] });
    const lines = problemLines({ workloads }, context);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dind-stack:workloads\.clients\[0\]\.name: got a secret value \(not shown\)/);
    expect(lines[0]).not.toContain("runner");
  });

  test("a token in the env of a misspelled clients list is refused for its place too, not only for the typo", () => {
    const misspelled = { client: workloads.clients };
    const context = withSecureLeaves(["workloads"], { workloads: [["client", 0, "env", "RUNNER_TOKEN"]] });
    const lines = problemLines({ workloads: misspelled }, context);
    expect(lines.some((line) => line.startsWith("dind-stack:workloads.client[0].env.RUNNER_TOKEN: got a secret value (not shown)"))).toBe(true);
    expect(lines.join("\n")).not.toContain("glrt-123");
  });

  test("a client's whole env set as one secret is refused (its variable names would show in plain text)", () => {
    const lines = problemLines({ workloads }, withSecureLeaves(["workloads"], { workloads: [["clients", 0, "env"]] }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dind-stack:workloads\.clients\[0\]\.env: got a secret value \(not shown\)/);
  });

  test("the whole workloads section set as one secret is refused", () => {
    const lines = problemLines({ workloads }, withSecureLeaves(["workloads"], { workloads: [[]] }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dind-stack:workloads: got a secret value/);
  });

  test("a secret in a key that holds no secrets (the registry section) is refused, naming the key and where secrets go", () => {
    const lines = problemLines({ registry: { port: 5002 } }, withSecureLeaves(["registry"], {}));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dind-stack:registry: got a value that holds a secret \(not shown\)/);
    expect(lines[0]).toContain("dind-stack:workloads.clients[].env.<NAME>");
    expect(lines[0]).not.toContain("5002");
  });
});
