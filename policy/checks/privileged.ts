import { ContainerView, isDindDaemon } from "../container-view";

/** A privileged container that is not a DinD daemon. */
export function privilegedViolations(container: ContainerView): string[] {
  if (!container.privileged || isDindDaemon(container)) return [];
  return [
    `${container.label} is privileged; only DinD daemon containers may be (a container that runs dockerd, or sets DOCKER_TLS_CERTDIR and no DOCKER_HOST)`,
  ];
}
