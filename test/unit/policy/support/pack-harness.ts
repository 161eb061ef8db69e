import { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { CustomResource } from "@pulumi/pulumi";
import { POLICIES } from "../../../../policy/policies";
import { ResourceInput } from "../../../../policy/resource-input";
import { RecordedResource } from "../../../support/run-program";
import { declared } from "./declare-resources";
import { linkDependencies } from "./link-dependencies";

/** A violation the pack reported. */
export interface Finding {
  /** The policy that reported it. */
  policy: string;
  /** The resource it concerns. */
  urn: string;
  /** The message. */
  message: string;
  /** The policy's enforcement level: "mandatory" fails a preview or update, "advisory" is reported only. */
  level: string;
}

/** A URN of the shape Pulumi gives (the stack is what the policies read from it). */
export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::dind-stack::${type}::${name}`;
}

/** A resource recorded by runProgram, as the pack receives it. */
export function asPolicyResource(stack: string, resource: RecordedResource): ResourceInput {
  return { type: resource.type, name: resource.name, urn: urnOf(stack, resource.type, resource.name), props: resource.inputs };
}

/** The resources recorded by runProgram, as the pack receives them, each with the resources its inputs come from. */
export function asPolicyResources(stack: string, resources: readonly RecordedResource[]): ResourceInput[] {
  return linkDependencies(resources.map((resource) => ({ resource: asPolicyResource(stack, resource), urn: resource.urn, dependencies: resource.options.propertyDependencies })));
}

/**
 * Runs every policy of the pack over `resources` the way @pulumi/policy's analyzer calls them:
 * each resource validation once per resource, each stack validation once with all of them.
 * (There is no official test harness; the real analyzer is exercised in pack-over-grpc.test.ts.)
 */
export async function packFindings(resources: readonly ResourceInput[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const common = { stackTags: new Map<string, string>(), getConfig: () => ({}) as never, notApplicable: (reason?: string): never => { throw new Error(`not applicable: ${reason}`); } };
  for (const policy of POLICIES) {
    const level = policy.enforcementLevel ?? "mandatory";
    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const resource of resources) {
        const report: ReportViolation = (message) => findings.push({ policy: policy.name, urn: resource.urn, message, level });
        const args = { ...common, ...resource, opts: {}, isType: () => false, asType: () => undefined } as unknown as ResourceValidationArgs;
        for (const validate of validations) await validate(args, report);
      }
    }
    if ("validateStack" in policy) {
      const report: ReportViolation = (message, urn) => findings.push({ policy: policy.name, urn: urn ?? "(stack)", message, level });
      await policy.validateStack({ ...common, resources } as unknown as StackValidationArgs, report);
    }
  }
  return findings;
}

/** The messages one policy reports for resources declared (under mocks) in `stack`, sorted. */
export async function policyMessages(policy: string, stack: string, declare: () => CustomResource[]): Promise<string[]> {
  const findings = await packFindings(await declared(stack, declare));
  return findings
    .filter((finding) => finding.policy === policy)
    .map((finding) => finding.message)
    .sort();
}
