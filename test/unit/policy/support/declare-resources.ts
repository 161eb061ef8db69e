import * as pulumi from "@pulumi/pulumi";
import { ResourceInput } from "../../../../policy/resource-input";
import { unwrapSecrets } from "../../../support/run-program";

/**
 * Declares resources with the real @pulumi/docker and @pulumi/kubernetes classes under Pulumi
 * mocks and returns them with the inputs the SDK sends (kind, apiVersion and all), as the pack
 * receives them. `declare` returns the resources it created.
 */
export async function declared(stack: string, declare: () => pulumi.CustomResource[]): Promise<ResourceInput[]> {
  const recorded: ResourceInput[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        recorded.push({ type: args.type, name: args.name, urn: `urn:pulumi:${stack}::dind-stack::${args.type}::${args.name}`, props: unwrapSecrets(args.inputs) });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "dind-stack",
    stack,
    false,
  );
  const resources = declare();
  await new Promise((resolve) => pulumi.all(resources.map((resource) => resource.urn)).apply(resolve));
  return recorded;
}
