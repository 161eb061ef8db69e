// The part of GitLab's CI/CD variable expressions (`rules:if`, `workflow:rules:if`) the project's
// file may use, evaluated as GitLab documents them (doc/ci/jobs/job_rules.md, "CI/CD variable
// expressions"): `$VAR` alone is true when the variable is defined and not empty; `==` and `!=`
// compare strings, `null` or two variables (an undefined variable is null, so `"" == null` is
// false); `&&` binds tighter than `||`; parentheses group. Anything else (regex matches, `!`)
// is refused, so a rule this model cannot judge fails the test instead of being guessed.

type Token = { kind: "var" | "string" | "null" | "op" | "paren"; text: string };
type Value = string | null;

const TOKEN = /\s*(?:\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|"([^"]*)"|'([^']*)'|(null)\b|(==|!=|&&|\|\|)|([()]))/y;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new Error(`rules:if ${JSON.stringify(expression)}: cannot read ${JSON.stringify(expression.slice(start))} (not modelled)`);
    if (match[1] !== undefined) tokens.push({ kind: "var", text: match[1] });
    else if (match[2] !== undefined || match[3] !== undefined) tokens.push({ kind: "string", text: match[2] ?? match[3] });
    else if (match[4]) tokens.push({ kind: "null", text: "null" });
    else if (match[5]) tokens.push({ kind: "op", text: match[5] });
    else tokens.push({ kind: "paren", text: match[6] });
  }
  return tokens;
}

/** Evaluates a `rules:if` expression against the pipeline's variables (an absent key is an undefined variable). */
export function evaluateRule(expression: string, variables: Readonly<Record<string, string>>): boolean {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (what: string): never => {
    throw new Error(`rules:if ${JSON.stringify(expression)}: ${what}`);
  };
  const operand = (): Value => {
    const token = tokens[position++] ?? fail("ends early");
    if (token.kind === "var") return Object.prototype.hasOwnProperty.call(variables, token.text) ? variables[token.text] : null;
    if (token.kind === "string") return token.text;
    if (token.kind === "null") return null;
    return fail(`unexpected ${token.text}`);
  };
  const comparison = (): boolean => {
    if (peek()?.text === "(") {
      position++;
      const inner = disjunction();
      if (tokens[position++]?.text !== ")") fail("a parenthesis is not closed");
      return inner;
    }
    const left = operand();
    const op = peek();
    if (op?.text === "==" || op?.text === "!=") {
      position++;
      const equal = left === operand();
      return op.text === "==" ? equal : !equal;
    }
    return left !== null && left !== "";
  };
  const conjunction = (): boolean => {
    let value = comparison();
    while (peek()?.text === "&&") {
      position++;
      value = comparison() && value;
    }
    return value;
  };
  const disjunction = (): boolean => {
    let value = conjunction();
    while (peek()?.text === "||") {
      position++;
      value = conjunction() || value;
    }
    return value;
  };
  const result = disjunction();
  if (position !== tokens.length) fail(`unexpected ${tokens[position].text}`);
  return result;
}
