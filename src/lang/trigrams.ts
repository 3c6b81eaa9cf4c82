// franc's choice among a few languages, computed from franc's own trigram data but an order of
// magnitude faster: franc builds a string-keyed object of every trigram of the sample and looks
// each up in every language's table; most of those trigrams contain a character no candidate's
// table has, and every such trigram adds the same 300 to every candidate's distance, so it cannot
// change which candidate is nearest. Here only trigrams that some candidate's table holds are
// counted, as integers, and the common constant is left out. The answer is franc's (`francAll`'s
// first language) on every input: test/shipped/lang-trigrams.test.ts checks it against franc itself.
import { data } from 'franc/data.js';
import { expressions } from 'franc/expressions.js';

/** franc's limits: the sample is cut to this many UTF-16 units; an absent trigram costs this much. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

/** The candidates of one `only` list in one script: their tables over the trigrams any of them holds. */
interface Candidates {
  /** Candidate languages in franc's order (ties go to the first). */
  languages: string[];
  /** Each UTF-16 unit's index in the candidates' alphabet, 0 for a unit no table holds. */
  unitIndex: Uint16Array;
  /** Alphabet size plus one: a trigram of indices (a, b, c) is the integer (a * base + b) * base + c. */
  base: number;
  /** Trigram integer to its row in `ranks`. */
  rows: Map<number, number>;
  /** `ranks[row * languages.length + k]`: the trigram's rank in language k's table, -1 when absent. */
  ranks: Int16Array;
  /** Per row, its count in the text being scored (reset after each). */
  counts: Int32Array;
  touched: Int32Array;
}

const cache = new Map<string, Candidates | null>();

/**
 * The candidates of an `only` list among one franc script's languages (a language such as Uzbek
 * has a table in two scripts), built once; null when none of them is written in that script.
 */
function candidatesFor(only: readonly string[], script: string): Candidates | null {
  const key = `${script}:${only.join(',')}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let built: Candidates | null = null;
  const languages = (data as Record<string, Record<string, string>>)[script]!;
  const chosen = Object.keys(languages).filter((language) => only.length === 0 || only.includes(language));
  if (chosen.length > 0) {
    // franc keeps the first rank of a trigram listed twice (it writes ranks from the end down).
    const tables = chosen.map((language) => {
      const table = new Map<string, number>();
      const list = languages[language]!.split('|');
      for (let rank = list.length - 1; rank >= 0; rank--) table.set(list[rank]!, rank);
      return table;
    });
    const unitIndex = new Uint16Array(0x10000);
    let size = 0;
    for (const table of tables) {
      for (const trigram of table.keys()) {
        for (let i = 0; i < trigram.length; i++) {
          const unit = trigram.charCodeAt(i);
          if (unitIndex[unit] === 0) unitIndex[unit] = ++size;
        }
      }
    }
    const base = size + 1;
    if (base * base * base > 0x7fffffff) throw new Error(`franc tables for ${key}: alphabet of ${size} is too large`);
    const rows = new Map<number, number>();
    const entries: Array<[number, number, number]> = [];
    tables.forEach((table, k) => {
      for (const [trigram, rank] of table) {
        if (trigram.length !== 3) continue;
        const code = (unitIndex[trigram.charCodeAt(0)]! * base + unitIndex[trigram.charCodeAt(1)]!) * base + unitIndex[trigram.charCodeAt(2)]!;
        let row = rows.get(code);
        if (row === undefined) rows.set(code, (row = rows.size));
        entries.push([row, k, rank]);
      }
    });
    const ranks = new Int16Array(rows.size * chosen.length).fill(-1);
    for (const [row, k, rank] of entries) ranks[row * chosen.length + k] = rank;
    built = { languages: chosen, unitIndex, base, rows, ranks, counts: new Int32Array(rows.size), touched: new Int32Array(rows.size) };
  }
  cache.set(key, built);
  return built;
}

/** franc's main script of a text: the expression with the most matches, the first on a tie. */
function topScript(value: string): [string | undefined, number] {
  let topCount = -1;
  let top: string | undefined;
  for (const [script, expression] of Object.entries(expressions)) {
    const count = (value.match(expression)?.length ?? 0) / value.length || 0;
    if (count > topCount) [topCount, top] = [count, script];
  }
  return [top, topCount];
}

/** Punctuation, symbols and digits of ASCII, which franc's cleaning turns into spaces. */
const ASCII_SYMBOLS = /[\u0021-\u0040]+/g;
const WHITE_SPACE = /\s+/g;

/**
 * The language franc's `francAll(value, { only, minLength })` ranks first: an ISO 639-3 code from
 * `only`, or `und`.
 */
export function francTop(value: string, only: readonly string[], minLength: number): string {
  if (!value || value.length < minLength) return 'und';
  const text = value.slice(0, MAX_LENGTH);
  const [script, count] = topScript(text);
  if (script === undefined) return 'und';
  if (!(script in data)) return count === 0 || (only.length > 0 && !only.includes(script)) ? 'und' : script;
  // franc compares a text only with its main script's languages, filtered by `only`: none left, and the answer is `und`.
  const candidates = candidatesFor(only, script);
  if (candidates === null) return 'und';
  const clean = ` ${text.replace(ASCII_SYMBOLS, ' ').replace(WHITE_SPACE, ' ').trim().toLowerCase()} `;
  const { unitIndex, base, rows, ranks, counts, touched, languages } = candidates;
  let used = 0;
  let a = unitIndex[clean.charCodeAt(0)]!;
  let b = clean.length > 1 ? unitIndex[clean.charCodeAt(1)]! : 0;
  for (let i = 2; i < clean.length; i++) {
    const c = unitIndex[clean.charCodeAt(i)]!;
    if (a !== 0 && b !== 0 && c !== 0) {
      const row = rows.get((a * base + b) * base + c);
      if (row !== undefined && counts[row]!++ === 0) touched[used++] = row;
    }
    a = b;
    b = c;
  }
  // Distances less the 300 every candidate pays for each trigram of the text: for a trigram in a
  // table, |count - rank - 1| - 300; for one absent, 0.
  const n = languages.length;
  let best = 0;
  let bestDistance = Infinity;
  for (let k = 0; k < n; k++) {
    let distance = 0;
    for (let t = 0; t < used; t++) {
      const row = touched[t]!;
      const rank = ranks[row * n + k]!;
      if (rank >= 0) distance += Math.abs(counts[row]! - rank - 1) - MAX_DIFFERENCE;
    }
    if (distance < bestDistance) [best, bestDistance] = [k, distance];
  }
  for (let t = 0; t < used; t++) counts[touched[t]!] = 0;
  return languages[best]!;
}
