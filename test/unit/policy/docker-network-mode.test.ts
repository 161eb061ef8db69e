import { DOCKER_CONTAINER } from "../../../policy/docker-container";
import { ResourceInput } from "../../../policy/resource-input";
import { packFindings, urnOf } from "./support/pack-harness";

// Only `networkMode: host` puts a Docker container on the host's network; the default network
// and a bridge are not reported.

/** A plain Docker container (no registry) in stack ci, with `networkMode` when given. */
function webContainer(name: string, networkMode?: string): ResourceInput {
  return { type: DOCKER_CONTAINER, name, urn: urnOf("ci", DOCKER_CONTAINER, name), props: { name, image: "nginx:1.25", ...(networkMode ? { networkMode } : {}) } };
}

test("a container on the default network or a bridge is not on the host's network; one with networkMode host is", async () => {
  const resources = [webContainer("default-net"), webContainer("bridged", "bridge"), webContainer("on-host", "host")];
  const findings = (await packFindings(resources)).filter((finding) => finding.policy === "host-network-needs-registry-auth");
  expect(findings.map((finding) => finding.urn)).toEqual([resources[2].urn]);
  expect(findings[0].message).toMatch(/on-host/);
});
