// The annotations docs/kubernetes.md promises on the runner pods, which keep the cluster
// autoscaler and Karpenter from evicting a pod (and its running build) to consolidate nodes.
// The runner workload rendered directly, in both modes and both workload kinds.
import * as fs from "node:fs";
import * as path from "node:path";
import { runnerWorkload } from "../../../components/kubernetes/runner-workloads";
import { dindSettings, runnerContext } from "../../support/kubernetes-fixtures";
import { REPO_ROOT } from "../../support/stack-config";

/** The `key: "value"` annotations docs/kubernetes.md says the runner pods carry. */
function documentedAnnotations(): [string, string][] {
  const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "kubernetes.md"), "utf8");
  const sentence = /The pods also carry([^]*?)\.\s/.exec(doc)![1];
  return [...sentence.matchAll(/`([\w./-]+): "([^"]*)"`/g)].map((match) => [match[1], match[2]]);
}

/** The annotations of a runner pod template of the default client group. */
function podAnnotations(mode: "dind" | "dood", dindCache?: "volumeClaim"): Record<string, string> {
  const settings = dindSettings();
  const context = { ...runnerContext(settings, dindCache ? { dindCache } : {}, { mode }), stack: "prod", namespace: "run-ns", daemonJsonDigest: "0123456789abcdef" };
  return JSON.parse(JSON.stringify(runnerWorkload(settings.workloads.clients[0], context).args)).spec.template.metadata.annotations;
}

test("every runner pod carries the annotations that keep the autoscalers from evicting it, as docs/kubernetes.md says", () => {
  const documented = documentedAnnotations();
  expect(documented.map(([key]) => key)).toEqual(expect.arrayContaining(["cluster-autoscaler.kubernetes.io/safe-to-evict", "karpenter.sh/do-not-disrupt"]));
  for (const annotations of [podAnnotations("dind"), podAnnotations("dind", "volumeClaim"), podAnnotations("dood")]) {
    for (const [key, value] of documented) expect(annotations[key]).toBe(value);
  }
});
