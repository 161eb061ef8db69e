import { randomBytes } from "node:crypto";
import { execIn, execOk, ExecResult, fileInImage } from "./container-io";
import { engine } from "./engine";

/** A client container that builds with BuildKit through the stack's daemon (a DinD runner or a DooD client). */
export interface BuildkitClient {
  /** The client container. */
  container: string;
  /** An image its daemon can build FROM and run without any network. */
  baseImage: string;
  /** Repository prefix for the images the scenarios build, e.g. `dind-stack-test/bk`. */
  tagPrefix: string;
}

/** Writes `files` (name to content) into a new folder `dir` of a container; returns `dir`. */
export async function putFiles(container: string, dir: string, files: Record<string, string>): Promise<string> {
  const tar = await import("tar-stream");
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name: `${dir.replace(/^\//, "")}/${name}`, mode: 0o644 }, content);
  pack.finalize();
  await engine.getContainer(container).putArchive(pack as unknown as NodeJS.ReadableStream, { path: "/" });
  return dir;
}

/** Runs a shell script in the client; fails with its output unless it exits 0. Output is stdout and stderr together, as a CI log shows it. */
export async function shell(container: string, script: string, env: string[] = []): Promise<string> {
  const result: ExecResult = await execOk(container, ["sh", "-c", `exec 2>&1\n${script}`], env);
  return result.stdout;
}

/** The content of a file of an image the client's daemon has. */
export async function catInImage(client: BuildkitClient, image: string, file: string): Promise<string> {
  return fileInImage(client.container, image, file);
}

/** Whether the client's daemon has an image of that reference. */
export async function hasImage(client: BuildkitClient, image: string): Promise<boolean> {
  return (await execIn(client.container, ["docker", "image", "inspect", image])).exitCode === 0;
}

/**
 * `docker buildx build` of a one-step Dockerfile, with `--load` or without any output flag (the
 * docker driver then puts the result into the daemon's images all the same); the image runs.
 */
export async function buildxBuild(client: BuildkitClient, flags: string[], name: string): Promise<{ log: string; proof: string }> {
  const dir = await putFiles(client.container, `/tmp/${name}`, { Dockerfile: `FROM ${client.baseImage}\nRUN echo built-by-buildx-${name} > /proof\n` });
  const tag = `${client.tagPrefix}-${name}:1`;
  const log = await shell(client.container, `docker buildx build --progress plain ${flags.join(" ")} -t ${tag} ${dir}`);
  return { log, proof: (await catInImage(client, tag, "/proof")).trim() };
}

/**
 * A Dockerfile with `RUN --mount=type=cache` and `RUN --mount=type=secret`, built twice: the
 * second build sees what the first left in the cache mount (which no image contains), and the
 * secret reaches the step while no layer and no history line holds it.
 */
export async function expectMountsToWork(client: BuildkitClient): Promise<void> {
  const result = await mountsBuild(client);
  expect(result.firstSeen).toBe("build 1\n");
  expect(result.secondSeen).toBe("build 1\nbuild 2\n");
  expect(result.tokenDigest).toBe(result.secretDigest);
  expect(result.leaked).toBe("");
}

