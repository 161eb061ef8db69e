import { chooseBackend, missingPassphrase, usesPassphrase } from "../../../scripts/pulumi/backend";

describe("backend", () => {
  test("PULUMI_BACKEND_URL wins over Pulumi.yaml's backend.url, which wins over `pulumi login`", () => {
    expect(chooseBackend({ PULUMI_BACKEND_URL: "s3://state" }, "file://~")).toEqual({ url: "s3://state", source: "PULUMI_BACKEND_URL" });
    expect(chooseBackend({}, "file://~")).toEqual({ url: "file://~", source: "Pulumi.yaml" });
    expect(chooseBackend({ PULUMI_BACKEND_URL: "" }, "file://~")).toEqual({ url: "file://~", source: "Pulumi.yaml" });
    expect(chooseBackend({}, undefined)).toBeUndefined();
  });

  test.each([
    ["file://~", undefined, true],
    ["s3://state?region=eu-west-1", undefined, true],
    ["azblob://state", "passphrase", true],
    ["gs://state", "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k", false],
    ["https://api.pulumi.com", undefined, false],
    ["http://pulumi.internal:8080", undefined, false],
  ])("%s with secretsprovider %s needs a passphrase: %s", (url, provider, expected) => {
    expect(usesPassphrase({ url, source: "PULUMI_BACKEND_URL" }, provider)).toBe(expected);
  });
});

describe("passphrase", () => {
  const backend = { url: "file://~", source: "Pulumi.yaml" as const };

  test("set in PULUMI_CONFIG_PASSPHRASE or by a file: nothing to say", () => {
    expect(missingPassphrase({ PULUMI_CONFIG_PASSPHRASE: "x" }, "dev", backend)).toBeUndefined();
    expect(missingPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/pulumi" }, "dev", backend)).toBeUndefined();
  });

  test("missing, or empty as a CI secret that does not exist arrives: one line naming what to set", () => {
    for (const env of [{}, { PULUMI_CONFIG_PASSPHRASE: "" }]) {
      const message = missingPassphrase(env, "dev", backend)!;
      expect(message).toBe(
        "set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase of stack dev's secrets in file://~; a new stack takes the one set when it is created",
      );
      expect(message).not.toContain("\n");
    }
  });
});
