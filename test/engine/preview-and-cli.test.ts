// Preview and engine choice, as the real providers and the docker CLI act on this engine:
// - a preview of a stack whose DinD image is pushed (the prod stack) builds the image, as
//   pulumi-docker does with buildOnPreview, but pushes nothing, and reports the local image ID;
// - the stack's local `docker` commands run with the environment the program gives them
//   (DOCKER_CONTEXT=default), which keeps the CLI off a current context chosen with
//   `docker context use`, on the engine the providers use.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { dockerCliEnvironment } from "../../components/docker-cli";
import { TestStack } from "./support/deploy";
import { engine } from "./support/engine";
import { ImageRegistry, startImageRegistry } from "./support/image-registry";
import { registryGet } from "./support/host-side";

const run = promisify(execFile);

test("a preview of the prod stack builds its DinD image but pushes nothing; the image reference it shows is the local image ID", async () => {
  let nodeRegistry: ImageRegistry | undefined;
  try {
    nodeRegistry = await startImageRegistry("dind-stack-test-preview-node-registry");
    const stack = new TestStack({
      configOf: "prod",
      stack: "test-preview",
      overrides: {
        "dind-stack:kubernetes": { dindImage: { registry: nodeRegistry.address, repository: "dind-stack/dind" } },
        // The operator's secret a prod stack needs (its registry requires a login).
        "dind-stack:registryPassword": "preview-registry-password",
      },
      secretKeys: ["dind-stack:registryPassword"],
    });
    const planned = await stack.preview();
    const outputs = planned.run.outputs as { dindImage: { name: string; ref: string } };
    expect(outputs.dindImage.name).toBe(`${nodeRegistry.address}/dind-stack/dind:${outputs.dindImage.name.split(":").pop()}`);
    expect(outputs.dindImage.ref).toBe((await engine.getImage(outputs.dindImage.name).inspect()).Id);
    expect((await registryGet(nodeRegistry.address, "/v2/_catalog")).body.repositories).toEqual([]);
  } finally {
    await nodeRegistry?.remove();
  }
}, 300_000);

test("the local docker commands' environment keeps the CLI on this engine, whatever context `docker context use` chose", async () => {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-cli-"));
  try {
    // A current context pointing at an engine that does not exist, as `docker context use elsewhere` leaves it.
    const meta = path.join(config, "contexts", "meta", createHash("sha256").update("elsewhere").digest("hex"));
    fs.mkdirSync(meta, { recursive: true });
    fs.writeFileSync(path.join(meta, "meta.json"), JSON.stringify({ Name: "elsewhere", Metadata: {}, Endpoints: { docker: { Host: "unix:///nonexistent/docker.sock", SkipTLSVerify: false } } }));
    fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ currentContext: "elsewhere" }));
    const { DOCKER_HOST: _host, DOCKER_CONTEXT: _context, ...inherited } = process.env;
    const env = { ...inherited, DOCKER_CONFIG: config };
    const engineId = (await engine.info()).ID;

    await expect(run("docker", ["info", "--format", "{{.ID}}"], { env })).rejects.toThrow(/nonexistent\/docker.sock/);
    const { stdout } = await run("docker", ["info", "--format", "{{.ID}}"], { env: { ...env, ...dockerCliEnvironment() } });
    expect(stdout.trim()).toBe(engineId);
  } finally {
    fs.rmSync(config, { recursive: true, force: true });
  }
});
