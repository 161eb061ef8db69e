import Docker from "dockerode";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";

/** How `privileged: true` is realized on this engine. */
export type PrivilegeMode = "privileged" | "equivalent";

/**
 * Flags equivalent to --privileged for engines that refuse it because the machine's
 * capability bounding set lacks a capability dockerd < 23 always grants (CAP_SYS_RESOURCE).
 */
const EQUIVALENT: Docker.HostConfig = {
  CapAdd: ["ALL"],
  CapDrop: ["SYS_RESOURCE"],
  SecurityOpt: ["seccomp=unconfined", "apparmor=unconfined"],
  // What the CLI's --security-opt systempaths=unconfined sends: no masked or read-only /proc paths.
  MaskedPaths: [],
  ReadonlyPaths: [],
  DeviceCgroupRules: ["a *:* rwm"],
};

/** Adds privileges to a create-container body in the given mode. */
export function grantPrivileges(options: Docker.ContainerCreateOptions, mode: PrivilegeMode): void {
  options.HostConfig = { ...options.HostConfig, ...(mode === "privileged" ? { Privileged: true } : EQUIVALENT) };
}

let detected: Promise<PrivilegeMode> | undefined;

async function probe(image: string): Promise<PrivilegeMode> {
  const container = await engine.createContainer({
    Image: image,
    Cmd: ["true"],
    Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    HostConfig: { Privileged: true, NetworkMode: "none" },
  });
  try {
    await container.start();
    console.log("[harness] privileged: true is realized as --privileged (the engine accepts it)");
    return "privileged";
  } catch (error) {
    const message = String(error);
    if (!message.includes("unable to apply caps")) throw error;
    console.log(
      "[harness] privileged: true is realized as --cap-add ALL --cap-drop SYS_RESOURCE, seccomp/apparmor/systempaths unconfined, " +
        `device rule 'a *:* rwm': this engine refuses --privileged (${message.trim().split("\n")[0]})`,
    );
    return "equivalent";
  } finally {
    await container.remove({ force: true, v: true });
  }
}

/** Finds out once per test file whether the engine accepts --privileged, using a local image. */
export function privilegeMode(image = "debian:bookworm-slim"): Promise<PrivilegeMode> {
  detected ??= probe(image);
  return detected;
}
