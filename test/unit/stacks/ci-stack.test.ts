import { dependencyNames, DOCKER, named, ofType, parentName, registeredAfter } from "../../support/resource-queries";
import { ProgramRun, runProgram } from "../../support/run-program";
import { stackConfig } from "../../support/stack-config";

describe("the ci stack (DinD on the local engine)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("ci", stackConfig("ci"));
  });

  test("declares exactly the expected resources", () => {
    expect(run.resources.map((resource) => `${resource.type} ${resource.name}`).sort()).toEqual(
      [
        "dind-stack:index:BuildEnvironment ci",
        "dind-stack:registry:Registry ci-registry",
        "dind-stack:image:DindImage ci-dind-image",
        "dind-stack:workloads:DindWorkload ci-dind",
        `${DOCKER.network} ci-network`,
        `${DOCKER.remoteImage} ci-registry-image`,
        `${DOCKER.volume} ci-registry-data`,
        `${DOCKER.container} ci-registry-container`,
        `${DOCKER.image} ci-dind-image-image`,
        `${DOCKER.volume} ci-dind-data`,
        `${DOCKER.volume} ci-dind-certs`,
        `${DOCKER.container} ci-dind-daemon`,
        `${DOCKER.container} ci-dind-client-runner-1`,
        `${DOCKER.container} ci-dind-client-runner-2`,
      ].sort(),
    );
  });

  test("the DinD image is built locally from the pinned 24.0.6 tarball, never pushed", () => {
    const image = named(run.resources, "ci-dind-image-image").inputs;
    expect(image.imageName).toBe("dind-stack/dind:24.0.6-ci");
    expect(image.skipPush).toBe(true);
    expect(image.buildOnPreview).toBe(true);
    expect(image.build).toMatchObject({
      context: ".dind-stack/build/ci/dind-image",
      dockerfile: ".dind-stack/build/ci/dind-image/Dockerfile",
      platform: "linux/amd64",
      network: "default",
      args: { DOCKER_VERSION: "24.0.6", DOCKER_SHA256: "99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f", EXTRA_PACKAGES: "git", DOCKER_TARBALL: "" },
    });
  });

  test("the registry: loopback-published, data in a named volume, on the network as `registry`", () => {
    const registry = named(run.resources, "ci-registry-container").inputs;
    expect(registry).toMatchObject({
      name: "dind-stack-ci-registry",
      ports: [{ internal: 5000, external: 5001, ip: "127.0.0.1" }],
      volumes: [{ volumeName: "dind-stack-ci-registry-data", containerPath: "/var/lib/registry" }],
      networksAdvanced: [{ name: "dind-stack-ci", aliases: ["registry"] }],
      restart: "unless-stopped",
    });
    expect(registry.envs).toBeUndefined();
    expect(registry.image).toMatch(/^sha256:/);
    expect(registeredAfter(named(run.resources, "ci-registry-container"), named(run.resources, "ci-registry-image"))).toBe(true);
    expect(named(run.resources, "ci-registry-image").inputs).toEqual({ name: "registry:2", keepLocally: true });
  });

  test("the daemon runs the built image, privileged, trusting only the stack's registry, which is no Docker Hub mirror (its runners push to it)", () => {
    const daemon = named(run.resources, "ci-dind-daemon").inputs;
    const image = named(run.resources, "ci-dind-image-image");
    expect(daemon.image).toMatch(/^sha256:/);
    expect(registeredAfter(named(run.resources, "ci-dind-daemon"), image)).toBe(true);
    expect(daemon.privileged).toBe(true);
    expect(daemon.envs).toContain('DIND_DAEMON_JSON={"insecure-registries":["http://registry:5000"],"log-driver":"json-file","log-opts":{"max-size":"20m","max-file":"3"}}');
    expect(daemon.volumes).toEqual([
      { volumeName: "dind-stack-ci-dind-data", containerPath: "/var/lib/docker" },
      { volumeName: "dind-stack-ci-dind-certs", containerPath: "/certs/client" },
    ]);
  });

  test("clients are created after the daemon and the registry, and talk TLS to the daemon", () => {
    const daemon = named(run.resources, "ci-dind-daemon");
    const registry = named(run.resources, "ci-registry-container");
    for (const name of ["ci-dind-client-runner-1", "ci-dind-client-runner-2"]) {
      const client = named(run.resources, name);
      expect(registeredAfter(client, daemon)).toBe(true);
      expect(registeredAfter(client, registry)).toBe(true);
      expect(client.inputs.envs).toEqual(expect.arrayContaining(["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client", "CI=true"]));
      expect(client.inputs.privileged).toBeUndefined();
    }
  });

  test("volumes with data are kept on destroy by default; the regenerable certs are not", () => {
    expect(ofType(run.resources, DOCKER.volume).map((volume) => [volume.inputs.name, volume.options.retainOnDelete]).sort()).toEqual([
      ["dind-stack-ci-dind-certs", false],
      ["dind-stack-ci-dind-data", true],
      ["dind-stack-ci-registry-data", true],
    ]);
  });

  test("clients depend explicitly on the daemon and the registry container", () => {
    for (const name of ["ci-dind-client-runner-1", "ci-dind-client-runner-2"]) {
      expect(dependencyNames(named(run.resources, name))).toEqual(expect.arrayContaining(["ci-dind-daemon", "ci-registry-container"]));
    }
  });

  test("children hang under their component, components under the environment", () => {
    const parents = Object.fromEntries(run.resources.map((resource) => [resource.name, parentName(resource)]));
    expect(parents).toMatchObject({
      "ci-registry": "ci",
      "ci-dind-image": "ci",
      "ci-dind": "ci",
      "ci-network": "ci",
      "ci-registry-container": "ci-registry",
      "ci-registry-data": "ci-registry",
      "ci-dind-image-image": "ci-dind-image",
      "ci-dind-daemon": "ci-dind",
      "ci-dind-client-runner-1": "ci-dind",
    });
  });

  test("stack outputs", () => {
    expect(run.outputs).toEqual({
      mode: "dind",
      registryHostAddress: "127.0.0.1:5001",
      registryNetworkAddress: "registry:5000",
      pushRegistry: "registry:5000",
      dockerHost: "tcp://docker:2376",
      dockerCertPath: "/certs/client",
      dindImage: { name: "dind-stack/dind:24.0.6-ci", ref: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      clientContainers: ["dind-stack-ci-runner-1", "dind-stack-ci-runner-2"],
      dataVolumes: ["dind-stack-ci-registry-data", "dind-stack-ci-dind-data"],
      hostDaemonJson: "",
      mirroredImages: [],
      usage:
        "docker exec -it dind-stack-ci-runner-1 sh, then in a checkout: docker build -t registry:5000/app . && docker push registry:5000/app " +
        "(builds on the stack's DinD daemon (TLS)); on the host: docker pull 127.0.0.1:5001/app",
    });
  });
});
