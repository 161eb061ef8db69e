// The harness's own waits on a real engine: waiting for a container to become healthy ends as
// soon as the container has exited, with its exit code and log, instead of running out the clock.
import { removeTestObjects } from "./support/cleanup";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./support/engine";
import { BUSYBOX_IMAGE, ensureBusybox } from "./support/test-images";
import { waitHealthy } from "./support/waiting";

const NAME = "dind-stack-test-waits-exits";

afterAll(() => removeTestObjects({ images: false }), 60_000);

test("waiting for health gives up when the container exits, naming the exit code and showing the log", async () => {
  await ensureBusybox();
  const container = await engine.createContainer({
    name: NAME,
    Image: BUSYBOX_IMAGE,
    Cmd: ["sh", "-c", "echo giving-up-early; exit 3"],
    Labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    Healthcheck: { Test: ["CMD", "true"], Interval: 1e9, Retries: 3 },
    HostConfig: { NetworkMode: "none" },
  });
  await container.start();
  const failure = await waitHealthy(NAME, 600_000).then(
    () => "became healthy",
    (error: Error) => error.message,
  );
  expect(failure).toMatch(new RegExp(`^${NAME} is exited \\(exit 3\\)`));
  expect(failure).toContain("giving-up-early");
  expect(failure).not.toMatch(/timed out/);
});
