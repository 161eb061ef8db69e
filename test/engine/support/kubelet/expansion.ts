/**
 * The kubelet's expansion of command, args and env values: `$(NAME)` becomes the value of
 * NAME when it is defined (else it stays as written), `$$` becomes `$`, and any other `$`
 * stays. This is what the kubelet applies before it hands strings to the runtime.
 */
export function expandReferences(text: string, variables: ReadonlyMap<string, string>): string {
  let result = "";
  for (let cursor = 0; cursor < text.length; cursor++) {
    if (text[cursor] !== "$" || cursor + 1 >= text.length) {
      result += text[cursor];
      continue;
    }
    const next = text[cursor + 1];
    if (next === "$") {
      result += "$";
      cursor += 1;
    } else if (next === "(") {
      const close = text.indexOf(")", cursor + 2);
      if (close < 0) {
        result += "$(";
        cursor += 1;
        continue;
      }
      const name = text.slice(cursor + 2, close);
      result += variables.get(name) ?? `$(${name})`;
      cursor = close;
    } else {
      result += `$${next}`;
      cursor += 1;
    }
  }
  return result;
}
