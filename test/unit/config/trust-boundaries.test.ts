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
    expect(message).toMatch(/registry data/);
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
  const cases: [string, Record<string, unknown>, string][] = [
    ["the static binaries' download URL", { dindImage: { downloadUrl: "https://deploy:s3cr3t-token@mirror.example/static" } }, "dind-stack:dindImage.downloadUrl"],
    ["the pull-through cache's upstream", { registry: { proxy: { remoteUrl: "https://deploy:s3cr3t-token@registry-1.docker.io" } } }, "dind-stack:registry.proxy.remoteUrl"],
    ["a Docker Hub mirror", { daemon: { registryMirrors: ["https://mirror.example", "http://deploy:s3cr3t-token@hub.example"] } }, "dind-stack:daemon.registryMirrors[1]"],
  ];
  test.each(cases)("%s", (_title, config, expectedKey) => {
    const { key, message } = onlyProblem(config);
    expect(key).toBe(expectedKey);
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
