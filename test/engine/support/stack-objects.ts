import { engine } from "./engine";
import { runToCompletion } from "./host-side";
import { BUSYBOX_IMAGE } from "./test-images";

/** The steps that change something, as `<op> <resource name> [fields]`. */
export { changes as changesOf } from "../../support/lifecycle/plan";

/** The engine's id of a container, or undefined when there is none of that name. */
export async function containerId(name: string): Promise<string | undefined> {
  return (await engine.getContainer(name).inspect().catch(() => undefined))?.Id;
}

/** Names of the containers the engine has for a stack (by the program's stack label). */
export async function stackContainers(stack: string): Promise<string[]> {
  const found = await engine.listContainers({ all: true, filters: { label: [`org.dind-stack.stack=${stack}`] } });
  return found.flatMap((info) => info.Names.map((name) => name.replace(/^\//, ""))).sort();
}

/** True when a network of that name exists. */
export async function networkExists(name: string): Promise<boolean> {
  return (await engine.listNetworks({ filters: { name: [name] } })).some((network) => network.Name === name);
}

/** True when a volume of that name exists. */
export async function volumeExists(name: string): Promise<boolean> {
  return engine
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** Runs `sh -c script` in a throw-away container with the existing `volume` mounted read-only at /data; returns its output. */
export async function readVolume(volume: string, script: string): Promise<string> {
  if (!(await volumeExists(volume))) throw new Error(`volume ${volume} does not exist`);
  const result = await runToCompletion({ Image: BUSYBOX_IMAGE, Cmd: ["sh", "-c", script], HostConfig: { NetworkMode: "none", Binds: [`${volume}:/data:ro`] } });
  if (result.exitCode !== 0) throw new Error(`reading volume ${volume} failed (exit ${result.exitCode}): ${result.log}`);
  return result.log;
}

/** The repositories a registry's data volume holds (distribution's filesystem layout). */
export function repositoriesOnVolume(volume: string): Promise<string> {
  return readVolume(volume, "cd /data/docker/registry/v2/repositories && find . -mindepth 2 -maxdepth 2 -type d | sed 's|^./||' | sort");
}
