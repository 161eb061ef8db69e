import * as fs from "node:fs";
import * as path from "node:path";

/** One relative link of a Markdown file. */
export interface MarkdownLink {
  /** `docs/ci.md:12`. */
  where: string;
  /** The link's target as written, e.g. `../README.md#deploy` or `#test`. */
  target: string;
}

/** The text without its fenced code blocks (their lines kept blank, so line numbers stay) and inline code spans. */
function proseOf(text: string): string {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ""))
    .replace(/`[^`\n]*`/g, (code) => (/^`[^`]*\]\(/.test(code) ? "" : code));
}

/**
 * The anchor GitHub gives a heading: its text lower-cased, every character other than a
 * letter, digit, mark, connector, space or hyphen dropped, spaces turned into hyphens
 * (the rule of github-slugger, which github.com follows). Inline code and links keep their text.
 */
export function anchorOf(heading: string): string {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`/g, "");
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown text's headings, a repeated one with GitHub's `-1`, `-2` suffixes. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of proseOf(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = anchorOf(match[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The relative links of a Markdown text (web, mail and other scheme links left out). */
export function relativeLinksOf(file: string, text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  proseOf(text)
    .split("\n")
    .forEach((line, index) => {
      for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(match[1])) links.push({ where: `${file}:${index + 1}`, target: match[1] });
      }
    });
  return links;
}

/** What is wrong with a link of `file` (relative to `root`), or undefined when its file and anchor exist. */
export function linkProblem(root: string, file: string, target: string): string | undefined {
  const [filePart, anchor] = target.split("#", 2);
  const resolved = filePart === "" ? path.join(root, file) : path.join(root, path.dirname(file), decodeURIComponent(filePart));
  if (!fs.existsSync(resolved)) return `${path.relative(root, resolved)} does not exist`;
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith(".md")) return `an anchor into ${path.relative(root, resolved)}, which is no Markdown file`;
  const anchors = anchorsOf(fs.readFileSync(resolved, "utf8"));
  return anchors.has(anchor) ? undefined : `${path.relative(root, resolved)} has no heading #${anchor}`;
}
