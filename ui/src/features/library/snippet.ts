// The engine's search snippets mark each matched word as `[word]`. This splits a snippet into
// plain and marked parts so the screen can render them as text nodes and <mark> elements;
// nothing in a snippet is ever interpreted as markup.

export type SnippetPart = { text: string; marked: boolean };

/** `"a [b] c"` → `[{a }, {b, marked}, { c}]`; an unclosed `[` is kept as plain text. */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, marked: boolean) => {
    if (text === "") return;
    const last = parts.at(-1);
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  let rest = snippet;
  while (rest !== "") {
    const open = rest.indexOf("[");
    const close = open === -1 ? -1 : rest.indexOf("]", open + 1);
    if (open === -1 || close === -1) {
      push(rest, false);
      break;
    }
    push(rest.slice(0, open), false);
    push(rest.slice(open + 1, close), true);
    rest = rest.slice(close + 1);
  }
  return parts;
}
