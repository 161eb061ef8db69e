import { DockerContainerInputs, dockerContainerView } from "../../../policy/docker-container";
import { runsDindDaemon } from "../../../policy/roles";

// A Docker container's `mounts` (not only its `volumes`) replace what the image has at their
// targets: its programs, and a file uploaded below them.

/** A docker.Container of the DinD image as the checks see it. */
function dindContainer(props: Partial<DockerContainerInputs>) {
  return dockerContainerView("c", { image: "i", ...props });
}

test("a bind mount over the DinD image's programs: the container is not judged to run the daemon", () => {
  expect(runsDindDaemon(dindContainer({}))).toBe(true);
  expect(runsDindDaemon(dindContainer({ mounts: [{ type: "bind", source: "/opt/tools", target: "/usr/local/bin" }] }))).toBe(false);
});

test("a volume mount over a folder hides the file uploaded below it", () => {
  const upload = { file: "/etc/docker/registry/config.yml", content: "auth:\n  htpasswd: {}\n" };
  const container = dindContainer({ uploads: [upload], mounts: [{ type: "volume", source: "config", target: "/etc/docker/registry" }] });
  expect(container.fileSource(upload.file)).toEqual({ from: "elsewhere" });
});