/** Builds the mounts Dockerfile twice; returns what each image saw, the secret's digest as the step saw it, and which saved files hold the secret. */
async function mountsBuild(client: BuildkitClient): Promise<{ firstSeen: string; secondSeen: string; tokenDigest: string; secretDigest: string; leaked: string }> {
  const secret = `secret-${randomBytes(12).toString("hex")}`;
  const cacheId = `dind-stack-test-${randomBytes(6).toString("hex")}`;
  const dockerfile = [
    `FROM ${client.baseImage}`,
    "ARG BUILD_NUMBER",
    `RUN --mount=type=cache,id=${cacheId},target=/var/cache/probe echo "build $BUILD_NUMBER" >> /var/cache/probe/builds && cp /var/cache/probe/builds /builds-seen`,
    "RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -c1-64 > /token.sha256",
    "",
  ].join("\n");
  const dir = await putFiles(client.container, "/tmp/mounts", { Dockerfile: dockerfile, "token.txt": secret });
  const tag = (n: number) => `${client.tagPrefix}-mounts:${n}`;
  for (const n of [1, 2]) {
    await shell(client.container, `docker buildx build --progress plain --load --build-arg BUILD_NUMBER=${n} --secret id=token,src=${dir}/token.txt -t ${tag(n)} ${dir}`);
  }
  const leaked = await shell(
    client.container,
    [
      `rm ${dir}/token.txt`,
      `docker save -o /tmp/mounts.tar ${tag(2)}`,
      `docker history --no-trunc ${tag(2)} > /tmp/mounts.history`,
      `grep -l '${secret}' /tmp/mounts.tar /tmp/mounts.history || true`,
      "rm -f /tmp/mounts.tar",
    ].join("\n"),
  );
  return {
    firstSeen: await catInImage(client, tag(1), "/builds-seen"),
    secondSeen: await catInImage(client, tag(2), "/builds-seen"),
    tokenDigest: (await catInImage(client, tag(2), "/token.sha256")).trim(),
    secretDigest: (await shell(client.container, `printf '%s' '${secret}' | sha256sum | cut -c1-64`)).trim(),
    leaked: leaked.trim(),
  };
}

/**
 * `docker compose up` of two services: a web server and a probe that fetches its page by the
 * service name. Nested DNS goes to 127.0.0.1 (nothing leaves the machine); the service names
 * resolve through the engine's embedded DNS. Returns the log of `up` and the probe's exit code.
 */
export async function composeUp(client: BuildkitClient, project: string): Promise<{ log: string; exitCode: number }> {
  const compose = [
    "services:",
    "  web:",
    `    image: ${client.baseImage}`,
    '    command: ["sh", "-c", "mkdir -p /www && echo served-by-compose-web > /www/index.html && exec httpd -f -p 8080 -h /www"]',
    "    dns: [127.0.0.1]",
    "    init: true",
    "  probe:",
    `    image: ${client.baseImage}`,
    "    depends_on: [web]",
    '    command: ["sh", "-c", "for i in $$(seq 1 50); do wget -q -O- http://web:8080/ && exit 0; sleep 0.2; done; exit 1"]',
    "    dns: [127.0.0.1]",
    "",
  ].join("\n");
  const dir = await putFiles(client.container, `/tmp/${project}`, { "compose.yaml": compose });
  const up = await execIn(client.container, [
    "sh",
    "-c",
    `exec 2>&1; cd ${dir} && docker compose -p ${project} up --abort-on-container-exit --exit-code-from probe; code=$?; docker compose -p ${project} down -v --remove-orphans >/dev/null 2>&1; exit $code`,
  ]);
  return { log: up.stdout, exitCode: up.exitCode };
}

/** The documented build with the registry as cache (docs/buildkit.md): import from the cache ref, export inline, push to it; `flags` go before the context. */
export function cachedBuildScript(name: string, dir: string, flags: string[] = []): string {
  return [
    `cache="$DIND_STACK_BUILD_CACHE/${name}"`,
    `docker buildx build --progress plain --cache-from "type=registry,ref=$cache" --cache-to type=inline --tag "$cache" --push ${[...flags, dir].join(" ")}`,
  ].join("\n");
}

/** The config of an image in a registry reached from the host at `hostAddress` (anonymously). */
export async function registryImageConfig(hostAddress: string, repository: string, tag: string): Promise<Record<string, unknown>> {
  const accept = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";
  const manifest = (await (await fetch(`http://${hostAddress}/v2/${repository}/manifests/${tag}`, { headers: { accept } })).json()) as { config: { digest: string } };
  return (await (await fetch(`http://${hostAddress}/v2/${repository}/blobs/${manifest.config.digest}`)).json()) as Record<string, unknown>;
}
