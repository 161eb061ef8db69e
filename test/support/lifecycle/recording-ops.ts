import { fakeRealize, RecordedResource } from "../run-program";
import { InitError, ResourceOps } from "./deployment";
import { StateEntry } from "./stack-state";

/** A recording provider: its calls, and a way to make one create fail as the real provider's can. */
export interface RecordingOps extends ResourceOps {
  /** Each call as `create <name>`, `update <name>`, `remove <name>`. */
  calls: string[];
  /**
   * Makes the creates of the resource with this logical name fail: after the resource was made
   * (an init error: a start or health wait that failed), or with `made` false before it exists;
   * no reason ends that.
   */
  failCreate(name: string, reason?: string, made?: boolean): void;
}

/**
 * A provider that records each call as `create <name>`, `update <name>`, `remove <name>`; a
 * rebuilt image gets a new digest. Like the engine, it refuses a second container or network of
 * a name that exists (`Conflict. The container name "/x" is already in use`), and the removal
 * of a network a container is still on (`has active endpoints`); a volume of an existing name
 * is adopted, as `docker volume create` does.
 */
export function recordingOps(): RecordingOps {
  const calls: string[] = [];
  const failing = new Map<string, { reason: string; made: boolean }>();
  const containers = new Map<string, string[]>();
  const networks = new Set<string>();
  let builds = 0;
  const claim = (resource: RecordedResource) => {
    const name: string | undefined = resource.inputs.name;
    if (resource.type === "docker:index/container:Container" && name) {
      if (containers.has(name)) throw new Error(`Unable to create container: Conflict. The container name "/${name}" is already in use`);
      containers.set(name, (resource.inputs.networksAdvanced ?? []).map((network: { name: string }) => network.name));
    }
    if (resource.type === "docker:index/network:Network" && name) {
      if (networks.has(name)) throw new Error(`Unable to create network: network with name ${name} already exists`);
      networks.add(name);
    }
  };
  const release = (entry: StateEntry) => {
    const name: string | undefined = entry.inputs.name;
    if (entry.type === "docker:index/container:Container" && name) containers.delete(name);
    if (entry.type === "docker:index/network:Network" && name) {
      const attached = [...containers.entries()].filter(([, joined]) => joined.includes(name)).map(([container]) => container);
      if (attached.length > 0) throw new Error(`Error deleting network ${name}: network ${name} has active endpoints (${attached.join(", ")})`);
      networks.delete(name);
    }
  };
  return {
    calls,
    failCreate(name, reason, made = true) {
      if (reason === undefined) failing.delete(name);
      else failing.set(name, { reason, made });
    },
    async create(resource) {
      calls.push(`create ${resource.name}`);
      const failure = failing.get(resource.name);
      if (failure && !failure.made) throw new Error(failure.reason);
      claim(resource);
      const realized = await fakeRealize(resource);
      if (failure) throw new InitError(failure.reason, realized);
      return realized;
    },
    async update(previous, resource) {
      calls.push(`update ${resource.name}`);
      if (resource.type !== "docker:index/image:Image") return { id: previous.id, state: resource.inputs };
      const digest = `sha256:${String(++builds).padStart(64, "0")}`;
      return { id: digest, state: { ...resource.inputs, repoDigest: digest } };
    },
    async remove(entry) {
      calls.push(`remove ${entry.name}`);
      release(entry);
    },
    actsOnPreview: () => false,
  };
}
