import * as fs from "node:fs";
import * as path from "node:path";
import { referenceMarkdown } from "../../components/config/reference";
import { REPO_ROOT } from "../support/stack-config";

const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

test("the README's config reference is the one generated from the schema", () => {
  const section = /<!-- config-reference:start[^>]*-->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme);
  expect(section).not.toBeNull();
  expect(section![1]).toBe(referenceMarkdown());
});

test("CI runs exactly the README's test command", () => {
  const testSection = readme.slice(readme.indexOf("## Test"));
  const command = /```sh\n([^\n]+)\n```/.exec(testSection)![1];
  const ciScript = fs.readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8").trim().split("\n");
  expect(command).toBe("npm test");
  expect(ciScript).toContain(command);
});

test("every stack output is documented", () => {
  // index.ts needs Pulumi's runtime to execute; the output names are read from its source.
  const source = fs.readFileSync(path.join(REPO_ROOT, "index.ts"), "utf8");
  const exported = [...source.matchAll(/^export const (\w+)/gm)].map((match) => match[1]);
  expect(exported.length).toBeGreaterThan(5);
  for (const name of exported) expect(readme).toContain(`| \`${name}\` |`);
});
