import { ResourceInput } from "../../../policy/resource-input";
import { packFindings, urnOf } from "./support/pack-harness";

// Kubernetes lets a workload controller's container leave its image out (for config management
// to fill in): there is no reference to judge, so pinned-image-references reports nothing for it.

/** A Deployment in stack ci whose one container names no image. */
function deploymentWithoutImage(): ResourceInput {
  const type = "kubernetes:apps/v1:Deployment";
  return {
    type,
    name: "web",
    urn: urnOf("ci", type, "web"),
    props: { metadata: { name: "web", namespace: "apps" }, spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web" }] } } } },
  };
}

test("a container without an image is not reported as an unpinned image reference", async () => {
  const findings = await packFindings([deploymentWithoutImage()]);
  expect(findings.filter((finding) => finding.policy === "pinned-image-references")).toEqual([]);
});
