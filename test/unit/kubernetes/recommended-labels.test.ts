// The app.kubernetes.io labels a user (or a dashboard) finds the stack's pods and objects by:
// what each pod runs, which application every object is part of, and which tool manages it.
// The label functions called directly.
import * as fs from "node:fs";
import * as path from "node:path";
import { objectLabels, podLabels } from "../../../components/kubernetes/labels";
import { REPO_ROOT } from "../../support/stack-config";

const NAME = "app.kubernetes.io/name";

/** The Pulumi project's name, as Pulumi.yaml gives it. */
function projectName(): string {
  return /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"))![1];
}

describe("the recommended labels", () => {
  test("app.kubernetes.io/name says what a pod runs: the registry for the registry pod, a runner for the runner pods", () => {
    expect(podLabels("prod", "registry")[NAME]).toMatch(/registry/);
    expect(podLabels("prod", "runner", "builder")[NAME]).toMatch(/runner/);
    expect(podLabels("prod", "runner", "builder")[NAME]).not.toMatch(/registry/);
  });

  test("every object is part of the project Pulumi.yaml names, and managed by Pulumi, on both sides", () => {
    for (const component of ["registry", "runner"]) {
      const labels = objectLabels("prod", component);
      expect(labels["app.kubernetes.io/part-of"]).toBe(projectName());
      expect(labels["app.kubernetes.io/managed-by"]).toBe("pulumi");
    }
  });
});
