import { isKubernetesType } from "../../support/lifecycle/kubernetes-rules";
import { Diff } from "../../support/lifecycle/provider-rules";
import { ResourceOps, Realized } from "../../support/lifecycle/deployment";
import { StateEntry } from "../../support/lifecycle/stack-state";
import { RecordedResource } from "../../support/run-program";
import { engine } from "./engine";
import { realizeCommand, runLocalCommand } from "./local-command";
import { Realizer } from "./realizer";
import { readRegistryDigest } from "./registry-push";
import { GiveUp, waitFor } from "./waiting";

/** The engine answered "not found": the object is already gone, which a delete accepts (as the provider does). */
function isGone(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/**
 * An update in place: the Image is built again; a container's restart policy changes on the
 * engine; a RegistryImage's update is the provider's read (the digest, with the new
 * credentials); a Command runs its update command, else its create; other fields change only in
 * the state.
 */
async function update(realizer: Realizer, previous: StateEntry, resource: RecordedResource, diff: Diff, preview: boolean): Promise<Realized> {
  process.stderr.write(`[harness] updating ${resource.type} ${resource.name} (${diff.changed.join(", ") || "no change: continuing after init errors"})\n`);
  // The bridge's Update finds no diff for a resource kept with init errors and returns its old
  // state (pulumi-terraform-bridge pkg/tfbridge/provider.go, Update: `if diff == nil`).
  if (diff.changed.length === 0) return { id: previous.id, state: previous.outputs };
  if (resource.type === "docker:index/image:Image") return realizer.realize(resource.type, resource.name, resource.inputs, preview);
  if (resource.type === "command:local:Command") return realizeCommand(resource.name, resource.inputs, "update");
  if (resource.type === "docker:index/registryImage:RegistryImage") {
    const digest = await readRegistryDigest(resource.inputs.name, resource.inputs.authConfig);
    return { id: previous.id, state: { ...previous.outputs, ...resource.inputs, sha256Digest: digest } };
  }
  if (resource.type === "docker:index/container:Container" && diff.engineFields.includes("restart")) {
    await engine.getContainer(previous.id).update({ RestartPolicy: { Name: resource.inputs.restart } });
  }
  return { id: previous.id, state: { ...previous.outputs, ...resource.inputs } };
}

/**
 * A container's delete as resourceDockerContainerDelete does it (kreuzwerker v4.5.0,
 * resource_docker_container_funcs.go): a stop with `destroy_grace_seconds` as its timeout (0
 * when unset: SIGTERM, then SIGKILL at once), then a forced removal with its anonymous volumes
 * (`remove_volumes`, default true); a container already gone is fine.
 */
async function removeContainer(entry: StateEntry): Promise<void> {
  const container = engine.getContainer(entry.id);
  const grace = entry.inputs.destroyGraceSeconds > 0 ? entry.inputs.destroyGraceSeconds : 0;
  const started = Date.now();
  await container.stop({ t: grace }).catch((error: { statusCode?: number }) => {
    // 304: already stopped; 404: already gone.
    if (error.statusCode !== 304 && !isGone(error)) throw error;
  });
  process.stderr.write(`[harness] stopped ${entry.inputs.name} (timeout ${grace} s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  await container.remove({ force: true, v: true }).catch((error: unknown) => {
    if (!isGone(error)) throw error;
  });
}

/**
 * A delete as the provider does it: a container is stopped with its grace period and removed
 * (removeContainer); a volume removal is retried while a container still uses it (30 s); a RemoteImage
 * with keepLocally, an Image and a Tag are left on the engine; a RegistryImage with
 * keepRemotely is left in the registry; a Command runs its delete command, if it has one.
 */
async function remove(entry: StateEntry): Promise<void> {
  process.stderr.write(`[harness] deleting ${entry.type} ${entry.name}\n`);
  const ignoreGone = (error: unknown) => {
    if (!isGone(error)) throw error;
  };
  switch (entry.type) {
    case "docker:index/container:Container":
      return removeContainer(entry);
    case "docker:index/network:Network":
      return engine.getNetwork(entry.id).remove().catch(ignoreGone);
    case "docker:index/volume:Volume":
      await waitFor(`volume ${entry.id} to be removable`, 30_000, () =>
        engine
          .getVolume(entry.id)
          .remove({ force: true })
          .then(
            () => true,
            (error: Error) => {
              if (isGone(error)) return true;
              if (/in use/.test(error.message)) throw error;
              throw new GiveUp(error.message);
            },
          ),
      );
      return;
    case "docker:index/remoteImage:RemoteImage":
      if (!entry.inputs.keepLocally) await engine.getImage(entry.outputs.imageId).remove({ force: true }).catch(ignoreGone);
      return;
    case "docker:index/image:Image":
    case "docker:index/tag:Tag":
      return;
    case "docker:index/registryImage:RegistryImage":
      if (!entry.inputs.keepRemotely) throw new Error(`harness: RegistryImage ${entry.name} without keepRemotely would be deleted from the registry, which the harness does not model`);
      return;
    case "command:local:Command":
      if (entry.inputs.delete) await runLocalCommand(entry.name, entry.inputs.delete, entry.inputs.environment);
      return;
    default:
      throw new Error(`harness: cannot delete ${entry.type} ${entry.name}`);
  }
}

/** The docker provider's create, update and delete, acted out on the real engine; Kubernetes objects on its cluster. */
export function engineOps(realizer: Realizer): ResourceOps {
  return {
    create: (resource, preview = false) => realizer.realize(resource.type, resource.name, resource.inputs, preview),
    update: (previous, resource, diff, preview = false) =>
      isKubernetesType(resource.type) ? realizer.updateOnCluster(resource.type, resource.name, resource.inputs, previous.outputs) : update(realizer, previous, resource, diff, preview),
    remove: (entry) => (isKubernetesType(entry.type) ? realizer.removeFromCluster(entry.type, entry.name, entry.inputs, entry.outputs) : remove(entry)),
    // pulumi-docker builds an Image during a preview when buildOnPreview is set.
    actsOnPreview: (resource) => resource.type === "docker:index/image:Image" && resource.inputs.buildOnPreview === true,
  };
}
