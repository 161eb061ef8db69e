// Every relative link in README.md and docs/ leads somewhere: the file (or folder) it names
// exists, and an anchor names a heading of that file, as github.com renders the page.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { documentationFiles } from "../../support/doc-commands";
import { anchorsOf, linkProblem, relativeLinksOf } from "../../support/markdown-links";
import { REPO_ROOT } from "../../support/stack-config";

const files = documentationFiles();

test("the docs link to each other: the README to the docs it moved its internals to", () => {
  const readmeLinks = relativeLinksOf("README.md", fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")).map((link) => link.target);
  expect(readmeLinks).toEqual(expect.arrayContaining(["docs/testing.md", "docs/benchmarks.md", "docs/changes.md", "docs/security-model.md", "docs/air-gapped.md"]));
});

test.each(files)("every relative link in %s resolves", (file) => {
  const problems = relativeLinksOf(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8"))
    .map((link) => ({ link, problem: linkProblem(REPO_ROOT, file, link.target) }))
    .filter(({ problem }) => problem !== undefined)
    .map(({ link, problem }) => `${link.where}: (${link.target}): ${problem}`);
  expect(problems).toEqual([]);
});

describe("the check itself", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "links-"));
  fs.mkdirSync(path.join(root, "docs"));
  fs.writeFileSync(path.join(root, "README.md"), "# Title\n\n## The second `pulumi up`, against a model\n\n## Test\n\n## Test\n\n```sh\n# not a heading\n```\n");
  fs.writeFileSync(path.join(root, "docs", "a.md"), "# A\n");

  test("anchors are GitHub's: code kept as text, punctuation dropped, repeats numbered, code blocks skipped", () => {
    expect([...anchorsOf(fs.readFileSync(path.join(root, "README.md"), "utf8"))]).toEqual(["title", "the-second-pulumi-up-against-a-model", "test", "test-1"]);
  });

  test.each([
    ["docs/a.md", "../README.md#test-1", undefined],
    ["docs/a.md", "../README.md#the-second-pulumi-up-against-a-model", undefined],
    ["README.md", "docs/", undefined],
    ["README.md", "docs/b.md", "docs/b.md does not exist"],
    ["docs/a.md", "a.md#b", "docs/a.md has no heading #b"],
    ["README.md", "#not-a-heading", "README.md has no heading #not-a-heading"],
  ])("in %s, (%s): %s", (file, target, expected) => {
    expect(linkProblem(root, file, target)).toBe(expected);
  });

  test("links in code are not links; web links are not relative", () => {
    expect(relativeLinksOf("x.md", "see [a](a.md) and [web](https://example.com)\n`[b](b.md)`\n```\n[c](c.md)\n```\n").map((link) => link.target)).toEqual(["a.md"]);
  });
});
