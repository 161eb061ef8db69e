import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOCKERFILE_DIR, stageBuildContext } from "../../../components/dind-image/build-context";

describe("staging the DinD build context", () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-context-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test("without local files: the repo's build files and empty offline and plugins folders", () => {
    const context = stageBuildContext(path.join(work, "ctx"));
    for (const file of fs.readdirSync(DOCKERFILE_DIR)) {
      expect(fs.readFileSync(path.join(context, file))).toEqual(fs.readFileSync(path.join(DOCKERFILE_DIR, file)));
    }
    expect(fs.readdirSync(path.join(context, "offline"))).toEqual([".keep"]);
    expect(fs.readdirSync(path.join(context, "plugins"))).toEqual([".keep"]);
  });

  test("the entrypoint stays executable", () => {
    const context = stageBuildContext(path.join(work, "ctx"));
    const scripts = fs.readdirSync(context).filter((file) => file.endsWith(".sh"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(fs.statSync(path.join(context, script)).mode & 0o111).not.toBe(0);
  });

  test("with local files: exactly those files, at the paths the build args name; a stale one is removed", () => {
    const tarball = path.join(work, "docker.tgz");
    const buildx = path.join(work, "buildx");
    fs.writeFileSync(tarball, "tarball bytes");
    fs.writeFileSync(buildx, "buildx bytes");
    const ctx = path.join(work, "ctx");
    fs.mkdirSync(path.join(ctx, "offline"), { recursive: true });
    fs.writeFileSync(path.join(ctx, "offline", "docker-old.tgz"), "old");
    stageBuildContext(ctx, { "offline/docker-24.0.6-x86_64.tgz": tarball, "plugins/docker-buildx-0.11.2-x86_64": buildx });
    expect(fs.readdirSync(path.join(ctx, "offline")).sort()).toEqual([".keep", "docker-24.0.6-x86_64.tgz"]);
    expect(fs.readdirSync(path.join(ctx, "plugins")).sort()).toEqual([".keep", "docker-buildx-0.11.2-x86_64"]);
    expect(fs.readFileSync(path.join(ctx, "offline", "docker-24.0.6-x86_64.tgz"), "utf8")).toBe("tarball bytes");
    expect(fs.readFileSync(path.join(ctx, "plugins", "docker-buildx-0.11.2-x86_64"), "utf8")).toBe("buildx bytes");
    stageBuildContext(ctx, { "offline/docker-24.0.6-x86_64.tgz": tarball });
    expect(fs.readdirSync(path.join(ctx, "plugins"))).toEqual([".keep"]);
  });

  test("restaging after the tarball changed picks up the new bytes", () => {
    const tarball = path.join(work, "docker.tgz");
    const ctx = path.join(work, "ctx");
    fs.writeFileSync(tarball, "first");
    stageBuildContext(ctx, { "offline/t.tgz": tarball });
    fs.rmSync(tarball);
    fs.writeFileSync(tarball, "second, longer");
    stageBuildContext(ctx, { "offline/t.tgz": tarball });
    expect(fs.readFileSync(path.join(ctx, "offline", "t.tgz"), "utf8")).toBe("second, longer");
  });

  test("a file that no longer exists in the repository is removed from a context staged before", () => {
    const ctx = path.join(work, "ctx");
    stageBuildContext(ctx);
    fs.writeFileSync(path.join(ctx, "dind-removed-script.sh"), "#!/bin/sh\n");
    stageBuildContext(ctx);
    expect(fs.readdirSync(ctx).sort()).toEqual([...fs.readdirSync(DOCKERFILE_DIR), "offline", "plugins"].sort());
  });
});
