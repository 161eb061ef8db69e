import { DockerContainerInputs, dockerContainerView } from "../../../policy/docker-container";

// A docker.Container as the checks see it: which of its mounts are host paths, and what an
// uploaded file holds.

const view = (props: Partial<DockerContainerInputs>) => dockerContainerView("c", { image: "i", ...props });

test("only bind mounts are host mounts: a named volume's source and a tmpfs are not host paths", () => {
  const container = view({
    mounts: [
      { type: "volume", source: "run", target: "/var/run" },
      { type: "tmpfs", target: "/tmp" },
      { type: "bind", source: "/srv/data", target: "/data" },
    ],
  });
  expect(container.hostMounts).toEqual(["/srv/data"]);
});

test("an upload given in base64 is read as its decoded content", () => {
  const text = "version: 0.1\nauth: {}\n";
  const container = view({ uploads: [{ file: "/etc/docker/registry/config.yml", contentBase64: Buffer.from(text).toString("base64") }] });
  expect(container.fileSource("/etc/docker/registry/config.yml")).toEqual({ from: "content", content: text });
});
