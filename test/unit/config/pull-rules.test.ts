// Images the nodes pull on a cluster: a host that ends in .svc is a Service name only pods resolve.
import { onCluster, parse, problemLines } from "../../support/config-problems";

test("an image on <service>.<namespace>.svc (with a port) is refused at its key, naming the reference", () => {
  const image = "registry.tools.svc:5000/library/registry:2.8.3";
  expect(problemLines(onCluster({}, { registry: { image } }))).toEqual([expect.stringMatching(/^dind-stack:registry\.image: got "registry\.tools\.svc:5000\/library\/registry:2\.8\.3", .*Service/)]);
});

test("a host that only contains svc in a label of its own is pulled as any other", () => {
  const image = "svc.example.com:5000/library/registry:2.8.3";
  expect(parse(onCluster({}, { registry: { image } })).registry.image).toBe(image);
});
