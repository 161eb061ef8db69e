import { ProgramRun, RecordedResource, runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";
import { privilegeMode } from "./privileges";
import { Realizer } from "./realizer";
import { readStandins } from "./standins";

/** What to deploy: a stack's config file, under a test stack name, with overrides. */
export interface DeployRequest {
  /** The config file to use: stacks/Pulumi.<configOf>.yaml. */
  configOf: string;
  /** The stack name to run under (names the Docker objects), e.g. `test-ci`. */
  stack: string;
  /** Top-level config keys (namespace:key) merged over the file's values. */
  overrides?: Record<string, unknown>;
  /** Config keys set as secrets. */
  secretKeys?: string[];
}

/**
 * The air-gapped path the README documents, used on machines that reach no download site:
 * the DinD image is built from the local docker tarball made by scripts/build-standins.sh
 * (its version, checksum and the packages its binaries need), everything else as configured.
 */
export function airGappedImageOverrides(stackImageConfig: Record<string, unknown> = {}): Record<string, unknown> {
  const standins = readStandins();
  const packages = [...((stackImageConfig.extraPackages as string[]) ?? []), ...standins.extraPackages];
  return {
    dockerVersion: standins.dockerVersion,
    arch: standins.arch,
    sha256: standins.sha256,
    localTarball: standins.tarball,
    extraPackages: [...new Set(packages)],
  };
}

/** Runs index.ts with the stack's config and realizes every docker resource on the engine, in dependency order. */
export async function deploy(request: DeployRequest): Promise<ProgramRun> {
  const base = stackConfig(request.configOf);
  const imageConfig = base["dind-stack:dindImage"] ? JSON.parse(base["dind-stack:dindImage"]) : {};
  const requested = (request.overrides ?? {}) as Record<string, Record<string, unknown>>;
  const config = withOverrides(base, {
    ...requested,
    "dind-stack:dindImage": { ...airGappedImageOverrides(imageConfig), ...requested["dind-stack:dindImage"] },
  });
  const realizer = new Realizer(() => privilegeMode());
  return runProgram(request.stack, config, request.secretKeys ?? [], (type, name, inputs) => realizer.realize(type, name, inputs));
}

/** Creates a resource again from the inputs the program declared for it (what a replacement does). */
export async function recreate(resource: RecordedResource): Promise<void> {
  await new Realizer(() => privilegeMode()).realize(resource.type, resource.name, resource.inputs);
}
