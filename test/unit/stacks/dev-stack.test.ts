import { dependencyNames, DOCKER, named, ofType, registeredAfter } from "../../support/resource-queries";
import { ProgramRun, runProgram } from "../../support/run-program";
import { stackConfig } from "../../support/stack-config";

describe("the dev stack (DooD on the local engine)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("dev", stackConfig("dev"));
  });

  test("declares a registry, the client image and one DooD client; no daemon, no DinD image, nothing privileged", () => {
    expect(run.resources.map((resource) => `${resource.type} ${resource.name}`).sort()).toEqual(
      [
        "dind-stack:index:BuildEnvironment dev",
        "dind-stack:registry:Registry dev-registry",
        "dind-stack:image:ClientImage dev-client-image",
        "dind-stack:workloads:DoodWorkload dev-dood",
        `${DOCKER.network} dev-network`,
        `${DOCKER.remoteImage} dev-registry-image`,
        `${DOCKER.volume} dev-registry-data`,
        `${DOCKER.container} dev-registry-container`,
        `${DOCKER.image} dev-client-image-image`,
        `${DOCKER.container} dev-dood-client-builder-1`,
      ].sort(),
    );
    expect(ofType(run.resources, DOCKER.container).filter((container) => container.inputs.privileged)).toEqual([]);
  });

  test("the client holds the host socket and pushes to the loopback-published registry", () => {
    const client = named(run.resources, "dev-dood-client-builder-1");
    expect(client.inputs.name).toBe("dind-stack-dev-builder-1");
    expect(client.inputs.volumes).toEqual([{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }]);
    expect(client.inputs.envs).toEqual(expect.arrayContaining(["DOCKER_HOST=unix:///var/run/docker.sock", "DIND_STACK_REGISTRY=127.0.0.1:5000"]));
    expect(dependencyNames(client)).toContain("dev-registry-container");
    expect(registeredAfter(client, named(run.resources, "dev-registry-container"))).toBe(true);
  });

  test("the client runs the client image: the docker CLI from the same verified tarball, built locally from its own Dockerfile", () => {
    const image = named(run.resources, "dev-client-image-image").inputs;
    expect(image.imageName).toBe("dind-stack/client:24.0.6-dev");
    expect(image.skipPush).toBe(true);
    expect(image.build).toMatchObject({
      context: ".dind-stack/build/dev/client-image",
      dockerfile: ".dind-stack/build/dev/client-image/Dockerfile",
      args: { BASE_IMAGE: "debian:bookworm-slim", DOCKER_VERSION: "24.0.6", DOCKER_SHA256: "99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f", DOCKER_TARBALL: "", EXTRA_PACKAGES: "" },
    });
    expect(named(run.resources, "dev-dood-client-builder-1").inputs.image).toBe(run.outputs.clientImage && (run.outputs.clientImage as { ref: string }).ref);
    expect(run.outputs.clientImage).toMatchObject({ name: "dind-stack/client:24.0.6-dev" });
    expect(run.outputs.dindImage).toBeUndefined();
  });

  test("the registry is published on 127.0.0.1:5000", () => {
    expect(named(run.resources, "dev-registry-container").inputs.ports).toEqual([{ internal: 5000, external: 5000, ip: "127.0.0.1" }]);
  });

  test("stack outputs", () => {
    expect(run.outputs).toMatchObject({
      mode: "dood",
      registryHostAddress: "127.0.0.1:5000",
      pushRegistry: "127.0.0.1:5000",
      dockerHost: "unix:///var/run/docker.sock",
      dockerCertPath: "",
      clientContainers: ["dind-stack-dev-builder-1"],
      dataVolumes: ["dind-stack-dev-registry-data"],
      hostDaemonJson: "",
      mirroredImages: [],
    });
    expect(run.outputs.usage).toContain("docker exec -it dind-stack-dev-builder-1");
  });
});
