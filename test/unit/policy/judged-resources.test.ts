import { DOCKER_CONTAINER } from "../../../policy/docker-container";
import { ResourceInput } from "../../../policy/resource-input";
import { judgeStack } from "../../../policy/stack-containers";

/** A resource of stack ci. */
function resource(type: string, name: string, props: Record<string, unknown>): ResourceInput {
  return { type, name, urn: `urn:pulumi:ci::dind-stack::${type}::${name}`, props };
}

test("the judged resources are those that declare containers: a Secret or a Service is not among them", () => {
  const container = resource(DOCKER_CONTAINER, "web", { name: "web", image: "nginx:1.25" });
  const secret = resource("kubernetes:core/v1:Secret", "creds", { metadata: { name: "creds" }, stringData: { token: "t" } });
  const service = resource("kubernetes:core/v1:Service", "web", { metadata: { name: "web" }, spec: { ports: [{ port: 80 }] } });
  const judged = judgeStack([secret, container, service], { dind: new Set<string>(), registry: new Set<string>() });
  expect(judged.map((entry) => entry.resource.name)).toEqual(["web"]);
  expect(judged[0].containers.map((entry) => entry.view.label)).toEqual(["container web"]);
});
