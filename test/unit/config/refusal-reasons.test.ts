import { problemLines, ruleContext } from "../../support/config-problems";

// An error says why the value is refused, not only where: the exposure the address causes, the
// name the value collides with, the protected directory a registry path reaches.

/** The message of a config's only problem (everything after its key). */
function onlyMessage(config: Record<string, unknown>, directories: string[] = []): string {
  const lines = problemLines(config, ruleContext([], undefined, directories));
  expect(lines).toHaveLength(1);
  return lines[0].slice(lines[0].indexOf(": ") + 2);
}

describe("a registry published beyond loopback without auth", () => {
  test.each(["0.0.0.0", "::"])("on %s: the error says it publishes on every interface", (bindAddress) => {
    expect(onlyMessage({ registry: { bindAddress } })).toMatch(/every interface/);
  });

  test("on one network address: the error does not claim every interface", () => {
    expect(onlyMessage({ registry: { bindAddress: "10.1.2.3" } })).not.toMatch(/every interface/);
  });
});

describe("a network name taken by the read-only mirror registry", () => {
  test.each([{ registry: { alias: "mirror" } }, { workloads: { daemonAlias: "mirror" } }])("%j: the error names the value, whose name it is, and what is allowed", (config) => {
    const message = onlyMessage(config);
    expect(message).toMatch(/^got "mirror", .*mirror registry.*; allowed: /);
  });
});

describe("a registry host directory that reaches the engine's or the kernel's", () => {
  /** The reason a refused hostPath gives: what stands between `got "<path>", ` and `; allowed:`. */
  const reasonFor = (hostPath: string) => /^got "[^"]*", (.*?); allowed: /.exec(onlyMessage({ registry: { hostPath } }, [hostPath]))?.[1];

  test("/ is the host's whole file system", () => {
    expect(reasonFor("/")).toMatch(/whole file system/);
  });

  test.each([
    ["/var/lib/docker/volumes", "/var/lib/docker"],
    ["/run/containerd", "/run"],
    ["/proc", "/proc"],
  ])("%s lies in %s, and the error names it", (hostPath, protectedDirectory) => {
    expect(reasonFor(hostPath)?.startsWith(`${protectedDirectory},`)).toBe(true);
  });

  test.each([
    ["/var", "/var/run"],
    ["/var/lib", "/var/lib/docker"],
  ])("%s holds %s, and the error says so", (hostPath, protectedDirectory) => {
    expect(reasonFor(hostPath)).toMatch(new RegExp(`holding ${protectedDirectory},`));
  });
});
