import { PROJECT_DIR, readStackFile } from "../scripts/stack-files";

/**
 * What a stack's config file allows beyond the secure defaults. The pack reads these from the
 * stack file itself, never from what the program declares, so a program change cannot grant them.
 */
export interface StackOptIns {
  /** `dind-stack:workloads.allowDood: true`: Docker socket mounts are allowed. */
  allowDood: boolean;
  /** `dind-stack:daemon.tls: false`: DinD daemons may serve, and clients use, plain TCP. */
  plainTcpDaemon: boolean;
  /** `dind-stack:registry.allowUnauthenticatedExposure: true`: the registry may be exposed without auth. */
  unauthenticatedRegistry: boolean;
  /** `dind-stack:dindImage.advisories: refuse`: a Docker release with known advisories is a mandatory violation, not an advisory one. */
  refuseEngineAdvisories: boolean;
}

/** A stack that opted into nothing. */
export const NO_OPT_INS: StackOptIns = { allowDood: false, plainTcpDaemon: false, unauthenticatedRegistry: false, refuseEngineAdvisories: false };

const NAMESPACE = "dind-stack";

/** A config flag as the stack's config parser reads it: YAML true/false or the strings "true"/"false". */
function flagIs(value: unknown, wanted: boolean): boolean {
  return value === wanted || value === String(wanted);
}

function section(config: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> {
  const value = config[`${NAMESPACE}:${name}`];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** The opt-ins in a stack file's `config:` mapping. */
export function optInsFromConfig(config: Readonly<Record<string, unknown>>): StackOptIns {
  return {
    allowDood: flagIs(section(config, "workloads").allowDood, true),
    plainTcpDaemon: flagIs(section(config, "daemon").tls, false),
    unauthenticatedRegistry: flagIs(section(config, "registry").allowUnauthenticatedExposure, true),
    refuseEngineAdvisories: section(config, "dindImage").advisories === "refuse",
  };
}

/** The stack name in a resource URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (!match) throw new Error(`not a resource URN: ${urn}`);
  return match[1];
}

/** The opt-ins of a stack, read from its config file; a stack without a file opted into nothing. */
export function readStackOptIns(stack: string, projectDir = PROJECT_DIR): StackOptIns {
  const file = readStackFile(stack, projectDir);
  return file ? optInsFromConfig(file.config) : NO_OPT_INS;
}
