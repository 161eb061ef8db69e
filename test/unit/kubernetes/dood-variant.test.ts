// The prod stack switched to DooD on the cluster (allowDood, the nodes' ranges): no DinD
// daemon, the node's Docker socket through hostPath, pushes by the node's engine to the
// registry's cluster IP, which the NetworkPolicy admits from the nodes.
import { named, ofType } from "../../support/resource-queries";
import { doodStack } from "../../support/kubernetes-fixtures";
import { admission, K8S, namespaceLabels, selects, withClusterIp } from "../../support/kubernetes-objects";
import { ProgramRun, runProgram } from "../../support/run-program";

const CLUSTER_IP = "10.96.14.7";

describe("the prod stack in DooD mode", () => {
  let run: ProgramRun;
  const inputs = (name: string) => named(run.resources, name).inputs;

  beforeAll(async () => {
    const { config, secretKeys } = doodStack();
    run = await runProgram("prod", config, secretKeys, { realize: withClusterIp(CLUSTER_IP) });
  });

  test("runners are a Deployment whose only container gets the node's Docker socket, unprivileged", () => {
    expect(ofType(run.resources, K8S.statefulSet)).toEqual([]);
    expect(ofType(run.resources, K8S.configMap)).toEqual([]);
    const deployment = inputs("prod-runners-runner");
    expect(named(run.resources, "prod-runners-runner").type).toBe(K8S.deployment);
    expect(selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    const pod = deployment.spec.template.spec;
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toEqual([
      { name: "docker-socket", hostPath: { path: "/var/run/docker.sock", type: "Socket" } },
      // The registry's credentials, which the node's engine gets from the job's docker CLI with each push.
      { name: "docker-config", secret: { secretName: "registry-credentials", items: [{ key: "config.json", path: "config.json" }], defaultMode: 0o400 } },
    ]);
    const [job] = pod.containers;
    expect(pod.containers).toHaveLength(1);
    expect(job.volumeMounts).toEqual([
      { name: "docker-socket", mountPath: "/var/run/docker.sock" },
      { name: "docker-config", mountPath: "/etc/dind-stack/docker", readOnly: true },
    ]);
    expect(job.securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(job.env.slice(0, 2)).toEqual([
      { name: "DOCKER_HOST", value: "unix:///var/run/docker.sock" },
      { name: "DIND_STACK_REGISTRY", value: `${CLUSTER_IP}:5000` },
    ]);
  });

  test("the runners' namespace is privileged because of the hostPath, and baseline would refuse exactly that", () => {
    expect(admission(run.resources)).toEqual({
      "dind-stack-prod-registry": { level: "restricted", refused: [], refusedIfStricter: undefined },
      "dind-stack-prod-runners": { level: "privileged", refused: [], refusedIfStricter: ['runner: hostPath volumes (volume "docker-socket")'] },
    });
  });

  test("the registry admits the runner pods and the nodes' ranges; the nodes learn which address to trust", () => {
    const [rule] = inputs("prod-registry-network-policy").spec.ingress;
    expect(rule.from).toHaveLength(2);
    expect(selects(rule.from[0].namespaceSelector.matchLabels, namespaceLabels(run.resources, "dind-stack-prod-runners"))).toBe(true);
    expect(rule.from[1]).toEqual({ ipBlock: { cidr: "10.0.0.0/16" } });
    expect(run.outputs).toMatchObject({
      mode: "dood",
      pushRegistry: `${CLUSTER_IP}:5000`,
      dockerHost: "unix:///var/run/docker.sock",
      dockerCertPath: "",
      runnerWorkloads: ["deployment/runner"],
      dataVolumes: ["dind-stack-prod-registry/registry-data"],
      hostDaemonJson: JSON.stringify({ "insecure-registries": [`${CLUSTER_IP}:5000`] }),
    });
    expect(run.outputs.usage).toContain("(builds on the node's Docker Engine (DooD))");
  });
});
