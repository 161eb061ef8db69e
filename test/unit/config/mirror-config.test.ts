// The mirror list and the registry's storage keys, with real archives on disk (written in the
// layouts `docker save` and scripts/export-registry.sh produce): every bad value is refused
// before anything is declared, naming the stack's key, the value and what is allowed.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, problemLines, ruleContext } from "../../support/config-problems";
import { savedImageId, scratchDir, writeRegistryArchive, writeSavedArchive, writeTar } from "../../support/archives";

const dir = scratchDir("mirror-config");
const file = (name: string) => path.join(dir, name);
const NGINX = { tags: ["nginx:alpine"], content: "nginx" };
const FLANNEL = { tags: ["quay.io/coreos/flannel:v0.11.0-amd64"], content: "flannel" };
let existing: string[] = [];

beforeAll(async () => {
  await writeSavedArchive(file("nginx.tar"), [NGINX]);
  await writeSavedArchive(file("images.tar.gz"), [NGINX, FLANNEL]);
  await writeSavedArchive(file("untagged.tar"), [{ tags: [], content: "untagged" }]);
  await writeRegistryArchive(file("registry.tar.gz"), ["library/nginx", "coreos/flannel"]);
  await writeRegistryArchive(file("dot-registry.tar"), ["library/nginx"], "./");
  await writeTar(file("other.tar"), { "etc/hostname": "x" });
  fs.writeFileSync(file("not-a-tar.bin"), "plain text, not an archive\n".repeat(40));
  fs.mkdirSync(file("storage"));
  existing = fs.readdirSync(dir).map(file);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const lines = (config: Record<string, unknown>) => problemLines(config, ruleContext(existing, undefined, [file("storage")]));

describe("a good mirror list and storage are accepted", () => {
  test("archives (tar and tar.gz, the pinned ID), pulls, a repository override; a host directory; a restore archive with or without ./", () => {
    const settings = parse(
      {
        mirror: [
          { source: "nginx:alpine", archive: file("nginx.tar") },
          { source: "quay.io/coreos/flannel:v0.11.0-amd64", archive: file("images.tar.gz"), digest: savedImageId(FLANNEL) },
          { source: "mysql:5.7", repository: "db/mysql" },
        ],
        registry: { restoreArchive: file("dot-registry.tar") },
      },
      ruleContext(existing),
    );
    expect(settings.mirror.map((entry) => entry.source)).toEqual(["nginx:alpine", "quay.io/coreos/flannel:v0.11.0-amd64", "mysql:5.7"]);
    expect(parse({ registry: { restoreArchive: file("registry.tar.gz") } }, ruleContext(existing)).registry.restoreArchive).toBe(file("registry.tar.gz"));
    expect(parse({ registry: { hostPath: file("storage") } }, ruleContext([], undefined, [file("storage")])).registry.hostPath).toBe(file("storage"));
  });
});

describe("bad mirror lists and storage are refused with the key, the value and what is allowed", () => {
  const rows: [string, () => Record<string, unknown>, () => string][] = [
    [
      "an archive that does not exist",
      () => ({ mirror: [{ source: "nginx:alpine", archive: file("missing.tar") }] }),
      () =>
        `dind-stack:mirror[0].archive: got "${file("missing.tar")}", which is not an existing file; allowed: a \`docker save\` archive of nginx:alpine (tar or tar.gz; absolute, or relative to the project directory)`,
    ],
    [
      "an archive that is not a tar",
      () => ({ mirror: [{ source: "nginx:alpine", archive: file("not-a-tar.bin") }] }),
      () =>
        `dind-stack:mirror[0].archive: got "${file("not-a-tar.bin")}", which is not a \`docker save\` archive (This does not look like a tar archive); allowed: a \`docker save\` archive of nginx:alpine (tar or tar.gz; absolute, or relative to the project directory)`,
    ],
    [
      "a tar without manifest.json (a registry archive given as an image archive)",
      () => ({ mirror: [{ source: "nginx:alpine", archive: file("registry.tar.gz") }] }),
      () =>
        `dind-stack:mirror[0].archive: got "${file("registry.tar.gz")}", which is not a \`docker save\` archive (manifest.json: Not found in archive); allowed: a \`docker save\` archive of nginx:alpine (tar or tar.gz; absolute, or relative to the project directory)`,
    ],
    [
      "an archive of other images",
      () => ({ mirror: [{ source: "nginx:1.25", archive: file("images.tar.gz") }] }),
      () => `dind-stack:mirror[0].archive: got "${file("images.tar.gz")}", which holds nginx:alpine, quay.io/coreos/flannel:v0.11.0-amd64 but not nginx:1.25; allowed: an archive made with \`docker save -o <file> nginx:1.25\``,
    ],
    [
      "an archive saved by image ID",
      () => ({ mirror: [{ source: "nginx:alpine", archive: file("untagged.tar") }] }),
      () => `dind-stack:mirror[0].archive: got "${file("untagged.tar")}", which holds only untagged images (saved by ID) but not nginx:alpine; allowed: an archive made with \`docker save -o <file> nginx:alpine\``,
    ],
    [
      "a digest the archived image does not have",
      () => ({ mirror: [{ source: "nginx:alpine", archive: file("nginx.tar"), digest: `sha256:${"1".repeat(64)}` }] }),
      () =>
        `dind-stack:mirror[0].digest: got "sha256:${"1".repeat(64)}", but nginx:alpine in ${file("nginx.tar")} is ${savedImageId(NGINX)}; allowed: the image ID of the image to mirror (\`docker inspect -f '{{.Id}}' nginx:alpine\`)`,
    ],
    [
      "a source that cannot be parsed",
      () => ({ mirror: [{ source: "Nginx:alpine" }] }),
      () => 'dind-stack:mirror[0].source: got "Nginx:alpine"; allowed: an image reference without digest, such as "nginx:alpine" or "quay.io/coreos/flannel:v0.11.0-amd64"',
    ],
    [
      "a source with a digest",
      () => ({ mirror: [{ source: `nginx@sha256:${"a".repeat(64)}` }] }),
      () => `dind-stack:mirror[0].source: got "nginx@sha256:${"a".repeat(64)}"; allowed: an image reference without digest, such as "nginx:alpine" or "quay.io/coreos/flannel:v0.11.0-amd64"`,
    ],
    [
      "a repository with a registry host",
      () => ({ mirror: [{ source: "nginx:alpine", repository: "localhost:5000/web/nginx" }] }),
      () => 'dind-stack:mirror[0].repository: got "localhost:5000/web/nginx"; allowed: a repository path without registry host, optionally with a tag, such as "coreos/flannel" or "tools/nginx:1.25"',
    ],
    [
      "a digest that is not an image ID",
      () => ({ mirror: [{ source: "nginx:alpine", digest: "a".repeat(64) }] }),
      () => `dind-stack:mirror[0].digest: got "${"a".repeat(64)}"; allowed: an image ID: "sha256:" and 64 lowercase hex digits, as \`docker inspect -f {{.Id}}\` prints it`,
    ],
    [
      "two entries landing at one local reference (the Hub name written twice)",
      () => ({ mirror: [{ source: "nginx:alpine" }, { source: "docker.io/library/nginx:alpine" }] }),
      () => 'dind-stack:mirror[1]: got "docker.io/library/nginx:alpine", which lands at library/nginx:alpine in the registry like [0]; allowed: each local reference once (set repository to put an entry elsewhere)',
    ],
    [
      "two entries landing at one local reference (through repository)",
      () => ({ mirror: [{ source: "quay.io/coreos/flannel:v0.11.0-amd64" }, { source: "example.org/flannel:v0.11.0-amd64", repository: "coreos/flannel" }] }),
      () => 'dind-stack:mirror[1]: got "example.org/flannel:v0.11.0-amd64", which lands at coreos/flannel:v0.11.0-amd64 in the registry like [0]; allowed: each local reference once (set repository to put an entry elsewhere)',
    ],
    [
      "a mirror list for a pull-through cache",
      () => ({ mirror: [{ source: "nginx:alpine" }], registry: { proxy: { remoteUrl: "https://registry-1.docker.io" } } }),
      () =>
        "dind-stack:mirror: got 1 image(s) for a registry that is a pull-through cache (dind-stack:registry.proxy), which cannot be pushed to; allowed: a mirror list only for a registry without proxy",
    ],
    [
      "a mirror list on the Kubernetes target",
      () => ({ target: "kubernetes", kubernetes: { dindImage: { reference: "registry.example/dind:24.0.6" } }, registryPassword: "cluster-password-1", mirror: [{ source: "nginx:alpine" }] }),
      () => 'dind-stack:mirror: got 1 image(s) with dind-stack:target "kubernetes"; allowed: a mirror list only with target "docker" (on a cluster, push the images to the registry\'s Service address)',
    ],
    [
      "a registry host directory on the Kubernetes target",
      () => ({ target: "kubernetes", kubernetes: { dindImage: { reference: "registry.example/dind:24.0.6" } }, registryPassword: "cluster-password-1", registry: { hostPath: file("storage") } }),
      () => `dind-stack:registry.hostPath: got "${file("storage")}" with dind-stack:target "kubernetes"; allowed: only with target "docker" (on a cluster the registry keeps its data in a volume claim)`,
    ],
    [
      "a host directory that does not exist",
      () => ({ registry: { hostPath: file("nowhere") } }),
      () => `dind-stack:registry.hostPath: got "${file("nowhere")}", which is not an existing directory; allowed: an existing directory on the Docker host (checked on the machine running Pulumi)`,
    ],
    ["a relative host directory", () => ({ registry: { hostPath: "srv/registry" } }), () => 'dind-stack:registry.hostPath: got "srv/registry"; allowed: an absolute path such as "/srv/registry"'],
    [
      "a host directory and a volume name",
      () => ({ registry: { hostPath: file("storage"), volumeName: "registry-data" } }),
      () => 'dind-stack:registry.volumeName: got "registry-data" together with dind-stack:registry.hostPath; allowed: one of them, a named volume or a host directory',
    ],
    [
      "a restore into a host directory",
      () => ({ registry: { hostPath: file("storage"), restoreArchive: file("registry.tar.gz") } }),
      () =>
        `dind-stack:registry.restoreArchive: got "${file("registry.tar.gz")}" together with dind-stack:registry.hostPath; allowed: a restore only into the named volume (a host directory is used as it is)`,
    ],
    [
      "a restore archive that does not exist",
      () => ({ registry: { restoreArchive: file("missing.tar.gz") } }),
      () => `dind-stack:registry.restoreArchive: got "${file("missing.tar.gz")}", which is not an existing file; allowed: an archive of a registry's storage (absolute, or relative to the project directory)`,
    ],
    [
      "a restore archive that is an image archive",
      () => ({ registry: { restoreArchive: file("nginx.tar") } }),
      () =>
        `dind-stack:registry.restoreArchive: got "${file("nginx.tar")}", which is not a registry storage archive that restores safely: it holds no docker/registry/v2/ at its top (it starts with ${savedImageId(NGINX).slice(7)}.json, manifest.json); allowed: an archive of /var/lib/registry with docker/registry/v2/ at its top (scripts/export-registry.sh) holding only files, directories and links that stay inside it, at most dind-stack:registry.restoreSizeLimit (100Gi) in all`,
    ],
    [
      "a restore archive that is not a tar",
      () => ({ registry: { restoreArchive: file("not-a-tar.bin") } }),
      () =>
        `dind-stack:registry.restoreArchive: got "${file("not-a-tar.bin")}", which is not a registry storage archive that restores safely: it cannot be read as a tar archive (Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?); allowed: an archive of /var/lib/registry with docker/registry/v2/ at its top (scripts/export-registry.sh) holding only files, directories and links that stay inside it, at most dind-stack:registry.restoreSizeLimit (100Gi) in all`,
    ],
  ];

  test.each(rows)("%s", (_title, config, expected) => {
    expect(lines(config())).toEqual([expected()]);
  });

  test("every problem of a list is reported at once", () => {
    const problems = lines({
      mirror: [{ source: "nginx:alpine", archive: file("missing.tar") }, { source: "docker.io/nginx:alpine" }, { source: "quay.io/coreos/flannel:v0.11.0-amd64", archive: file("nginx.tar") }],
    });
    expect(problems.map((line) => line.slice(0, line.indexOf(":", "dind-stack:".length)))).toEqual(["dind-stack:mirror[1]", "dind-stack:mirror[0].archive", "dind-stack:mirror[2].archive"]);
  });
});
