import { canonicalReference, localName } from "../../../components/mirror/local-name";
import { hubMirrorUrl } from "../../../components/registry/hub-mirror";
import { parse } from "../../support/config-problems";

describe("where a mirrored image lands in the stack's registry", () => {
  test.each([
    // The examples: the registry host goes, Docker Hub's official images land under library/.
    ["quay.io/coreos/flannel:v0.11.0-amd64", undefined, "coreos/flannel:v0.11.0-amd64"],
    ["nginx:alpine", undefined, "library/nginx:alpine"],
    ["mysql:5.7", undefined, "library/mysql:5.7"],
    ["bitnami/redis:7.2", undefined, "bitnami/redis:7.2"],
    ["docker.io/library/nginx:alpine", undefined, "library/nginx:alpine"],
    ["nginx", undefined, "library/nginx:latest"],
    ["localhost:5000/team/tool:1", undefined, "team/tool:1"],
    ["10.2.2.10:5000/coreos/flannel:v0.11.0-amd64", undefined, "coreos/flannel:v0.11.0-amd64"],
    // A repository of one's own keeps the source's tag unless it names one.
    ["mysql:5.7", "db/mysql", "db/mysql:5.7"],
    ["mysql:5.7", "db/mysql:stable", "db/mysql:stable"],
  ])("%s (repository %s) lands at %s", (source, repository, expected) => {
    expect(localName(source, repository)).toBe(expected);
  });

  test("references are compared in Docker's canonical form", () => {
    expect(canonicalReference("nginx:alpine")).toBe("docker.io/library/nginx:alpine");
    expect(canonicalReference("index.docker.io/library/nginx:alpine")).toBe("docker.io/library/nginx:alpine");
    expect(canonicalReference("quay.io/coreos/flannel")).toBe("quay.io/coreos/flannel:latest");
  });

  test("a reference Docker refuses is refused with Docker's reason", () => {
    expect(() => localName("Nginx:alpine")).toThrow("repository name must be lowercase");
    expect(() => localName(`nginx@sha256:${"a".repeat(64)}`)).toThrow("names a digest, not a tag");
  });
});

describe("the stack's registry as the DinD daemons' Docker Hub mirror", () => {
  test.each([
    ["a plain registry (runners push to it: a push to library/node would change every FROM node)", {}, undefined],
    ["a pull-through cache of Docker Hub", { proxy: { remoteUrl: "https://registry-1.docker.io" } }, "http://registry:5000"],
    ["a pull-through cache of another registry (its content is not Hub's)", { proxy: { remoteUrl: "https://quay.io" } }, undefined],
    ["a registry with auth (daemons send a mirror their Docker Hub credentials)", { auth: { username: "ci" } }, undefined],
  ])("%s: %s", (_title, registry, expected) => {
    expect(hubMirrorUrl(parse({ registry, ...("auth" in registry ? { registryPassword: "long-enough-secret" } : {}) }).registry, "registry:5000")).toBe(expected);
  });
});
