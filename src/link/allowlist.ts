// `link --allow <file>`: identifiers never used to join postings (a job board's own hotline, a
// government helpline, an agency everyone cites), one key or bare value a line.

export interface Allowlist {
  /** Whole keys (`phone:+85512345678`) and bare values (`+85512345678`, `hr_linda_kh`), folded. */
  readonly entries: ReadonlySet<string>;
  /** True when `key` (or its value) is listed. */
  has(key: string): boolean;
}

/** An entry as keys are written: trimmed, lower case, a handle's `@` dropped. */
function fold(entry: string): string {
  return entry.trim().toLowerCase().replace(/^@/, '');
}

/** A key's value part: after `kind:`, and for wallets after `wallet:network:`. */
export function keyValue(key: string): string {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  const rest = key.slice(colon + 1);
  if (key.startsWith('wallet:')) {
    const second = rest.indexOf(':');
    return second < 0 ? rest : rest.slice(second + 1);
  }
  return rest;
}

/** The kind of a key (`handle` of `handle:hr_linda_kh`). */
export function keyKind(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? 'unknown' : key.slice(0, colon);
}

/**
 * Read an allowlist's text: one key or value a line; `#` starts a comment (at the start of a line
 * or after white space, so `#` inside a value is kept); blank lines are skipped.
 */
export function parseAllowlist(text: string): Allowlist {
  const entries = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(?:^|\s)#.*$/, '').trim();
    if (line === '') continue;
    entries.add(fold(line));
  }
  return {
    entries,
    has: (key) => entries.size > 0 && (entries.has(fold(key)) || entries.has(fold(keyValue(key)))),
  };
}

export const EMPTY_ALLOWLIST: Allowlist = parseAllowlist('');
