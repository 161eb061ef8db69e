import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceInput } from "../../../../policy/resource-input";
import { REPO_ROOT } from "../../../support/stack-config";

/** The gRPC library the generated Pulumi clients were built against (the same module instance). */
const grpcOfPulumi = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] })) as typeof grpc;

/** A diagnostic the running pack returned. */
export interface Diagnostic {
  /** Policy name. */
  policy: string;
  /** Message. */
  message: string;
  /** "advisory" or "mandatory". */
  level: string;
}

/** The policy pack served by Pulumi's own Node.js policy runner, as the CLI starts it. */
export interface RunningPack {
  /** The analyzer's gRPC client. */
  client: AnalyzerClient;
  /** Stops the runner. */
  stop: () => void;
}

/**
 * Starts `node @pulumi/pulumi/cmd/run-policy-pack <engine> .` in policy/, which is what the
 * CLI's Node.js language host runs for `--policy-pack policy` (TypeScript through ts-node,
 * modules resolved from the pack's folder). Resolves once the pack prints its port.
 */
export function startPack(timeoutMs: number): Promise<RunningPack> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const child: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: path.join(REPO_ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the pack printed no port within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving; stderr: ${stderr}`)));
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
      if (!port) return;
      clearTimeout(timer);
      const client = new AnalyzerClient(`127.0.0.1:${port}`, grpcOfPulumi.credentials.createInsecure());
      resolve({ client, stop: () => (client.close(), child.kill()) });
    });
  });
}

function fill<T extends analyzer.AnalyzeRequest | analyzer.AnalyzerResource>(target: T, resource: ResourceInput): T {
  target.setType(resource.type);
  target.setName(resource.name);
  target.setUrn(resource.urn);
  target.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(resource.props))));
  target.setOptions(new analyzer.AnalyzerResourceOptions());
  return target;
}

function diagnostics(response: analyzer.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((diagnostic) => ({
    policy: diagnostic.getPolicyname(),
    message: diagnostic.getMessage(),
    level: diagnostic.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
  }));
}

/** The pack's verdict on one resource (the Analyze call the engine makes before each step). */
export function analyze(pack: RunningPack, resource: ResourceInput): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) =>
    pack.client.analyze(fill(new analyzer.AnalyzeRequest(), resource), (error, response) => (error ? reject(error) : resolve(diagnostics(response)))),
  );
}

/** A stack's resource as the engine sends it for AnalyzeStack: with the URNs each input comes from. */
function stackResource(resource: ResourceInput): analyzer.AnalyzerResource {
  const message = fill(new analyzer.AnalyzerResource(), resource);
  for (const [property, sources] of Object.entries(resource.propertyDependencies ?? {})) {
    message.getPropertydependenciesMap().set(property, new analyzer.AnalyzerPropertyDependencies().setUrnsList(sources.map((source) => source.urn)));
  }
  return message;
}

/** The pack's verdict on a whole stack (the AnalyzeStack call at the end of a preview or update). */
export function analyzeStack(pack: RunningPack, resources: readonly ResourceInput[]): Promise<Diagnostic[]> {
  const request = new analyzer.AnalyzeStackRequest();
  request.setResourcesList(resources.map(stackResource));
  return new Promise((resolve, reject) => pack.client.analyzeStack(request, (error, response) => (error ? reject(error) : resolve(diagnostics(response)))));
}

/** Names and enforcement levels of the policies the running pack announces. */
export function analyzerInfo(pack: RunningPack): Promise<{ name: string; level: string }[]> {
  const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
  return new Promise((resolve, reject) =>
    pack.client.getAnalyzerInfo(new Empty(), (error, info) =>
      error
        ? reject(error)
        : resolve(
            info.getPoliciesList().map((policy) => ({
              name: policy.getName(),
              level: policy.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
            })),
          ),
    ),
  );
}
