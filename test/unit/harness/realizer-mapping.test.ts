// The engine harness maps the docker provider's inputs to the engine API; these checks pin
// the mapping the engine tests rely on, and that unknown fields are refused by name.
import { realizeCommand } from "../../engine/support/local-command";
import { containerCreateOptions, durationNs, Realizer } from "../../engine/support/realizer";
import { splitPushName } from "../../engine/support/registry-push";

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
        // Created on the default bridge with init off, as the provider does; the networks are joined after the create.
        NetworkMode: "bridge",
        Init: false,
      },
    });
    expect(body.NetworkingConfig).toBeUndefined();
    expect(body.Labels).toMatchObject({ "org.dind-stack.stack": "ci", "org.dind-stack.test-run": expect.any(String) });
  });

  test("a field the harness does not realize fails by name", async () => {
    const realizer = new Realizer(async () => "privileged");
    await expect(realizer.realize("docker:index/container:Container", "c", { name: "c", image: "x", memory: 512 })).rejects.toThrow(
      'realizer: Container c sets field "memory", which the test harness does not realize',
    );
    await expect(realizer.realize("docker:index/volume:Volume", "v", { name: "v", driver: "local" })).rejects.toThrow('sets field "driver"');
    await expect(realizer.realize("docker:index/service:Service", "s", {})).rejects.toThrow("resource type docker:index/service:Service (s) is not realized");
    await expect(realizer.realize("docker:index/tag:Tag", "t", { sourceImage: "a", targetImage: "b", tagTriggers: ["x"] })).rejects.toThrow('Tag t sets field "tagTriggers"');
    await expect(realizer.realize("docker:index/registryImage:RegistryImage", "p", { name: "r:5000/a:1", build: { context: "." } })).rejects.toThrow('RegistryImage p sets field "build"');
    await expect(realizer.realize("docker:index/registryImage:RegistryImage", "p", { name: "r:5000/a:1", authConfig: { address: "http://r:5000", token: "x" } })).rejects.toThrow(
      'RegistryImage.authConfig p sets field "token"',
    );
    await expect(realizer.realize("command:local:Command", "c", { create: "true", dir: "/tmp" })).rejects.toThrow('Command c sets field "dir"');
  });

  test("a push name splits into registry, repository and tag as the provider splits it", () => {
    expect(splitPushName("127.0.0.1:5001/library/nginx:alpine")).toEqual({ registry: "127.0.0.1:5001", repository: "library/nginx", tag: "alpine" });
    expect(() => splitPushName("nginx:alpine")).toThrow("has no registry host or no tag");
  });

  test("a local command runs under sh with its environment; a failure names the command and carries its output", async () => {
    const done = await realizeCommand("greet", { create: 'echo "hello $WHO"', environment: { WHO: "mirror" } }, "create");
    expect(done.state.stdout).toBe("hello mirror");
    await expect(realizeCommand("broken", { create: "echo bad archive >&2; exit 3" }, "create")).rejects.toThrow("command broken exited 3: bad archive");
    const updated = await realizeCommand("again", { create: "echo create", update: "echo update" }, "update");
    expect(updated.state.stdout).toBe("update");
  });
});
