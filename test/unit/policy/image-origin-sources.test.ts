import { DOCKER_REMOTE_IMAGE } from "../../../policy/checks/image-references";
import { DOCKER_CONTAINER } from "../../../policy/docker-container";
import { imageReferenceOf } from "../../../policy/image-origin";
import { ResourceInput } from "../../../policy/resource-input";
import { urnOf } from "./support/pack-harness";

// Which resources a container's image may come from: for a Docker container only what its
// `image` input comes from; for a pod template only the image resources among its inputs'
// sources (a Namespace or a Secret it uses names no image).

const id = (digit: string) => `sha256:${digit.repeat(64)}`;

/** A resource of stack ci as the stack validation receives it. */
function resource(type: string, name: string, props: Record<string, unknown>, propertyDependencies?: Record<string, ResourceInput[]>): ResourceInput {
  return { type, name, urn: urnOf("ci", type, name), props, propertyDependencies };
}

/** A pulled image `name` whose image ID ends in `digit`s. */
const pulled = (resourceName: string, name: string, digit: string) => resource(DOCKER_REMOTE_IMAGE, resourceName, { name, imageId: id(digit), repoDigest: "" });

test("a Docker container's image comes from its image input only, not from an image another of its inputs names", () => {
  const registry = pulled("registry", "registry:2", "a");
  const prepulled = pulled("prepulled", "alpine:3.19", "b");
  const container = resource(DOCKER_CONTAINER, "registry", { name: "registry" }, { image: [registry], envs: [prepulled] });
  // During a preview the container's image is not known yet: its image input alone tells.
  expect(imageReferenceOf(container, undefined)).toBe("registry:2");
});

test("a pod template whose namespace comes from a Namespace resource runs the image its image resource pulled", () => {
  const namespace = resource("kubernetes:core/v1:Namespace", "ci", { metadata: { name: "ci" } });
  const registry = pulled("registry", "registry:2", "a");
  const deployment = resource("kubernetes:apps/v1:Deployment", "registry", { spec: {} }, { metadata: [namespace], spec: [registry] });
  expect(imageReferenceOf(deployment, id("a"))).toBe("registry:2");
});

test("a pod template of two images whose container's image is not known yet runs neither image as far as the stack tells", () => {
  const deployment = resource("kubernetes:apps/v1:Deployment", "runner", { spec: {} }, { spec: [pulled("registry", "registry:2", "a"), pulled("builder", "example.com/builder:1", "b")] });
  expect(imageReferenceOf(deployment, undefined)).toBeUndefined();
});
