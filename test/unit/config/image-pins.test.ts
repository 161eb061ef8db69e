// Every image reference the config takes is pinned as the policy pack requires
// (pinned-image-references): an untagged or `:latest` reference is refused when the config is
// read, naming the key, instead of by the pack in CI, naming a URN.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, problemLines, ruleContext } from "../../support/config-problems";
import { scratchDir, writeSavedArchive } from "../../support/archives";

const PINNED = 'allowed: an image reference with a tag other than latest, or a digest, such as "registry:2" or "mirror.example:5000/library/debian:bookworm-slim" (without a tag Docker takes the moving tag latest)';
const DIGEST = "sha256:99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f";
const onCluster = (reference: string) => ({ target: "kubernetes", registryPassword: "cluster-password-1", kubernetes: { dindImage: { reference } } });

/** Each image-reference key, as a config that sets it to `reference`. */
const KEYS: [string, (reference: string) => Record<string, unknown>][] = [
  ["dindImage.baseImage", (reference) => ({ dindImage: { baseImage: reference } })],
  ["registry.image", (reference) => ({ registry: { image: reference } })],
  ["workloads.clients[0].image", (reference) => ({ workloads: { clients: [{ name: "runner", image: reference }] } })],
  ["kubernetes.dindImage.reference", onCluster],
];

describe.each(KEYS)("dind-stack:%s", (key, config) => {
  test.each(["debian", "mirror.example:5000/library/debian", "debian:latest", "mirror.example:5000/library/registry:latest"])("refuses %s, naming the key", (reference) => {
    expect(problemLines(config(reference))).toEqual([`dind-stack:${key}: got ${JSON.stringify(reference)}; ${PINNED}`]);
  });

  test.each(["debian:bookworm-slim", "mirror.example:5000/library/registry:2", `debian@${DIGEST}`, `debian:latest@${DIGEST}`])("takes %s", (reference) => {
    expect(() => parse(config(reference))).not.toThrow();
  });
});

test("the DinD image is never built under the tag latest", () => {
  expect(problemLines({ dindImage: { tag: "latest" } })).toEqual([
    'dind-stack:dindImage.tag: got "latest"; allowed: an image tag other than latest: letters, digits, _ . - (at most 128, not starting with . or -)',
  ]);
  expect(parse({ dindImage: { tag: "ci-1" } }).dindImage.tag).toBe("ci-1");
});

describe("mirror[].source", () => {
  const dir = scratchDir("image-pins");
  const archive = path.join(dir, "nginx-latest.tar");
  beforeAll(() => writeSavedArchive(archive, [{ tags: ["nginx:latest"], content: "nginx" }]));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ["nginx", "has neither a tag nor a digest, so it means the moving tag latest"],
    ["nginx:latest", "uses the moving tag latest"],
  ])("refuses %s when it is pulled, naming the entry's key", (source, why) => {
    expect(problemLines({ mirror: [{ source: "busybox:1.36" }, { source }] })).toEqual([
      `dind-stack:mirror[1].source: got ${JSON.stringify(source)}, which is pulled and ${why}; allowed: a tag other than latest, such as "nginx:1.27-alpine" (or an archive, whose image ID pins it)`,
    ]);
  });

  test("takes :latest from an archive: the image ID read from the archive decides what lands", () => {
    const settings = parse({ mirror: [{ source: "nginx:latest", archive }] }, ruleContext([archive]));
    expect(settings.mirror[0]).toMatchObject({ source: "nginx:latest", archive });
  });
});
