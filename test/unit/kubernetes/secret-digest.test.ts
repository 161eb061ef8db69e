// The digest on the registry's pod template that rolls it when its config Secret changes.
import { createHash, createHmac } from "node:crypto";
import { secretRolloutDigest } from "../../../components/kubernetes/secret-digest";

const content = (password: string) => ({ "config.yml": "version: 0.1\n", htpasswd: `builder:${password}\n` });

test("the same content gives the same digest on every run; another password, stack or purpose another one", () => {
  const digest = secretRolloutDigest("prod", "registry-config", content("first-password-1"));
  expect(digest).toMatch(/^[0-9a-f]{32}$/);
  expect(secretRolloutDigest("prod", "registry-config", content("first-password-1"))).toBe(digest);
  expect(secretRolloutDigest("prod", "registry-config", content("second-password-2"))).not.toBe(digest);
  expect(secretRolloutDigest("ci", "registry-config", content("first-password-1"))).not.toBe(digest);
  expect(secretRolloutDigest("prod", "other", content("first-password-1"))).not.toBe(digest);
});

test("it is neither the secret nor a plain or HMAC hash of it that a guess could be checked against at the cost of one hash", () => {
  const password = "first-password-1";
  const digest = secretRolloutDigest("prod", "registry-config", content(password));
  const text = JSON.stringify(content(password));
  const cheap = [password, text, content(password).htpasswd].flatMap((value) => [
    createHash("sha256").update(value).digest("hex"),
    createHmac("sha256", value).update("dind-stack prod registry-config").digest("hex"),
  ]);
  for (const hash of cheap) expect(hash).not.toContain(digest);
  expect(digest).not.toContain(Buffer.from(password).toString("hex"));
});
