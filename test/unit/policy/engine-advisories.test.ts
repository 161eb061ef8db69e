import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { engineAdvisoryFindings, engineVersionsOf } from "../../../policy/checks/engine-advisories";
import { dockerContainerView } from "../../../policy/docker-container";
import { declared } from "./support/declare-resources";
import { packFindings } from "./support/pack-harness";

// The pack reads the stack files of a fixture project: stack `warning` keeps the default
// (dindImage.advisories: warn), stack `refusing` sets refuse.
jest.mock("../../../scripts/stack-files", () => ({
  ...jest.requireActual("../../../scripts/stack-files"),
  PROJECT_DIR: require("node:path").join(__dirname, "fixtures", "advisories-project"),
}));

const dindBuild = (version: string) => () => [
  new docker.Image("dind", { imageName: `dind-stack/dind:${version}-ci`, build: { context: ".", args: { DOCKER_VERSION: version, BASE_IMAGE: "debian:bookworm-slim" } }, skipPush: true }),
];

/** The engine advisory findings of the pack in a stack, as `policy (level): message`. */
async function advisoryFindings(stack: string, declare: () => CustomResource[]): Promise<string[]> {
  const findings = await packFindings(await declared(stack, declare));
  return findings
    .filter((finding) => finding.policy.startsWith("engine-advisories"))
    .map((finding) => `${finding.policy} (${finding.level}): ${finding.message}`)
    .sort();
}

test("the releases in use: the DinD image's build arg, and the official docker image's release tags", () => {
  const views = ["docker:24.0.6-dind", "docker:25.0.5", "docker:20.10.24-dind", "docker:dind", "docker:24-dind", "mirror.example/docker:24.0.6-dind"].map((image) => dockerContainerView(image, { image }));
  expect(engineVersionsOf("docker:index/container:Container", "c", {}, views)).toEqual([
    { where: "container docker:24.0.6-dind", version: "24.0.6" },
    { where: "container docker:25.0.5", version: "25.0.5" },
    { where: "container docker:20.10.24-dind", version: "20.10.24" },
  ]);
  expect(engineVersionsOf("docker:index/image:Image", "dind", { imageName: "dind-stack/dind:24.0.9-ci", build: { args: { DOCKER_VERSION: "24.0.9" } } }, [])).toEqual([
    { where: "image dind-stack/dind:24.0.9-ci", version: "24.0.9" },
  ]);
});

test("a finding names the CVEs, the release that fixes them, and what to do; a fixed release has none", () => {
  const [finding, ...others] = engineAdvisoryFindings([{ where: "image dind-stack/dind:24.0.9-ci", version: "24.0.9" }], "Set dockerVersion.");
  expect(others).toEqual([]);
  expect(finding).toMatch(/^image dind-stack\/dind:24\.0\.9-ci: docker 24\.0\.9 has known security advisories: CVE-2024-23651 \(BuildKit, .*fixed in 25\.0\.2\).*Set dockerVersion\.$/);
  expect(finding).not.toContain("CVE-2024-21626");
  expect(engineAdvisoryFindings([{ where: "image x", version: "25.0.5" }], "Set dockerVersion.")).toEqual([]);
});

test("by default the pack reports an affected release as advisory: the preview and update go on", async () => {
  expect(await advisoryFindings("warning", dindBuild("24.0.6"))).toEqual([
    expect.stringMatching(/^engine-advisories \(advisory\): image dind-stack\/dind:24\.0\.6-ci: docker 24\.0\.6 has known security advisories: CVE-2024-21626 .*dindImage\.advisories: refuse makes this mandatory\.$/),
  ]);
});

test("a stack file with dindImage.advisories: refuse makes it mandatory, for the image build and for an official docker image a pod runs", async () => {
  const findings = await advisoryFindings("refusing", () => [
    ...dindBuild("24.0.6")(),
    new k8s.core.v1.Pod("dind", { metadata: { name: "dind", namespace: "ci" }, spec: { containers: [{ name: "dind", image: "docker:24.0.9-dind" }] } }),
  ]);
  expect(findings).toEqual([
    expect.stringMatching(/^engine-advisories-refused \(mandatory\): Pod ci\/dind, container dind: docker 24\.0\.9 has known security advisories: CVE-2024-23651/),
    expect.stringMatching(/^engine-advisories-refused \(mandatory\): image dind-stack\/dind:24\.0\.6-ci: docker 24\.0\.6 has known security advisories: .*refuses such releases/),
  ]);
});

test("a fixed release passes under either setting", async () => {
  for (const stack of ["warning", "refusing"]) expect(await advisoryFindings(stack, dindBuild("25.0.5"))).toEqual([]);
});

test("an image built with the provider's default build settings (no build given) builds no release the pack knows", async () => {
  const defaults = () => [new docker.Image("app", { imageName: "example/app:1.0", skipPush: true })];
  expect(await advisoryFindings("refusing", defaults)).toEqual([]);
  expect(engineVersionsOf("docker:index/image:Image", "app", { imageName: "example/app:1.0" }, [])).toEqual([]);
});
