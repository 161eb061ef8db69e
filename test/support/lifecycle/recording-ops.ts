import { fakeRealize } from "../run-program";
import { ResourceOps } from "./deployment";

/** A provider that records each call as `create <name>`, `update <name>`, `remove <name>`; a rebuilt image gets a new digest. */
export function recordingOps(): ResourceOps & { calls: string[] } {
  const calls: string[] = [];
  let builds = 0;
  return {
    calls,
    async create(resource) {
      calls.push(`create ${resource.name}`);
      return fakeRealize(resource);
    },
    async update(previous, resource) {
      calls.push(`update ${resource.name}`);
      if (resource.type !== "docker:index/image:Image") return { id: previous.id, state: resource.inputs };
      const digest = `sha256:${String(++builds).padStart(64, "0")}`;
      return { id: digest, state: { ...resource.inputs, repoDigest: digest } };
    },
    async remove(entry) {
      calls.push(`remove ${entry.name}`);
    },
    actsOnPreview: () => false,
  };
}
