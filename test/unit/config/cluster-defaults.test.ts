// The registry's authentication that a cluster stack gets without asking: a user of the stack's
// own on Kubernetes, none on a Docker host, none when the stack opts out, and the stack's own
// user when it names one.
import { onCluster, parse, ruleContext } from "../../support/config-problems";

test("on a cluster the registry gets a user although registry.auth is not set", () => {
  expect(parse(onCluster({})).registry.auth).toEqual({ username: expect.any(String) });
});

test("a user named in registry.auth is kept on a cluster", () => {
  expect(parse(onCluster({}, { registry: { auth: { username: "builder" } } })).registry.auth).toEqual({ username: "builder" });
});

test("no user is added on a Docker host, nor on a cluster that opts out of authentication", () => {
  expect(parse({}).registry.auth).toBeUndefined();
  const open = { target: "kubernetes", registry: { allowUnauthenticatedExposure: true }, kubernetes: onCluster({}).kubernetes };
  expect(parse(open, ruleContext([], [])).registry.auth).toBeUndefined();
});
