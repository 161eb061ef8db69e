import { engine } from "../engine";

/** The Docker name of a container of the (first) pod in `namespace` whose name starts with `podPrefix`, as `kubectl exec -c` finds it. */
export async function podContainer(namespace: string, podPrefix: string, container: string): Promise<string> {
  const found = await engine.listContainers({ filters: { label: [`io.kubernetes.pod.namespace=${namespace}`, `io.kubernetes.container.name=${container}`] } });
  const match = found.find((info) => info.Labels["io.kubernetes.pod.name"].startsWith(podPrefix));
  if (!match) throw new Error(`no running container ${container} in a pod ${namespace}/${podPrefix}*`);
  return match.Names[0].replace(/^\//, "");
}

/** A running pod's IP on the cluster network (its sandbox's address). */
export async function podIp(namespace: string, podPrefix: string): Promise<string> {
  const sandboxes = await engine.listContainers({ filters: { label: [`io.kubernetes.pod.namespace=${namespace}`] } });
  const sandbox = sandboxes.find((info) => info.Labels["io.kubernetes.pod.name"]?.startsWith(podPrefix) && !info.Labels["io.kubernetes.container.name"]);
  if (!sandbox) throw new Error(`no pod ${namespace}/${podPrefix}*`);
  return Object.values(sandbox.NetworkSettings.Networks)[0].IPAddress;
}

/** The Docker volume standing for a volume claim of the running clusters, or undefined when the claim does not exist. */
export async function claimVolumeOf(namespace: string, claim: string): Promise<string | undefined> {
  const volumes = (await engine.listVolumes({ filters: { label: ["org.dind-stack.test-cluster"] } })).Volumes ?? [];
  return volumes.map((volume) => volume.Name).find((name) => name.endsWith(`-pvc-${namespace}-${claim}`));
}
