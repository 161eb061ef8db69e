import * as k8s from "@pulumi/kubernetes";

/** A `NAME=value` assignment (as the Docker target's container specs write them) as a Kubernetes env entry. */
export function envEntry(assignment: string): k8s.types.input.core.v1.EnvVar {
  const equals = assignment.indexOf("=");
  return { name: assignment.slice(0, equals), value: assignment.slice(equals + 1) };
}
