import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NO_OPT_INS, optInsFromConfig, readStackOptIns, stackOfUrn } from "../../../policy/stack-opt-ins";
import { readTrustedImages, trustedImagesFromConfig } from "../../../policy/trusted-images";
import { stackFilePath } from "../../../scripts/stack-files";
import { REPO_ROOT } from "../../support/stack-config";

test.each([
  [{ "dind-stack:workloads": { allowDood: true } }, { ...NO_OPT_INS, allowDood: true }],
  [{ "dind-stack:workloads": { allowDood: "true" } }, { ...NO_OPT_INS, allowDood: true }],
  [{ "dind-stack:workloads": { allowDood: "yes" } }, NO_OPT_INS],
  [{ "dind-stack:workloads": "allowDood" }, NO_OPT_INS],
  [{ "other:workloads": { allowDood: true } }, NO_OPT_INS],
  [{ "dind-stack:daemon": { tls: false } }, { ...NO_OPT_INS, plainTcpDaemon: true }],
  [{ "dind-stack:daemon": { tls: "false" } }, { ...NO_OPT_INS, plainTcpDaemon: true }],
  [{ "dind-stack:daemon": {} }, NO_OPT_INS],
  [{ "dind-stack:registry": { allowUnauthenticatedExposure: true } }, { ...NO_OPT_INS, unauthenticatedRegistry: true }],
  [{ "dind-stack:registry": { allowUnauthenticatedExposure: false, bindAddress: "0.0.0.0" } }, NO_OPT_INS],
  [{ "dind-stack:dindImage": { advisories: "refuse" } }, { ...NO_OPT_INS, refuseEngineAdvisories: true }],
  [{ "dind-stack:dindImage": { advisories: "warn", dockerVersion: "24.0.6" } }, NO_OPT_INS],
  [{}, NO_OPT_INS],
])("config %j opts into %j", (config, expected) => {
  expect(optInsFromConfig(config)).toEqual(expected);
});

test("the stack is read from a URN, nested component types and all", () => {
  expect(stackOfUrn("urn:pulumi:ci::dind-stack::dind-stack:index:BuildEnvironment$docker:index/container:Container::ci-dind-daemon")).toBe("ci");
  expect(() => stackOfUrn("ci-dind-daemon")).toThrow("not a resource URN: ci-dind-daemon");
});

test("the project's stack files: dev opted into DooD, ci into nothing; a stack without a file opted into nothing", () => {
  expect(readStackOptIns("dev")).toEqual({ ...NO_OPT_INS, allowDood: true });
  expect(readStackOptIns("ci")).toEqual(NO_OPT_INS);
  expect(readStackOptIns("no-such-stack")).toEqual(NO_OPT_INS);
  expect(stackFilePath("ci")).toBe(path.join(REPO_ROOT, "stacks", "Pulumi.ci.yaml"));
});

test("the stack file is found through Pulumi.yaml's stackConfigDir, or beside Pulumi.yaml without one", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-policy-"));
  try {
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project, "Pulumi.lab.yaml"), "config:\n  dind-stack:daemon:\n    tls: false\n");
    expect(readStackOptIns("lab", project)).toEqual({ ...NO_OPT_INS, plainTcpDaemon: true });
    fs.mkdirSync(path.join(project, "envs"));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: p\nruntime: nodejs\nstackConfigDir: envs\n");
    fs.writeFileSync(path.join(project, "envs", "Pulumi.lab.yaml"), "config:\n  dind-stack:workloads:\n    allowDood: true\n");
    expect(readStackOptIns("lab", project)).toEqual({ ...NO_OPT_INS, allowDood: true });
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});

test("which images are the DinD and registry images comes from the stack file, defaults applied; an invalid section falls back to the defaults", () => {
  const sorted = (images: { dind: ReadonlySet<string>; registry: ReadonlySet<string> }) => ({ dind: [...images.dind].sort(), registry: [...images.registry].sort() });
  expect(sorted(readTrustedImages("ci"))).toEqual({ dind: ["docker.io/dind-stack/dind"], registry: ["docker.io/library/registry"] });
  expect(sorted(readTrustedImages("prod"))).toEqual({ dind: ["docker.io/dind-stack/dind", "registry.example.com/platform/dind"], registry: ["docker.io/library/registry"] });
  expect(
    sorted(
      trustedImagesFromConfig({
        "dind-stack:dindImage": { imageName: "ci/dind" },
        "dind-stack:registry": { image: "mirror.example:5000/library/registry:2.8.3" },
        "dind-stack:kubernetes": { dindImage: { reference: "quay.example/tools/dind:25.0.5" } },
      }),
    ),
  ).toEqual({ dind: ["docker.io/ci/dind", "quay.example/tools/dind"], registry: ["docker.io/library/registry", "mirror.example:5000/library/registry"] });
  expect(sorted(trustedImagesFromConfig({ "dind-stack:dindImage": { imageName: "Not A Repository" } }))).toEqual({ dind: ["docker.io/dind-stack/dind"], registry: ["docker.io/library/registry"] });
});
