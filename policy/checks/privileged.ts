import { JudgedContainer } from "../stack-containers";

/** Why a container is not a DinD daemon, in the pack's terms. */
function notADaemon(container: JudgedContainer): string {
  if (container.kind === "dind") return "it runs the stack's DinD image, but not its daemon (the image's entrypoint, dockerd-style arguments, or dockerd)";
  const image = container.image === undefined ? "an image the pack cannot trace to a reference" : `image ${container.image}`;
  return `it runs ${image}, not the stack's DinD image (dind-stack:dindImage.imageName, or kubernetes.dindImage, of the stack file)`;
}

/**
 * A container that gets more than a default one (privileged, capabilities beyond the baseline,
 * seccomp or AppArmor off, unmasked /proc, host devices) and is not a DinD daemon: the stack's
 * DinD image running its daemon.
 */
export function privilegedViolations(container: JudgedContainer): string[] {
  const { escalations, label } = container.view;
  if (escalations.length === 0 || container.role?.kind === "dind-daemon") return [];
  return [`${label} ${escalations.join(", ")}; only a DinD daemon container may, and ${notADaemon(container)}`];
}
