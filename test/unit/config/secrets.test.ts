import * as util from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../../components/config/config-error";
import { parseSettings } from "../../../components/config/parse-settings";
import { parse, ruleContext } from "../../support/config-problems";

const SECRET = "hunter2-correct-horse";

/** Everything a thrown config error lets a user or a log see. */
function errorText(config: Record<string, string>, secretKeys: string[]): string {
  try {
    parseSettings("ci", config, ruleContext([], secretKeys));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [String(error), (error as Error).stack, JSON.stringify(error), util.inspect(error, { depth: 10 })].join("\n");
  }
  throw new Error("config was accepted");
}

describe("a secret never appears in an error", () => {
  test.each([
    [
      "a password too long",
      { registry: JSON.stringify({ auth: { username: "ci" } }), registryPassword: SECRET.repeat(4) },
      [],
      "dind-stack:registryPassword: got a secret value (not shown); allowed: a secret of 8 to 72 bytes",
    ],
    [
      "an unparsable structured value of a key set as a secret",
      { registry: `{"port": 5000, "note": "${SECRET}"` },
      ["registry"],
      "dind-stack:registry: got an unparsable structured value (not shown); allowed: a YAML mapping or list",
    ],
    [
      "a wrong value under a key set as a secret",
      { registry: JSON.stringify({ port: SECRET }) },
      ["registry"],
      "dind-stack:registry.port: got a secret value (not shown); allowed: an integer from 1 to 65535",
    ],
    [
      "a near miss of an allowed value, set as a secret (a did-you-mean would hint at it)",
      { mode: "dinD" },
      ["mode"],
      'dind-stack:mode: got a secret value (not shown); allowed: one of "dind", "dood"',
    ],
  ])("%s", (_title, config, secretKeys, expected) => {
    const text = errorText(config, secretKeys);
    expect(text).toContain(expected);
    const secretValue = Object.values(config).find((value) => value.includes(SECRET)) ? SECRET : "dinD";
    expect(text).not.toContain(secretValue);
  });

  test("a password may start like a YAML mapping or list", () => {
    for (const password of ["{not-json-at-all", "[also-a-password]"]) {
      expect(parse({ registry: { auth: { username: "ci" } }, registryPassword: password }).registry.auth).toEqual({ username: "ci" });
    }
  });
});

describe("passwords stay Pulumi secrets inside the settings", () => {
  const settings = parse({
    registry: { auth: { username: "ci" }, proxy: { remoteUrl: "https://mirror.example", username: "pull" } },
    registryPassword: SECRET,
    registryProxyPassword: `${SECRET}-proxy`,
  });

  test("each is a secret Output holding the password", async () => {
    for (const [output, expected] of [
      [settings.registryPassword, SECRET],
      [settings.registryProxyPassword, `${SECRET}-proxy`],
    ] as const) {
      expect(pulumi.Output.isInstance(output)).toBe(true);
      expect(await pulumi.isSecret(output!)).toBe(true);
      expect(await new Promise((resolve) => output!.apply(resolve))).toBe(expected);
    }
  });

  test("printing the settings shows no password", () => {
    for (const text of [JSON.stringify(settings), util.inspect(settings, { depth: 10 }), `${settings.registryPassword}`]) {
      expect(text).not.toContain(SECRET);
    }
  });
});
