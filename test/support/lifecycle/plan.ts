/** What a deployment does with one resource. */
export type StepOp = "same" | "create" | "update" | "replace" | "delete" | "retain";

/** One step of a deployment, as a preview lists it. */
export interface Step {
  /** The operation. */
  op: StepOp;
  /** The resource's URN. */
  urn: string;
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** The changed fields that caused an update or a replacement. */
  fields: string[];
  /** For a replacement: the old resource was deleted before the new one was created. */
  deleteBeforeReplace?: boolean;
  /** For a replacement of a dependent: the replaced resource that caused it. */
  replacedWith?: string;
}

const SYMBOLS: Record<StepOp, string> = { same: " ", create: "+", update: "~", replace: "+-", delete: "-", retain: "-" };

/** One preview line, e.g. `+- docker:index/container:Container ci-dind-daemon replace [envs] (delete before replace)`. */
export function formatStep(step: Step): string {
  const why = step.replacedWith ? ` [replaced with ${step.replacedWith}]` : step.fields.length > 0 ? ` [${step.fields.join(", ")}]` : "";
  const order = step.op === "replace" ? (step.deleteBeforeReplace ? " (delete before replace)" : " (create before delete)") : "";
  const retained = step.op === "retain" ? " (retainOnDelete: left in place, dropped from the state)" : "";
  const label = step.op === "retain" ? "delete" : step.op;
  return `${SYMBOLS[step.op].padStart(2)} ${step.type} ${step.name} ${label}${why}${order}${retained}`;
}

/** The steps that change something, one line each, and a count per operation. */
export function formatPlan(steps: readonly Step[]): string {
  const changes = steps.filter((step) => step.op !== "same");
  const counts = (["create", "update", "replace", "delete", "retain", "same"] as const)
    .map((op) => [op, steps.filter((step) => step.op === op).length] as const)
    .filter(([, count]) => count > 0)
    .map(([op, count]) => `${count} to ${op === "retain" ? "delete (retained)" : op === "same" ? "leave unchanged" : op}`);
  return [...changes.map(formatStep), `Resources: ${counts.join(", ") || "none"}`].join("\n");
}

/** The steps that change something, as `<op> <name> [fields]`. */
export function changes(steps: readonly Step[]): string[] {
  return steps.filter((step) => step.op !== "same").map((step) => `${step.op} ${step.name}${step.fields.length > 0 ? ` [${step.fields.join(",")}]` : ""}`);
}
