import { containersHolding, registryBinding, takenPortMessage } from "../../../scripts/pulumi/registry-port";
import { stackConfig } from "../../support/stack-config";
import * as yaml from "js-yaml";

const at = (HostIp: string, HostPort: string) => [{ HostIp, HostPort }];

describe("the registry binding a stack file asks for", () => {
  test("the stack files' own: dev on 127.0.0.1:5000, ci on 127.0.0.1:5001, none for the Kubernetes stack", () => {
    const parsed = (stack: string) => registryBinding(Object.fromEntries(Object.entries(stackConfig(stack)).map(([key, value]) => [key, yaml.load(value)])));
    expect(parsed("dev")).toEqual({ address: "127.0.0.1", port: 5000 });
    expect(parsed("ci")).toEqual({ address: "127.0.0.1", port: 5001 });
    expect(parsed("prod")).toBeUndefined();
  });

  test("defaults apply; a port set with `pulumi config set --path` arrives as a string", () => {
    expect(registryBinding({})).toEqual({ address: "127.0.0.1", port: 5000 });
    expect(registryBinding({ "dind-stack:registry": { port: "5002", bindAddress: "0.0.0.0" } })).toEqual({ address: "0.0.0.0", port: 5002 });
    expect(registryBinding({ "dind-stack:registry": { port: 70000 } })).toBeUndefined();
  });
});

describe("which containers take the registry's address", () => {
  const binding = { address: "127.0.0.1", port: 5000 };
  test.each([
    ["the same address and port", { "5000/tcp": at("127.0.0.1", "5000") }, true],
    ["every address of the host (0.0.0.0)", { "80/tcp": at("0.0.0.0", "5000") }, true],
    ["every IPv6 address (::)", { "80/tcp": at("::", "5000") }, true],
    ["another port", { "5000/tcp": at("127.0.0.1", "5001") }, false],
    ["another loopback address", { "5000/tcp": at("127.0.0.2", "5000") }, false],
    ["an exposed port that is not published", { "5000/tcp": null }, false],
  ])("a container publishing %s: %s", (_title, ports, taken) => {
    expect(containersHolding(binding, [{ name: "other", ports }], "dind-stack-dev-registry")).toEqual(taken ? ["other"] : []);
  });

  test("the stack's own registry never counts; a registry on 0.0.0.0 is taken by any address of that port", () => {
    const own = { name: "dind-stack-dev-registry", ports: { "5000/tcp": at("127.0.0.1", "5000") } };
    expect(containersHolding(binding, [own], "dind-stack-dev-registry")).toEqual([]);
    expect(containersHolding({ address: "0.0.0.0", port: 5000 }, [{ name: "web", ports: { "80/tcp": at("10.0.0.5", "5000") } }], "x")).toEqual(["web"]);
  });
});

test("the message names the keys, the holder, and both fixes as commands that run", () => {
  expect(takenPortMessage("dev", { address: "127.0.0.1", port: 5000 }, { containers: ["old-registry"] }, 5001)).toBe(
    "the registry's host port 127.0.0.1:5000 (dind-stack:registry.port, dind-stack:registry.bindAddress) of stack dev is taken by container old-registry (not this stack's registry); " +
      "free it with `docker stop old-registry`, or move the registry: `npm run pulumi -- config set --path 'dind-stack:registry.port' 5001 --stack dev`",
  );
  expect(takenPortMessage("ci", { address: "127.0.0.1", port: 5001 }, { process: true }, 5002)).toContain(
    "is taken by a process of this machine that is no container; find it with `ss -ltnp 'sport = :5001'` and stop it, or move the registry",
  );
});
