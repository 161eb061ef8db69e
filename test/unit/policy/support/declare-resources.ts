import * as pulumi from "@pulumi/pulumi";
import { ResourceInput } from "../../../../policy/resource-input";
import { fakeRealize, RecordedResource, unwrapSecrets } from "../../../support/run-program";
import { linkDependencies } from "./link-dependencies";

/** The part of the SDK's register request that carries property dependencies. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
}

/**
 * Declares resources with the real @pulumi/docker and @pulumi/kubernetes classes under Pulumi
 * mocks and returns them with the inputs the SDK sends (kind, apiVersion and all) and the
 * resources each input comes from, as the pack receives them. `declare` returns the resources
 * it created.
 */
export async function declared(stack: string, declare: () => pulumi.CustomResource[]): Promise<ResourceInput[]> {
  const recorded: ResourceInput[] = [];
  const dependencies = new Map<string, Record<string, string[]>>();
  const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::dind-stack::${type}::${name}`;
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        recorded.push({ type: args.type, name: args.name, urn: urnOf(args.type, args.name), props: unwrapSecrets(args.inputs) });
        // Image resources get an image ID, as the docker provider gives them (what containers then name).
        return fakeRealize({ type: args.type, name: args.name, inputs: args.inputs } as RecordedResource);
      },
      call: (args) => args.inputs,
    },
    "dind-stack",
    stack,
    false,
  );
  // The mocks API passes no dependencies on: they are read from the requests the SDK sends.
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (request: RegisterRequest, callback: (error: unknown) => void) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const byProperty: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((value, key) => (byProperty[key] = value.getUrnsList()));
    dependencies.set(urnOf(request.getType(), request.getName()), byProperty);
    return register(request, callback);
  };
  const resources = declare();
  await new Promise((resolve) => pulumi.all(resources.map((resource) => resource.urn)).apply(resolve));
  return linkDependencies(recorded.map((resource) => ({ resource, urn: resource.urn, dependencies: dependencies.get(resource.urn) ?? {} })));
}
