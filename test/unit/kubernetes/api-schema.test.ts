// Every object the program renders, for the prod stack and its DooD variant, is valid
// against the Kubernetes API schema (kubernetes-models); the schema catches wrong types, bad
// enum values and missing required fields, and the TypeScript input types catch unknown
// fields, which the schema lets through.
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as ts from "typescript";
import { Pod } from "kubernetes-models/v1/Pod";
import { RecordedResource, runProgram } from "../../support/run-program";
import { K8S, kubernetesObjects, withClusterIp } from "../../support/kubernetes-objects";
import { deployableStack, REPO_ROOT, withOverrides } from "../../support/stack-config";
import { doodStack } from "../../support/kubernetes-fixtures";

/**
 * The kubernetes-models class of a @pulumi/kubernetes type token, e.g. kubernetes:apps/v1:Deployment
 * → apps/v1/Deployment; a Patch resource is checked as the kind it patches (NamespacePatch → v1/Namespace).
 */
function modelOf(type: string): new (data: unknown) => { validate(): void } {
  const [, group, kind] = /^kubernetes:([^:]+):(\w+?)(?:Patch)?$/.exec(type)!;
  const modulePath = `kubernetes-models/${group.replace(/^core\//, "")}/${kind}`;
  return (require(modulePath) as Record<string, new (data: unknown) => { validate(): void }>)[kind];
}

function validate(resource: RecordedResource): void {
  const Model = modelOf(resource.type);
  new Model(resource.inputs).validate();
}

describe("Kubernetes API schema", () => {
  let objects: RecordedResource[];

  beforeAll(async () => {
    const { config, secretKeys } = deployableStack("prod");
    const prod = await runProgram("prod", config, secretKeys);
    const dood = await runProgram("prod-dood", doodStack().config, secretKeys, { realize: withClusterIp("10.96.14.7") });
    const existingNamespaces = await runProgram("prod", withOverrides(config, { "dind-stack:kubernetes": { namespaces: { registry: "team-registry", runners: "team-builds" } } }), secretKeys);
    objects = [...kubernetesObjects(prod.resources), ...kubernetesObjects(dood.resources), ...kubernetesObjects(existingNamespaces.resources)];
  });

  test("every rendered object of the prod stack, its DooD variant and with existing namespaces validates", () => {
    expect(new Set(objects.map((object) => object.type))).toEqual(new Set(Object.values(K8S)));
    for (const object of objects) expect(() => validate(object)).not.toThrow();
  });

  /** A pod with one container as given (typed loosely on purpose: the schema is what is tested). */
  const pod = (container: Record<string, unknown>) => new Pod({ metadata: { name: "p" }, spec: { containers: [container as unknown as { name: string }] } });

  test("a wrong type is caught", () => {
    expect(() => pod({ name: "job", image: "x", ports: [{ containerPort: "5000" }] }).validate()).toThrow("data/spec/containers/0/ports/0/containerPort must be integer");
  });

  test("a bad enum value is caught", () => {
    expect(() => pod({ name: "job", image: "x", imagePullPolicy: "Sometimes" }).validate()).toThrow("data/spec/containers/0/imagePullPolicy must be equal to one of the allowed values");
  });

  test("a missing required field is caught", () => {
    expect(() => pod({ image: "x" }).validate()).toThrow("data/spec/containers/0 must have required property name");
  });

  test("an unknown field passes the schema, but not the TypeScript input types the manifests are written in", () => {
    // The schema does not reject it...
    expect(() => pod({ name: "job", image: "x", imagePullPolicyy: "Always" }).validate()).not.toThrow();
    // ...the compiler does: this file fails `tsc` if the field were ever accepted.
    const container: k8s.types.input.core.v1.Container = {
      name: "job",
      image: "x",
      // @ts-expect-error: not a field of Container
      imagePullPolicyy: "Always",
    };
    expect(container.name).toBe("job");
    // And here the compiler says so, as it does for every manifest under components/kubernetes.
    const file = path.join(REPO_ROOT, "components", "kubernetes", "unknown-field.ts");
    const source = 'import * as k8s from "@pulumi/kubernetes";\nexport const probe: k8s.types.input.core.v1.Probe = { httpGet: { path: "/v2/", port: "http" }, periodSecond: 5 };\n';
    const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022 };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options, host)).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    expect(diagnostics).toEqual([expect.stringContaining("'periodSecond' does not exist in type 'Probe'")]);
  }, 60_000);
});
