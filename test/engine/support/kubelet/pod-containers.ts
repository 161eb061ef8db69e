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
