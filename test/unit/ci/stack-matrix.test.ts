import { kubeconfigSecretName, stackEntry } from "../../../scripts/ci/stack-matrix";

test("a Docker-target stack deploys from its own self-hosted runner and needs no kubeconfig", () => {
  expect(stackEntry("ci", "docker")).toEqual({ stack: "ci", target: "docker", previewKubeconfigSecret: "", deployRunsOn: ["self-hosted", "dind-stack-ci"] });
});

test("a Kubernetes-target stack previews with a kubeconfig secret of its own and deploys from a hosted runner", () => {
  expect(stackEntry("prod", "kubernetes")).toEqual({ stack: "prod", target: "kubernetes", previewKubeconfigSecret: "KUBECONFIG_PROD", deployRunsOn: "ubuntu-latest" });
});

test.each([
  ["prod", "KUBECONFIG_PROD"],
  ["prod-eu.1", "KUBECONFIG_PROD_EU_1"],
  ["Staging_2", "KUBECONFIG_STAGING_2"],
])("stack %s reads its kubeconfig from secret %s (GitHub secret names: letters, digits, _)", (stack, secret) => {
  expect(kubeconfigSecretName(stack)).toBe(secret);
});
