import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "shell-quote";
import { REPO_ROOT } from "./stack-config";

/** One shell block of a Markdown file. */
export interface ShellBlock {
  /** The file, relative to the repository, e.g. `docs/air-gapped.md`. */
  file: string;
  /** The line of the block's opening fence. */
  line: number;
  /** Its text. */
  text: string;
}

/** One command of a shell block: its words (variable assignments before it dropped) and where it is. */
export interface DocCommand {
  /** `docs/air-gapped.md:42`. */
  where: string;
  /** The command's words, as the shell splits them. */
  words: string[];
  /** The command's text, as written (for placeholder checks and messages). */
  text: string;
}

/** README.md and every Markdown file under docs/. */
export function documentationFiles(): string[] {
  const docs = (fs.readdirSync(path.join(REPO_ROOT, "docs"), { recursive: true }) as string[]).filter((file) => file.endsWith(".md")).map((file) => path.join("docs", file));
  return ["README.md", ...docs.sort()];
}

/** The ```sh, ```bash and ```shell blocks of a Markdown file. */
export function shellBlocks(file: string): ShellBlock[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
  return [...text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)].map((match) => ({ file, line: text.slice(0, match.index).split("\n").length, text: match[1] }));
}

/** The shell's control operators that end one command and start the next. */
const SEPARATORS = new Set(["&&", "||", ";", "|", "&"]);

/**
 * The commands of a block as the shell reads them (shell-quote does the splitting and quoting):
 * continuation lines joined, comments dropped, split at `&&`, `||`, `;` and `|`, a redirection
 * and its target dropped, and `NAME=value` assignments before a command dropped. Variables stay
 * as written (`$DIND_STACK_REGISTRY`).
 */
export function commandsOf(block: ShellBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  block.text
    .replace(/\\\n/g, " ")
    .split("\n")
    .forEach((lineText, index) => {
      const where = `${block.file}:${block.line + 1 + index}`;
      let words: string[] = [];
      let redirected = false;
      const flush = () => {
        const start = words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
        if (start >= 0) commands.push({ where, words: words.slice(start), text: lineText.replace(/\s+#.*$/, "").trim() });
        words = [];
      };
      for (const token of parse(lineText, (name) => `$${name}`)) {
        if (typeof token === "string") {
          if (redirected) redirected = false;
          else words.push(token);
        } else if ("comment" in token) {
          break;
        } else if ("op" in token && SEPARATORS.has(token.op)) {
          flush();
        } else if ("op" in token && token.op === "glob") {
          words.push((token as { pattern: string }).pattern);
        } else {
          redirected = true;
        }
      }
      flush();
    });
  return commands;
}
