import { buildkitTraceText } from "../../engine/support/buildkit-trace";

/** Encodes a length-delimited protobuf field (enough for the test messages). */
function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, payload.length]), payload]);
}

function varintField(number: number, value: number): Buffer {
  return Buffer.from([(number << 3) | 0, value]);
}

test("step names and output are read from a BuildKit status message", () => {
  const vertex = Buffer.concat([field(1, Buffer.from("sha256:abc")), field(3, Buffer.from("[fetch 5/7] RUN verify"))]);
  const log = Buffer.concat([field(1, Buffer.from("sha256:abc")), varintField(3, 2), field(4, Buffer.from("[dind-image] ERROR: sha256 mismatch\n"))]);
  const status = Buffer.concat([field(1, vertex), field(3, log)]);
  expect(buildkitTraceText(status.toString("base64"))).toBe("#step [fetch 5/7] RUN verify\n[dind-image] ERROR: sha256 mismatch\n");
});

test("messages with neither steps nor logs give no text", () => {
  const statusOnly = field(2, Buffer.concat([field(1, Buffer.from("id")), varintField(4, 7)]));
  expect(buildkitTraceText(statusOnly.toString("base64"))).toBe("");
});
