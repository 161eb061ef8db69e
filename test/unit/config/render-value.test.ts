// How a value the user wrote appears in an error: as JSON, cut at 80 characters, with the
// credentials of URLs hidden but the rest of the URL kept.
import { renderValue } from "../../../components/config/problem";

describe("renderValue", () => {
  test("a value JSON cannot render is shown as text", () => {
    expect(renderValue(undefined)).toBe("undefined");
  });

  test("a value of 80 characters is shown whole", () => {
    const value = "a".repeat(78);
    expect(renderValue(value)).toBe(JSON.stringify(value));
  });

  test("a longer value is cut to 80 characters, its start kept and the cut marked", () => {
    const rendered = renderValue(`${"a".repeat(100)}${"z".repeat(100)}`);
    expect(rendered).toHaveLength(80);
    expect(rendered).toMatch(/^"a+\.\.\.$/);
  });

  test("a URL's user and password are hidden, its scheme, host and path kept", () => {
    const rendered = renderValue("https://puller:hunter2-secret@registry.example.com/v2/");
    expect(rendered).not.toMatch(/puller|hunter2/);
    expect(rendered).toMatch(/^"https:\/\/\S+@registry\.example\.com\/v2\/"$/);
  });
});
