// The Kubernetes API schema of the oldest and the newest minor the stack supports (1.29, 1.33),
// as two packages from the npm registry, since no one package version gives both:
//
// - 1.33: kubernetes-models 4.5.x, whose validate() is the JSON schema compiled from the
//   OpenAPI spec of Kubernetes v1.33.0 (its CHANGELOG: 4.5.0 "Update schema version to
//   v1.33.0"; 4.3.x and 4.4.x are v1.27.1, 5.x is v1.36 and ESM only). It checks types, enum
//   values and required fields, but lets unknown fields through.
// - 1.29: kubernetes-types 1.29.0 (installed as kubernetes-types-1.29), TypeScript interfaces
//   generated from the OpenAPI definitions of Kubernetes 1.29 (its README: the package's
//   major.minor tracks the Kubernetes API version). Each object is compiled as an object literal
//   of its kind's interface, so the compiler refuses an unknown field (one 1.29 does not have),
//   a wrong type and a missing required field. Enums are plain strings there (the OpenAPI v2
//   spec carries no enums since 1.24), which the 1.33 schema covers.
import * as path from "node:path";
import * as ts from "typescript";
import { REPO_ROOT } from "./stack-config";

/** An object to validate: its Pulumi type token (`kubernetes:apps/v1:Deployment`) and its fields. */
export interface TypedObject {
  /** Pulumi type token; a Patch resource is checked as the kind it patches. */
  type: string;
  /** The object (apiVersion and kind are added from the type when absent). */
  inputs: Record<string, unknown>;
}

/** API group path, version and kind of a type token: `kubernetes:networking.k8s.io/v1:NetworkPolicy` → networking.k8s.io, v1, NetworkPolicy. */
function groupVersionKind(type: string): { group: string; version: string; kind: string } {
  const match = /^kubernetes:([^/:]+)\/([^:]+):(\w+?)(?:Patch)?$/.exec(type);
  if (!match) throw new Error(`not a Kubernetes object type: ${type}`);
  return { group: match[1], version: match[2], kind: match[3] };
}

/** Why an object is invalid under Kubernetes 1.33 (kubernetes-models 4.5), or undefined when it is valid. */
export function problemsIn133(object: TypedObject): string | undefined {
  const { group, version, kind } = groupVersionKind(object.type);
  const modulePath = `kubernetes-models/${group === "core" ? "" : `${group}/`}${version}/${kind}`;
  const Model = (require(modulePath) as Record<string, new (data: unknown) => { validate(): void }>)[kind];
  try {
    new Model(object.inputs).validate();
    return undefined;
  } catch (error) {
    return `${object.type}: ${(error as Error).message}`;
  }
}

/** The kubernetes-types module of a group and version (`networking.k8s.io/v1` → networking/v1). */
function typesModule(group: string, version: string): string {
  return `kubernetes-types-1.29/${group.replace(/\.k8s\.io$/, "")}/${version}`;
}

/**
 * Why objects are invalid under Kubernetes 1.29 (kubernetes-types 1.29.0): the compiler's
 * messages, each naming the object's index and type; empty when every object is valid.
 */
export function problemsIn129(objects: TypedObject[]): string[] {
  const imports = new Map<string, string>();
  const declarations = objects.map((object, index) => {
    const { group, version, kind } = groupVersionKind(object.type);
    const alias = `${kind}_${group.replace(/\W/g, "_")}_${version}`;
    imports.set(alias, `import type { ${kind} as ${alias} } from "${typesModule(group, version)}";`);
    const apiVersion = group === "core" ? version : `${group}/${version}`;
    return `/* ${index}: ${object.type} */ export const object${index}: ${alias} = ${JSON.stringify({ apiVersion, kind, ...object.inputs }, null, 1)};`;
  });
  const source = [...imports.values(), ...declarations].join("\n");
  return compileSource(path.join(REPO_ROOT, "test", "support", "rendered-objects-1.29.ts"), source).map((diagnostic) => {
    const line = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
    const declaration = source.split("\n").slice(0, line + 1).reverse().find((text) => text.startsWith("/* ")) ?? "";
    return `${declaration.slice(3, declaration.indexOf(" */"))}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}

/** The compiler's diagnostics for a TypeScript source that exists only in memory, as if it were `file` (strict mode, the project's modules resolvable). */
export function compileSource(file: string, source: string): ts.Diagnostic[] {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => (name === file ? ts.createSourceFile(name, source, languageVersion) : getSourceFile(name, languageVersion, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  return [...ts.getPreEmitDiagnostics(ts.createProgram([file], options, host))];
}
