// Lenient JSON for JSON-LD blocks as sites really write them: raw line breaks inside strings,
// trailing commas, comments, CDATA or HTML-comment wrappers, single quotes, several objects in a
// row, a block cut short. Repairs are token-aware, so text inside strings is never rewritten.

export type LenientResult = { value: unknown; repaired: boolean } | { error: string };

const WRAPPERS = /^\s*(?:\/\/\s*)?(?:<!\[CDATA\[|<!--)|(?:\/\/\s*)?(?:\]\]>|-->)\s*$/g;
const VALID_ESCAPE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

/** Parse JSON, repairing the common breakages when plain parsing fails. */
export function parseLenient(text: string): LenientResult {
  try {
    return { value: JSON.parse(text), repaired: false };
  } catch (error) {
    try {
      return { value: JSON.parse(repairJson(text)), repaired: true };
    } catch {
      return { error: (error as Error).message };
    }
  }
}

/** Rewrite almost-JSON into JSON (best effort: the result may still fail to parse). */
export function repairJson(input: string): string {
  const text = input
    .replace(WRAPPERS, '')
    .trim()
    .replace(/;+\s*$/, '');
  let out = '';
  const closers: string[] = [];
  let topLevelValues = 0;
  let quote: '"' | "'" | undefined;
  const lastSignificant = (): string => out.trimEnd().slice(-1);
  const dropTrailingComma = (): void => {
    const trimmed = out.trimEnd();
    if (trimmed.endsWith(',')) out = trimmed.slice(0, -1);
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') {
        const next = text[i + 1];
        if (next === undefined) break;
        if (next === "'" || VALID_ESCAPE.has(next)) {
          out += next === "'" ? "'" : c + next;
          i++;
        } else out += '\\\\'; // a stray backslash stands for itself
      } else if (c === quote) {
        out += '"';
        quote = undefined;
      } else if (c === '"') out += '\\"';
      else if (c < ' ') out += c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      else out += c;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      // A value that starts right after another one (`"a" "b"`, `} {`) is missing its comma.
      if (closers.at(-1) === ']' && /["\]}\d]/.test(lastSignificant())) out += ',';
      quote = c;
      out += '"';
      continue;
    }
    if (c === '{' || c === '[') {
      if (closers.length === 0) {
        if (topLevelValues > 0) out += ',';
        topLevelValues++;
      } else if (closers.at(-1) === ']' && /["\]}]/.test(lastSignificant())) out += ',';
      closers.push(c === '{' ? '}' : ']');
      out += c;
      continue;
    }
    if (c === '}' || c === ']') {
      dropTrailingComma();
      if (closers.at(-1) === c) closers.pop();
      out += c;
      continue;
    }
    out += c;
  }
  if (quote) out += '"';
  if (/[:]\s*$/.test(out)) out += 'null';
  dropTrailingComma();
  while (closers.length > 0) out += closers.pop();
  return topLevelValues > 1 ? `[${out}]` : out;
}
