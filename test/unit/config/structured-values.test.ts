// How a section's value is read from Pulumi's config: JSON text, perhaps after white space, is
// decoded; other text stays a string and is refused as such; unparsable JSON is reported cut short.
import { parse, problemLines } from "../../support/config-problems";

test("JSON text after white space is decoded", () => {
  expect(parse({ registry: '\n  {"port": 5001}' }).registry.port).toBe(5001);
});

test("text with a brace after its start is refused as the text it is, not as broken JSON", () => {
  expect(problemLines({ registry: "local{" })).toEqual([expect.stringMatching(/^dind-stack:registry: got "local\{"; allowed: /)]);
});

test("an unparsable value is shown by its start only", () => {
  const value = `{"image": "${"x".repeat(50)}", "note": "the end of the value"`;
  const [line] = problemLines({ registry: value });
  expect(line).toMatch(/^dind-stack:registry: got [^"]*"\{\\"image\\": \\"x+/);
  expect(line).not.toMatch(/end of the value/);
});
