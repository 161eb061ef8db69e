// A cluster key set on a Docker host stack does nothing there, so it is refused, also when the
// key is optional and has no default (the stack's target may be a typo, or the key meant for
// another stack file).
import { parse, problemLines } from "../../support/config-problems";

test.each([
  ["the cluster's version", { clusterVersion: "1.30" }, "kubernetes.clusterVersion"],
  ["the runners' image", { dindImage: { reference: "registry.example.com/dind:1" } }, "kubernetes.dindImage"],
])("%s on a Docker host is refused at its key, naming the target", (_title, kubernetes, key) => {
  expect(problemLines({ kubernetes })).toEqual([expect.stringMatching(new RegExp(`^dind-stack:${key.replace(".", "\\.")}: got .*target kubernetes.*docker`))]);
});

test("a Docker host stack that leaves the cluster keys alone is accepted", () => {
  expect(parse({ registry: { port: 5002 } }).registry.port).toBe(5002);
});
