import { ResourceInput } from "../../../../policy/resource-input";

/** A resource as the pack receives it, with the URN it was registered under and, for each input, the URNs of the resources that input comes from. */
export interface RegisteredResource {
  /** The resource. */
  resource: ResourceInput;
  /** Its URN as the program registered it. */
  urn: string;
  /** For each input property, the URNs its value comes from. */
  dependencies: Readonly<Record<string, readonly string[]>>;
}

/**
 * A resource's type and name in a URN. The mock monitor and the harness spell a child's parent
 * chain differently, and type and name tell a program's resources apart (run-program refuses two
 * with the same).
 */
function typeAndName(urn: string): string {
  const [type, name] = urn.split("::").slice(-2);
  return `${type.split("$").pop()}::${name}`;
}

/** The resources with their property dependencies linked to each other, as @pulumi/policy hands a stack validation its resources. */
export function linkDependencies(registered: readonly RegisteredResource[]): ResourceInput[] {
  const copies = new Map(registered.map((entry) => [typeAndName(entry.urn), { ...entry.resource }]));
  for (const entry of registered) {
    const byProperty = Object.entries(entry.dependencies).map(([property, urns]) => [property, urns.flatMap((urn) => copies.get(typeAndName(urn)) ?? [])] as const);
    copies.get(typeAndName(entry.urn))!.propertyDependencies = Object.fromEntries(byProperty);
  }
  return [...copies.values()];
}
