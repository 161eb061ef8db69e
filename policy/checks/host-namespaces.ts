import { ContainerView } from "../container-view";

/** A container that joins a host namespace besides the network (pidMode/ipcMode/usernsMode host, hostPID, hostIPC): no part of the stack needs one. */
export function hostNamespaceViolations(container: ContainerView): string[] {
  if (container.hostNamespaces.length === 0) return [];
  return [`${container.label} joins ${container.hostNamespaces.join(", ")}; no container of the stack may share a namespace with the host`];
}
