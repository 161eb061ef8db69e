import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";

/** Removes every container, network, volume and (with `images`) image labelled with this run's id. */
export async function removeTestObjects(options: { images: boolean }): Promise<void> {
  await removeLabelled([`${TEST_RUN_LABEL}=${TEST_RUN_ID}`], options.images, () => true);
}

/**
 * Whether the jest process that started run `id` (`run-<pid>-<time>`, see global-setup.ts) is
 * still alive on this machine; ids without a pid (older runs) count as alive.
 */
function runIsAlive(id: string): boolean {
  const pid = /^run-(\d+)-/.exec(id)?.[1];
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes what aborted earlier runs left behind: objects carrying the test label of another
 * run whose process is gone, or created more than `minAgeMs` ago. A run going on at the same
 * time is spared; a run that was killed (a stopped session, a cancelled job) is not, so its
 * containers cannot hold the ports and names this run needs.
 */
export async function removeStaleTestObjects(minAgeMs: number): Promise<void> {
  const cutoff = Date.now() - minAgeMs;
  await removeLabelled([TEST_RUN_LABEL], true, (labels, createdMs) => {
    const run = labels[TEST_RUN_LABEL];
    return run !== TEST_RUN_ID && (createdMs < cutoff || !runIsAlive(run));
  });
}

/**
 * Runs a removal, taking "no such object" (404) and "removal already in progress" (409) as done:
 * two runs side by side (scripts/run-tests.sh) may both find the same stale object and race to
 * remove it.
 */
async function removed(removal: Promise<unknown>): Promise<void> {
  await removal.catch((error: { statusCode?: number }) => {
    if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
  });
}

async function removeLabelled(label: string[], images: boolean, wanted: (labels: Record<string, string>, createdMs: number) => boolean): Promise<void> {
  const filters = { label };
  for (const info of await engine.listContainers({ all: true, filters })) {
    if (wanted(info.Labels, info.Created * 1000)) await removed(engine.getContainer(info.Id).remove({ force: true, v: true }));
  }
  for (const info of await engine.listNetworks({ filters })) {
    if (wanted(info.Labels ?? {}, Date.parse(info.Created))) await removed(engine.getNetwork(info.Id).remove());
  }
  for (const info of (await engine.listVolumes({ filters })).Volumes ?? []) {
    const created = Date.parse((info as unknown as { CreatedAt?: string }).CreatedAt ?? "") || 0;
    if (wanted(info.Labels ?? {}, created)) await removed(engine.getVolume(info.Name).remove({ force: true }));
  }
  if (images) {
    for (const info of await engine.listImages({ filters })) {
      if (wanted(info.Labels ?? {}, info.Created * 1000)) await engine.getImage(info.Id).remove({ force: true }).catch(() => undefined);
    }
  }
}

/** Removes containers, networks and volumes whose names start with `prefix`, whoever created them (leftovers of an aborted run). */
export async function removeByNamePrefix(prefix: string): Promise<void> {
  for (const info of await engine.listContainers({ all: true })) {
    if (info.Names.some((name) => name.replace(/^\//, "").startsWith(prefix))) await engine.getContainer(info.Id).remove({ force: true, v: true });
  }
  for (const info of await engine.listNetworks()) {
    if (info.Name.startsWith(prefix)) await engine.getNetwork(info.Id).remove();
  }
  for (const info of (await engine.listVolumes()).Volumes ?? []) {
    if (info.Name.startsWith(prefix)) await engine.getVolume(info.Name).remove({ force: true });
  }
}
