// The image ships no python3 or jq, so daemon.json is checked by an awk JSON parser
// (dind-json-object.sh); these cases run that parser on the host's sh and awk.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/stack-config";

const SCRIPT = path.join(REPO_ROOT, "components", "dind-image", "docker", "dind-json-object.sh");

function check(text: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("sh", [SCRIPT], { input: text, encoding: "utf8", env: { ...process.env, DIND_JSON_TOOL: "awk" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the image's daemon.json checker (awk parser)", () => {
  test("an object's top-level members are listed with their types; nested keys are not", () => {
    const result = check('{"insecure-registries":["registry:5000"],"mtu":1400,"log-opts":{"hosts":"nested"},"debug":true,"data-root":"/var/lib/docker"}');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "insecure-registries\tarray\t",
      "mtu\tnumber\t",
      "log-opts\tobject\t",
      "debug\tboolean\t",
      "data-root\tstring\t/var/lib/docker",
    ]);
  });

  test("what the stack renders passes", () => {
    const rendered = JSON.stringify({ "insecure-registries": ["registry:5000"], "log-driver": "json-file", "log-opts": { "max-size": "10m", "max-file": "3" } });
    expect(check(rendered).status).toBe(0);
  });

  test.each([
    ["an array", "[1,2]"],
    ["a string", '"debug"'],
    ["only whitespace", "  \n "],
    ["a trailing comma", '{"debug":true,}'],
    ["two objects", '{"a":1}{"b":2}'],
    ["an unterminated string", '{"a":"b}'],
    ["a bare word", "{debug:true}"],
  ])("%s is refused with a reason", (_what, text) => {
    const result = check(text);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().length).toBeGreaterThan(0);
  });
});
