import * as fs from "node:fs";
import * as path from "node:path";
import { dindBuildArgs, localFiles } from "../../../components/dind-image/build-args";
import { DOCKERFILE_DIR } from "../../../components/dind-image/build-context";
import { parse, problemLines, ruleContext } from "../../support/config-problems";

const OTHER_SHA = "e".repeat(64);

describe("the buildx and compose plugins of the DinD image", () => {
  test("aarch64 downloads each project's arm64 asset, checked against the sha256 pinned for it", () => {
    const args = dindBuildArgs(parse({ dindImage: { arch: "aarch64", sha256: OTHER_SHA } }).dindImage);
    expect(args).toMatchObject({
      BUILDX_URL: "https://github.com/docker/buildx/releases/download/v0.11.2/buildx-v0.11.2.linux-arm64",
      BUILDX_SHA256: "565e36085a35bba5104f37365ba796c111338eea1a0902b3a7ff42e2e1248815",
      COMPOSE_URL: "https://github.com/docker/compose/releases/download/v2.21.0/docker-compose-linux-aarch64",
      COMPOSE_SHA256: "5daf8d1a04cd649ad4a64221d0ca0cffcce33c740e60d5b15698545ce6d0436b",
    });
  });

  test("another version from a mirror, with its sha256", () => {
    const settings = parse({ dindImage: { buildx: { version: "0.13.1", sha256: OTHER_SHA, downloadUrl: "http://mirror.example/buildx/" } } }).dindImage;
    expect(dindBuildArgs(settings)).toMatchObject({
      BUILDX_VERSION: "0.13.1",
      BUILDX_SHA256: OTHER_SHA,
      BUILDX_URL: "http://mirror.example/buildx/v0.13.1/buildx-v0.13.1.linux-amd64",
    });
  });

  test("a version without a pinned checksum needs one, and the error names the plugin's key", () => {
    expect(problemLines({ dindImage: { compose: { version: "2.26.1" } } })).toEqual([
      "dind-stack:dindImage.compose.sha256: missing; allowed: 64 lowercase hex digits, required because no trusted checksum is pinned for compose 2.26.1 (x86_64)",
    ]);
    expect(problemLines({ dindImage: { arch: "aarch64", sha256: OTHER_SHA, buildx: { version: "0.12.0" } } })).toEqual([
      expect.stringMatching(/^dind-stack:dindImage\.buildx\.sha256: missing; .* buildx 0\.12\.0 \(aarch64\)$/),
    ]);
  });

  test("a plugin turned off needs no checksum and is left out of the build", () => {
    const settings = parse({ dindImage: { buildx: { enabled: false, version: "9.9.9", localFile: "/nowhere/buildx" } } }).dindImage;
    expect(dindBuildArgs(settings)).toMatchObject({ BUILDX_VERSION: "", BUILDX_SHA256: "", BUILDX_URL: "", BUILDX_FILE: "", COMPOSE_VERSION: "2.21.0" });
    expect(localFiles(settings)).toEqual({});
  });

  test("local files (air-gapped): the plugins in the build context's plugins/ folder, the tarball in offline/, named in the build args", () => {
    const files = ["/srv/offline/docker.tgz", "/srv/offline/buildx", "/srv/offline/compose"];
    const settings = parse(
      {
        dindImage: {
          localTarball: files[0],
          buildx: { localFile: files[1] },
          compose: { version: "2.26.1", sha256: OTHER_SHA, localFile: files[2] },
        },
      },
      ruleContext(files),
    ).dindImage;
    expect(localFiles(settings)).toEqual({
      "offline/docker-24.0.6-x86_64.tgz": files[0],
      "plugins/docker-buildx-0.11.2-x86_64": files[1],
      "plugins/docker-compose-2.26.1-x86_64": files[2],
    });
    expect(dindBuildArgs(settings)).toMatchObject({ BUILDX_FILE: "plugins/docker-buildx-0.11.2-x86_64", COMPOSE_FILE: "plugins/docker-compose-2.26.1-x86_64" });
  });

  test("a local file that does not exist is refused by its key", () => {
    expect(problemLines({ dindImage: { compose: { localFile: "/srv/missing-compose" } } })).toEqual([
      'dind-stack:dindImage.compose.localFile: got "/srv/missing-compose", which is not an existing file; allowed: the path of a downloaded compose binary (absolute, or relative to the project directory)',
    ]);
  });

  test("an unknown key in a plugin's section is refused", () => {
    expect(problemLines({ dindImage: { buildx: { url: "http://x" } } })).toEqual([expect.stringMatching(/^dind-stack:dindImage\.buildx\.url: /)]);
  });

  test("the Dockerfile's own defaults are the stack's default plugin args, so a build by hand verifies the same pins", () => {
    const dockerfile = fs.readFileSync(path.join(DOCKERFILE_DIR, "Dockerfile"), "utf8");
    const defaults = dindBuildArgs(parse({}).dindImage);
    for (const name of ["BUILDX_VERSION", "BUILDX_SHA256", "BUILDX_URL", "COMPOSE_VERSION", "COMPOSE_SHA256", "COMPOSE_URL"]) {
      const declared = [...dockerfile.matchAll(new RegExp(`^ARG ${name}=(.*)$`, "gm"))].map((match) => match[1]);
      expect(declared.length).toBeGreaterThan(0);
      for (const value of declared) expect(`${name}=${value}`).toBe(`${name}=${defaults[name]}`);
    }
  });
});
