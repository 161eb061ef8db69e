import { advisoriesFor, describeAdvisories } from "../dind-image/advisories";
import { Problem, renderValue } from "./problem";
import { NAMESPACE, Settings } from "./schema";

/** True when the stack builds the DinD image itself (everything but a prebuilt image on a cluster). */
export function buildsDindImage(settings: Settings): boolean {
  return settings.target === "docker" || settings.kubernetes.dindImage?.reference === undefined;
}

/**
 * With `dindImage.advisories: refuse`, a Docker version the advisory table knows to be affected
 * is refused before anything is declared (the default, warn, only warns: see dind-image.ts).
 */
export function checkAdvisories(settings: Settings, problems: Problem[]): void {
  const { dockerVersion, advisories } = settings.dindImage;
  if (advisories !== "refuse" || !buildsDindImage(settings)) return;
  const affecting = advisoriesFor(dockerVersion);
  if (affecting.length === 0) return;
  problems.push({
    key: `${NAMESPACE}:dindImage.dockerVersion`,
    message: `got ${renderValue(dockerVersion)}; allowed with ${NAMESPACE}:dindImage.advisories "refuse": a release without known advisories. ${describeAdvisories(dockerVersion, affecting)}`,
  });
}
