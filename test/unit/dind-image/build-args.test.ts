import { dindBuildArgs, dindImageTag, platformOf } from "../../../components/dind-image/build-args";
import { parse, ruleContext } from "../../support/config-problems";

describe("DinD image build args", () => {
  test("defaults download the pinned 24.0.6 x86_64 tarball onto debian:bookworm-slim", () => {
    expect(dindBuildArgs(parse({}).dindImage)).toEqual({
      BASE_IMAGE: "debian:bookworm-slim",
      DOCKER_VERSION: "24.0.6",
      DOCKER_ARCH: "x86_64",
      DOCKER_SHA256: "99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f",
      DOCKER_DOWNLOAD_URL: "https://download.docker.com/linux/static/stable",
      DOCKER_TARBALL: "",
      EXTRA_PACKAGES: "",
      BUILDX_VERSION: "0.11.2",
      BUILDX_SHA256: "311568ee69715abc46163fd688e56c77ab0144ff32e116d0f293bfc3470e75b7",
      BUILDX_URL: "https://github.com/docker/buildx/releases/download/v0.11.2/buildx-v0.11.2.linux-amd64",
      BUILDX_FILE: "",
      COMPOSE_VERSION: "2.21.0",
      COMPOSE_SHA256: "08e549924823e97a3ea303c2309b812dfd5223b8be5ff96fe41bf75181ce0977",
      COMPOSE_URL: "https://github.com/docker/compose/releases/download/v2.21.0/docker-compose-linux-x86_64",
      COMPOSE_FILE: "",
    });
  });

  test("a local tarball, a mirror, another base and extra packages", () => {
    const settings = parse(
      {
        dindImage: {
          dockerVersion: "20.10.24",
          sha256: "c".repeat(64),
          localTarball: "/cache/docker-20.10.24.tgz",
          downloadUrl: "http://mirror.example/static/",
          baseImage: "ubuntu:22.04",
          extraPackages: ["libdevmapper1.02.1", "git"],
        },
      },
      ruleContext(["/cache/docker-20.10.24.tgz"]),
    ).dindImage;
    expect(dindBuildArgs(settings)).toMatchObject({
      BASE_IMAGE: "ubuntu:22.04",
      DOCKER_VERSION: "20.10.24",
      DOCKER_ARCH: "x86_64",
      DOCKER_SHA256: "c".repeat(64),
      DOCKER_DOWNLOAD_URL: "http://mirror.example/static",
      DOCKER_TARBALL: "offline/docker-20.10.24-x86_64.tgz",
      EXTRA_PACKAGES: "libdevmapper1.02.1 git",
    });
  });

  test("a configured sha256 wins over the pinned one", () => {
    expect(dindBuildArgs(parse({ dindImage: { sha256: "d".repeat(64) } }).dindImage).DOCKER_SHA256).toBe("d".repeat(64));
  });

  test("platform and tag", () => {
    expect(platformOf("x86_64")).toBe("linux/amd64");
    expect(platformOf("aarch64")).toBe("linux/arm64");
    expect(dindImageTag(parse({}).dindImage, "ci")).toBe("dind-stack/dind:24.0.6-ci");
    expect(dindImageTag(parse({ dindImage: { imageName: "mirror.example:5000/ci/dind", tag: "v1" } }).dindImage, "ci")).toBe("mirror.example:5000/ci/dind:v1");
  });
});
