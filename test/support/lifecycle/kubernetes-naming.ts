/**
 * The names pulumi-kubernetes gives objects the program leaves unnamed (no `metadata.name`).
 * Sources: pulumi/pulumi-kubernetes at commit 94977969 (see kubernetes-rules.ts),
 * provider/pkg/provider/provider.go `Check`: without old inputs (a create) it calls
 * `AssignNameIfAutonamable` (provider/pkg/metadata/naming.go): the name is the resource's name,
 * `-` and a random suffix from the engine's random seed (`resource.NewUniqueName`, 8 hex
 * digits), and the annotation `pulumi.com/autonamed: "true"` marks it; with old inputs (an
 * update) `AdoptOldAutonameIfUnnamed` keeps the old name. pulumi/pulumi
 * pkg/resource/deploy/step_generator.go: for a replacement the engine runs Check again without
 * the old inputs and with a seed from crypto/rand, so the new object gets a new name; and
 * provider.go `Diff` asks for delete-before-replace only for an object that is not autonamed, so
 * the new object is created first and the old one deleted after.
 *
 * The harness names the object where the provider acts on it (create, update, delete) rather
 * than in Check: the steps and their order are the same; only the planned state of a preview
 * lacks the name of an object it would create.
 */
import { randomBytes } from "node:crypto";
import { Fields } from "../../engine/support/kubelet/fields";

/** The annotation pulumi-kubernetes puts on an object it named. */
export const AUTONAMED_ANNOTATION = "pulumi.com/autonamed";

/** A random name suffix, as the provider draws it from the engine's random seed. */
export function randomSuffix(): string {
  return randomBytes(4).toString("hex");
}

/**
 * The object as the provider sends it to the API server: unchanged when the program named it;
 * otherwise under the name it already has (`existing`, the state of an update or a delete), or,
 * for a create, `<resource name>-<suffix>`, annotated as autonamed.
 */
export function withProviderName(resourceName: string, inputs: Fields, existing: Fields | undefined, suffix: () => string = randomSuffix): Fields {
  if (inputs.metadata?.name) return inputs;
  const name: string = existing?.metadata?.name ?? `${resourceName}-${suffix()}`;
  return { ...inputs, metadata: { ...inputs.metadata, name, annotations: { ...inputs.metadata?.annotations, [AUTONAMED_ANNOTATION]: "true" } } };
}
