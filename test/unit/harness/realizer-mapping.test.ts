// The engine harness maps the docker provider's inputs to the engine API; these checks pin
// the mapping the engine tests rely on, and that unknown fields are refused by name.
import { containerCreateOptions, durationNs, Realizer } from "../../engine/support/realizer";

describe("realizer mapping", () => {
  test("durations as the provider writes them", () => {
    expect(durationNs("5s")).toBe(5e9);
    expect(durationNs("1m30s")).toBe(90e9);
    expect(durationNs("500ms")).toBe(5e8);
    expect(durationNs(undefined)).toBeUndefined();
    expect(() => durationNs("5 seconds")).toThrow('cannot read duration "5 seconds"');
  });

  test("a container's inputs become the engine's create body", () => {
    const body = containerCreateOptions({
      name: "c",
      image: "sha256:abc",
      hostname: "docker",
      envs: ["A=1"],
      command: ["--debug"],
      entrypoints: ["/bin/sh", "-c"],
      labels: [{ label: "org.dind-stack.stack", value: "ci" }],
      volumes: [
        { volumeName: "data", containerPath: "/var/lib/docker" },
        { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true },
      ],
      ports: [{ internal: 5000, external: 5001, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: "net", aliases: ["registry"] }],
      restart: "unless-stopped",
      healthcheck: { tests: ["CMD", "true"], interval: "2s", timeout: "5s", startPeriod: "1s", retries: 3 },
    });
    expect(body).toMatchObject({
      name: "c",
      Image: "sha256:abc",
      Hostname: "docker",
      Env: ["A=1"],
      Cmd: ["--debug"],
      Entrypoint: ["/bin/sh", "-c"],
      ExposedPorts: { "5000/tcp": {} },
      Healthcheck: { Test: ["CMD", "true"], Interval: 2e9, Timeout: 5e9, StartPeriod: 1e9, Retries: 3 },
      HostConfig: {
        Binds: ["data:/var/lib/docker", "/var/run/docker.sock:/var/run/docker.sock:ro"],
        PortBindings: { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "5001" }] },
        RestartPolicy: { Name: "unless-stopped" },
        NetworkMode: "net",
      },
      NetworkingConfig: { EndpointsConfig: { net: { Aliases: ["registry"] } } },
    });
    expect(body.Labels).toMatchObject({ "org.dind-stack.stack": "ci", "org.dind-stack.test-run": expect.any(String) });
  });

  test("a field the harness does not realize fails by name", async () => {
    const realizer = new Realizer(async () => "privileged");
    await expect(realizer.realize("docker:index/container:Container", "c", { name: "c", image: "x", memory: 512 })).rejects.toThrow(
      'realizer: Container c sets field "memory", which the test harness does not realize',
    );
    await expect(realizer.realize("docker:index/volume:Volume", "v", { name: "v", driver: "local" })).rejects.toThrow('sets field "driver"');
    await expect(realizer.realize("docker:index/service:Service", "s", {})).rejects.toThrow("resource type docker:index/service:Service (s) is not realized");
  });
});
