// Cluster rules whose messages say what is missing or what a value stands for: the half of a push
// target that is absent, a stack name too long for the default namespaces, a toleration that
// names no effect.
import { onCluster, problemLines, problemLinesOfStack as linesForStack } from "../../support/config-problems";

describe("a push target for the runners' image names both its registry and its repository", () => {
  test("a registry without a repository asks for a repository, to go with the registry", () => {
    expect(problemLines(onCluster({ dindImage: { registry: "registry.example.com" } }))).toEqual([
      expect.stringMatching(/^dind-stack:kubernetes\.dindImage\.repository: missing; allowed: [^,]*repository[^,]*, .*with kubernetes\.dindImage\.registry$/),
    ]);
  });

  test("a repository without a registry asks for a registry, to go with the repository", () => {
    expect(problemLines(onCluster({ dindImage: { repository: "platform/dind" } }))).toEqual([
      expect.stringMatching(/^dind-stack:kubernetes\.dindImage\.registry: missing; allowed: [^,]*registry[^,]*, .*with kubernetes\.dindImage\.repository$/),
    ]);
  });
});

test("a stack name too long for the default registry namespace asks for kubernetes.namespaces.registry, naming the default", () => {
  // dind-stack-<stack>-registry is 64 characters, dind-stack-<stack>-runners 63.
  const stack = "s".repeat(44);
  expect(linesForStack(stack, onCluster({}))).toEqual([expect.stringMatching(new RegExp(`^dind-stack:kubernetes\\.namespaces\\.registry: missing.*"dind-stack-${stack}-registry"`))]);
  expect(linesForStack(stack, onCluster({ namespaces: { registry: "ci-registry" } }))).toEqual([]);
});

test("tolerationSeconds without an effect says the toleration matches any effect", () => {
  expect(problemLines(onCluster({ placement: { runners: { tolerations: [{ key: "spot", tolerationSeconds: 60 }] } } }))).toEqual([
    expect.stringMatching(/^dind-stack:kubernetes\.placement\.runners\.tolerations\[0\]\.tolerationSeconds: got 60 with effect "\(any\)"/),
  ]);
});
