// Every object the program renders, for the prod stack and its variants, is valid against the
// Kubernetes API schema of the oldest and the newest minor the stack supports: 1.33 through
// kubernetes-models (types, enum values, required fields) and 1.29 through the TypeScript types
// generated from its OpenAPI definitions (fields, types, required fields); see
// test/support/kubernetes-schema.ts. The TypeScript input types the manifests are written in
// catch unknown fields at compile time too.
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as ts from "typescript";
import { Pod } from "kubernetes-models/v1/Pod";
import { RecordedResource, runProgram } from "../../support/run-program";
import { K8S, kubernetesObjects, withClusterIp } from "../../support/kubernetes-objects";
import { compileSource, problemsIn129, problemsIn133 } from "../../support/kubernetes-schema";
import { deployableStack, REPO_ROOT, withOverrides } from "../../support/stack-config";
import { doodStack } from "../../support/kubernetes-fixtures";

/** A CA certificate as the config takes it (its content is not parsed). */
const CA = "-----BEGIN CERTIFICATE-----\nMIIBdummyCAcertificateForTheSchemaTest0123456789abcdef==\n-----END CERTIFICATE-----\n";

describe("Kubernetes API schema of 1.29 and 1.33", () => {
  let objects: RecordedResource[];

  beforeAll(async () => {
    const { config, secretKeys } = deployableStack("prod");
    const variant = (overrides: Record<string, unknown>) => runProgram("prod", withOverrides(config, overrides), [...secretKeys, "dind-stack:dindImagePassword"]);
    const runs = [
      await runProgram("prod", config, secretKeys),
      await runProgram("prod-dood", doodStack().config, secretKeys, { realize: withClusterIp("10.96.14.7") }),
      await variant({ "dind-stack:kubernetes": { namespaces: { registry: "team-registry", runners: "team-builds" } } }),
      // Classic sidecar, the cache on an emptyDir, registry TLS, placement of both roles, a prebuilt image with a pull Secret.
      await variant({
        "dind-stack:kubernetes": {
          sidecar: "classic",
          clusterVersion: "1.29",
          dindCache: "emptyDir",
          storageClassName: "fast-ssd",
          registryTls: { secretName: "registry-tls", caCertificate: CA },
          dindImage: { reference: "registry.example.com/platform/dind:25.0.5", username: "puller" },
          placement: {
            registry: { nodeSelector: { "node-role.example.com/infra": "true" } },
            runners: {
              nodeSelector: { "node-role.example.com/builds": "true" },
              tolerations: [{ key: "builds", operator: "Exists", effect: "NoSchedule" }, { key: "spot", value: "yes", effect: "NoExecute", tolerationSeconds: 60 }],
              nodeAffinity: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a", "eu-west-1b"] }],
            },
          },
        },
        "dind-stack:dindImagePassword": "puller-password-1",
      }),
    ];
    objects = runs.flatMap((run) => kubernetesObjects(run.resources));
  });

  test("every object of the prod stack and its variants (DooD, existing namespaces, classic sidecar with TLS and placement) is valid in 1.33 and in 1.29", () => {
    expect(new Set(objects.map((object) => object.type))).toEqual(new Set(Object.values(K8S)));
    expect(objects.map(problemsIn133).filter(Boolean)).toEqual([]);
    expect(problemsIn129(objects)).toEqual([]);
  });

  /** A pod with one container as given (typed loosely on purpose: the schema is what is tested). */
  const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({ type: "kubernetes:core/v1:Pod", inputs: { metadata: { name: "p" }, spec: { containers: [container], ...spec } } });

  test("a wrong type is caught in both minors", () => {
    const wrong = pod({ name: "job", image: "x", ports: [{ containerPort: "5000" }] });
    expect(problemsIn133(wrong)).toContain("data/spec/containers/0/ports/0/containerPort must be integer");
    expect(problemsIn129([wrong])).toEqual([expect.stringMatching(/^0: kubernetes:core\/v1:Pod: Type 'string' is not assignable to type 'number'/)]);
  });

  test("a bad enum value is caught by the 1.33 schema", () => {
    expect(problemsIn133(pod({ name: "job", image: "x", imagePullPolicy: "Sometimes" }))).toContain("data/spec/containers/0/imagePullPolicy must be equal to one of the allowed values");
  });

  test("a missing required field is caught in both minors", () => {
    const nameless = pod({ image: "x" });
    expect(problemsIn133(nameless)).toContain("data/spec/containers/0 must have required property name");
    expect(problemsIn129([nameless])).toEqual([expect.stringContaining("Property 'name' is missing")]);
  });

  test("a field newer than 1.29 passes the 1.33 schema but not 1.29's: the two minors are checked apart", () => {
    // Service.spec.trafficDistribution came with Kubernetes 1.30.
    const service = { type: K8S.service, inputs: { metadata: { name: "s" }, spec: { selector: { a: "b" }, ports: [{ port: 80 }], trafficDistribution: "PreferClose" } } };
    expect(problemsIn133(service)).toBeUndefined();
    expect(problemsIn129([service])).toEqual([expect.stringContaining("'\"trafficDistribution\"' does not exist in type 'ServiceSpec'")]);
  });

  test("an unknown field passes the 1.33 schema, but not the 1.29 types nor the TypeScript input types the manifests are written in", () => {
    expect(() => new Pod({ metadata: { name: "p" }, spec: { containers: [{ name: "job", image: "x", imagePullPolicyy: "Always" } as unknown as { name: string }] } }).validate()).not.toThrow();
    expect(problemsIn129([pod({ name: "job", image: "x", imagePullPolicyy: "Always" })])).toEqual([expect.stringContaining("'\"imagePullPolicyy\"' does not exist in type 'Container'")]);
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
    const diagnostics = compileSource(file, source).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    expect(diagnostics).toEqual([expect.stringContaining("'periodSecond' does not exist in type 'Probe'")]);
  }, 60_000);
});
