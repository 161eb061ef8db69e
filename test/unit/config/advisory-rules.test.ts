// dindImage.advisories: refuse judges the Docker version of an image the stack builds itself:
// always on a Docker host, on a cluster unless kubernetes.dindImage names a prebuilt reference.
import { onCluster, problemLines } from "../../support/config-problems";

/** The config with the DinD image's affected default version (24.0.6) refused by its advisories. */
const refusing = (config: Record<string, unknown>) => ({ ...config, dindImage: { advisories: "refuse" } });

/** The problem lines of a config that name the DinD image's Docker version. */
const versionLines = (config: Record<string, unknown>) => problemLines(config).filter((line) => line.startsWith("dind-stack:dindImage.dockerVersion:"));

test("on a cluster, an image the stack builds and pushes is refused for its Docker version", () => {
  const config = refusing(onCluster({ dindImage: { registry: "registry.example.com", repository: "platform/dind" } }));
  expect(versionLines(config)).toEqual([expect.stringMatching(/got "24\.0\.6".*CVE-/)]);
});

test("on a Docker host the image is always built, so a stray kubernetes.dindImage.reference does not spare its Docker version", () => {
  const config = refusing({ kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:25.0.5" } } });
  expect(versionLines(config)).toEqual([expect.stringMatching(/got "24\.0\.6".*CVE-/)]);
});
