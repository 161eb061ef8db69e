import { DOCKER_IMAGE, DOCKER_REMOTE_IMAGE } from "../../../policy/checks/image-references";
import { imageReferenceOf } from "../../../policy/image-origin";
import { ResourceInput } from "../../../policy/resource-input";
import { urnOf } from "./support/pack-harness";

// A pod template's containers name their images by ID; the template's inputs come from every
// image resource its containers use. Each container's image is the one whose ID it holds.

const id = (digit: string) => `sha256:${digit.repeat(64)}`;

/** A resource of stack ci as the stack validation receives it. */
function resource(type: string, name: string, props: Record<string, unknown>, propertyDependencies?: Record<string, ResourceInput[]>): ResourceInput {
  return { type, name, urn: urnOf("ci", type, name), props, propertyDependencies };
}

test("a pod template of two pulled images: each container's image ID names its own image", () => {
  const registry = resource(DOCKER_REMOTE_IMAGE, "registry", { name: "registry:2", imageId: id("a"), repoDigest: "" });
  const builder = resource(DOCKER_IMAGE, "builder", { imageName: "example.com/builder:1", repoDigest: id("b") });
  const deployment = resource("kubernetes:apps/v1:Deployment", "runner", { spec: {} }, { spec: [registry, builder] });
  expect(imageReferenceOf(deployment, id("a"))).toBe("registry:2");
  expect(imageReferenceOf(deployment, id("b"))).toBe("example.com/builder:1");
  expect(imageReferenceOf(deployment, id("c"))).toBeUndefined();
});
