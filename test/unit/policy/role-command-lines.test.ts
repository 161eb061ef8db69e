import { registryGcCommand } from "../../../components/kubernetes/registry-gc";
import { DockerContainerInputs, dockerContainerView } from "../../../policy/docker-container";
import { registryServed, runsDindDaemon } from "../../../policy/roles";

/** A docker.Container as the checks see it. */
function container(props: Partial<DockerContainerInputs>) {
  return dockerContainerView("c", { image: "i", ...props });
}

test("docker-init running another program, with dockerd among its arguments, does not run the DinD daemon", () => {
  expect(runsDindDaemon(container({ entrypoints: ["/usr/local/bin/docker-init", "/tmp/evil", "/usr/local/bin/dockerd"] }))).toBe(false);
  expect(runsDindDaemon(container({ entrypoints: ["/usr/local/bin/docker-init", "--", "/usr/local/bin/dockerd"] }))).toBe(true);
});

test("the registry's garbage collection script run under another name than its own is not judged to serve", () => {
  const command = registryGcCommand("/etc/r.yml", 3600, true);
  expect(registryServed(container({ entrypoints: command }))).toEqual({ serves: true, configPath: "/etc/r.yml" });
  const renamed = [...command.slice(0, 3), "other-name", ...command.slice(4)];
  expect(registryServed(container({ entrypoints: renamed }))).toEqual({ serves: false });
});
