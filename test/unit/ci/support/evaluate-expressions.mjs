// Evaluates GitHub Actions expressions with GitHub's own evaluator, @actions/expressions. It is an
// ES module, which Jest's module system does not load, so the tests run this file as a child
// process. Reads {"context": {...}, "items": [...]} as JSON on stdin; an item is
// {"expression": "..."} (the text of an `if:`) or {"template": "..."} (a workflow value that may
// hold `${{ }}`). Prints the items' values as a JSON array.
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";

const input = JSON.parse(await new Response(process.stdin).text());
const context = JSON.parse(JSON.stringify(input.context), data.reviver);
const contextNames = Object.keys(input.context);

function evaluate(text) {
  const lexed = new Lexer(text).lex();
  const expression = new Parser(lexed.tokens, contextNames, []).parse();
  return new Evaluator(expression, context).evaluate();
}

const plain = (value) => JSON.parse(JSON.stringify(value, data.replacer));
const WHOLE = /^\s*\$\{\{(.*)\}\}\s*$/s;
const EMBEDDED = /\$\{\{(.*?)\}\}/gs;

function evaluateItem(item) {
  if ("expression" in item) {
    const text = WHOLE.exec(item.expression)?.[1] ?? item.expression;
    return truthy(evaluate(text));
  }
  if (typeof item.template !== "string") return item.template;
  const whole = WHOLE.exec(item.template);
  if (whole && !whole[1].includes("}}")) return plain(evaluate(whole[1]));
  return item.template.replace(EMBEDDED, (_match, text) => evaluate(text).coerceString());
}

process.stdout.write(JSON.stringify(input.items.map(evaluateItem)));
