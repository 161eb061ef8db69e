/** A resource as the checks receive it (the fields @pulumi/policy passes that the checks use). */
export interface ResourceInput {
  /** Type token, e.g. `docker:index/container:Container` or `kubernetes:apps/v1:Deployment`. */
  type: string;
  /** Logical name. */
  name: string;
  /** URN; names the stack. */
  urn: string;
  /** Inputs (resource validation) or state (stack validation). */
  props: Record<string, any>;
  /** Stack validation only: for each input property, the resources its value comes from. */
  propertyDependencies?: Readonly<Record<string, readonly ResourceInput[]>>;
}
