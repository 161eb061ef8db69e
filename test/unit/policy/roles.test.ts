import { dockerContainerView, DockerContainerInputs } from "../../../policy/docker-container";
import { registryGcCommand } from "../../../components/kubernetes/registry-gc";
import { imageKindOf, registryServed, runsDindDaemon } from "../../../policy/roles";

const view = (props: Partial<DockerContainerInputs>) => dockerContainerView("c", { image: "i", ...props });

test.each<[string, Partial<DockerContainerInputs>, boolean]>([
  ["the image's entrypoint, no arguments", {}, true],
  ["dockerd flags for the entrypoint", { command: ["--debug", "--mtu=1400"] }, true],
  ["`dockerd ...` for the entrypoint", { command: ["dockerd", "--debug"] }, true],
  ["another program for the entrypoint", { command: ["sh", "-c", "dockerd"] }, false],
  ["the official image's entrypoint by name", { entrypoints: ["dockerd-entrypoint.sh"] }, true],
  ["dockerd by full path", { entrypoints: ["/usr/local/bin/dockerd"] }, true],
  ["docker-init, then the entrypoint (as the provider reads it back)", { entrypoints: ["/usr/local/bin/docker-init", "--", "/usr/local/bin/dind-entrypoint.sh"] }, true],
  ["docker-init, then a shell", { entrypoints: ["/usr/local/bin/docker-init", "--", "sh"] }, false],
  ["a dockerd the image does not ship", { entrypoints: ["/tmp/dockerd"] }, false],
  ["dockerd by name with a PATH of its own", { entrypoints: ["dockerd"], envs: ["PATH=/tmp:/usr/bin"] }, false],
  ["a file uploaded among the daemon's programs", { uploads: [{ file: "/usr/local/bin/dind-tls.sh", content: "" }] }, false],
  ["a volume over /usr", { volumes: [{ volumeName: "tools", containerPath: "/usr" }] }, false],
  ["its entrypoint given, without arguments", { entrypoints: ["/usr/local/bin/dind-entrypoint.sh"] }, true],
  ["`--` then flags for the entrypoint (no docker-init before them)", { command: ["--", "--debug"] }, true],
])("a DinD image container running %s runs its daemon: %s", (_what, props, expected) => {
  expect(runsDindDaemon(view(props))).toBe(expected);
});

test.each<[string, Partial<DockerContainerInputs>, { serves: boolean; configPath?: string }]>([
  ["no arguments: the image's own file", {}, { serves: true, configPath: "/etc/docker/registry/config.yml" }],
  ["a file for the entrypoint", { command: ["/etc/dind-stack/registry/config.yml"] }, { serves: true, configPath: "/etc/dind-stack/registry/config.yml" }],
  ["`serve <file>` for the entrypoint", { command: ["serve", "/etc/r.yml"] }, { serves: true, configPath: "/etc/r.yml" }],
  ["`sh` for the entrypoint", { command: ["sh"] }, { serves: false }],
  ["another subcommand", { command: ["garbage-collect", "/etc/r.yml"] }, { serves: false }],
  ["the server itself", { entrypoints: ["/bin/registry"], command: ["serve", "/etc/r.yml"] }, { serves: true, configPath: "/etc/r.yml" }],
  ["the server by name with a PATH of its own", { entrypoints: ["registry", "serve", "/etc/r.yml"], envs: ["PATH=/tmp"] }, { serves: false }],
  ["a replaced entrypoint script", { uploads: [{ file: "/entrypoint.sh", content: "#!/bin/sh\nexec nc -lk -p 5000\n" }] }, { serves: false }],
  ["the stack's garbage collection loop", { entrypoints: registryGcCommand("/etc/r.yml", 3600, true) }, { serves: true, configPath: "/etc/r.yml" }],
  ["another script under the loop's name", { entrypoints: ["/bin/sh", "-c", "exec nc -lk -p 5000", "registry-gc", "/etc/r.yml"] }, { serves: false }],
  ["the loop with a replaced shell", { entrypoints: registryGcCommand("/etc/r.yml", 3600, true), uploads: [{ file: "/bin/sh", content: "" }] }, { serves: false }],
  ["the entrypoint given, without arguments", { entrypoints: ["/entrypoint.sh"] }, { serves: true }],
  ["the server with another subcommand", { entrypoints: ["/bin/registry", "garbage-collect", "/etc/r.yml"] }, { serves: false }],
  ["the loop's script under sh without -c", { entrypoints: ["/bin/sh", "-e", ...registryGcCommand("/etc/r.yml", 3600, true).slice(2)] }, { serves: false }],
])("a registry image container running %s serves: %j", (_what, props, expected) => {
  expect(registryServed(view(props))).toEqual(expected);
});

describe("the part an image plays", () => {
  const trusted = { dind: new Set(["registry.example.com/platform/dind"]), registry: new Set(["docker.io/library/registry"]) };
  test.each<[string, string | undefined, string | undefined]>([
    ["the stack's DinD image", "registry.example.com/platform/dind:24.0.6", "dind"],
    ["the official docker image with a dind tag", "docker:24.0.6-dind", "dind"],
    ["the official docker image with another tag", "docker:24.0.6-cli", undefined],
    ["the official docker image without a tag", "docker", undefined],
    ["another image with a dind tag", "example.com/tools:dind", undefined],
    ["the registry image", "registry:2", "registry"],
    ["an unknown image", "busybox:1.36", undefined],
    ["no image", undefined, undefined],
  ])("%s", (_what, reference, kind) => {
    expect(imageKindOf(reference, trusted)).toBe(kind);
  });
});
