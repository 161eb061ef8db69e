import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/pulumi";
import { imageReferenceProblem } from "../../../policy/checks/image-references";
import { policyMessages } from "./support/pack-harness";

const DIGEST = "sha256:99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f";
const imageFindings = (declare: () => CustomResource[]) => policyMessages("pinned-image-references", "ci", declare);

test.each([
  ["registry:2", undefined],
  ["debian:bookworm-slim", undefined],
  ["mirror.example:5000/library/debian:bookworm-slim", undefined],
  ["127.0.0.1:5000/app:1.0", undefined],
  [`debian@${DIGEST}`, undefined],
  [`debian:latest@${DIGEST}`, undefined],
  [DIGEST, undefined],
  ["nginx", "has neither a tag nor a digest, so it means the moving tag latest"],
  ["127.0.0.1:5000/app", "has neither a tag nor a digest, so it means the moving tag latest"],
  ["nginx:latest", "uses the moving tag latest"],
  ["Not An Image", expect.stringMatching(/^is not an image reference \(/)],
])("%s: %s", (reference, problem) => {
  expect(imageReferenceProblem(reference)).toEqual(problem);
});

test("Docker: what RemoteImage pulls, what Image builds, its base image build arg and a container's image are all checked", async () => {
  expect(
    await imageFindings(() => [
      new docker.RemoteImage("registry", { name: "registry:latest" }),
      new docker.Image("dind", { imageName: "dind-stack/dind", build: { context: ".", args: { BASE_IMAGE: "debian", DOCKER_VERSION: "24.0.6" } }, skipPush: true }),
      new docker.Container("web", { name: "web", image: "nginx" }),
      new docker.Container("pinned", { name: "pinned", image: DIGEST }),
    ]),
  ).toEqual([
    'container web uses image "nginx", which has neither a tag nor a digest, so it means the moving tag latest; pin a tag other than latest, or a digest',
    expect.stringMatching(/^image dind uses image "dind-stack\/dind", which has neither a tag nor a digest/),
    expect.stringMatching(/^image dind-stack\/dind, build arg BASE_IMAGE uses image "debian", which has neither a tag nor a digest/),
    expect.stringMatching(/^remote image registry uses image "registry:latest", which uses the moving tag latest/),
  ]);
});

test("Kubernetes: every container of a pod template, init containers included", async () => {
  expect(
    await imageFindings(() => [
      new k8s.batch.v1.Job("build", {
        metadata: { name: "build", namespace: "ci" },
        spec: {
          template: {
            spec: {
              restartPolicy: "Never",
              initContainers: [{ name: "fetch", image: "alpine:latest" }],
              containers: [{ name: "build", image: `docker@${DIGEST}` }],
            },
          },
        },
      }),
    ]),
  ).toEqual([expect.stringMatching(/^Job ci\/build, container fetch uses image "alpine:latest", which uses the moving tag latest/)]);
});

test("only build args whose name ends in IMAGE are image references: IMAGE_VERSION is not", async () => {
  const labelled = () => [
    new docker.Image("app", { imageName: "example/app:1.4.0", build: { context: ".", args: { BASE_IMAGE: "debian:bookworm-slim", IMAGE_VERSION: "1.4.0" } }, skipPush: true }),
  ];
  expect(await imageFindings(labelled)).toEqual([]);
});
