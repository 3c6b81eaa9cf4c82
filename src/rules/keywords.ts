// A keyword list as one regex: what a `keywords` matcher compiles to (engine.ts) and what the
// rule-file checks compile (validate.ts). Its own file so the engine and the schema need not import
// each other.
import { normalizeString } from '../normalize/index.js';

const UNSPACED_CLASS =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\p{Script=Tibetan}';
const UNSPACED_SCRIPT = new RegExp(`[${UNSPACED_CLASS}]`, 'u');
/** A letter or digit of a script that separates words with spaces: what a keyword boundary refuses. */
const SPACED_WORD_CHAR = `(?:(?![${UNSPACED_CLASS}])[\\p{L}\\p{N}])`;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Escape the syntax characters only: with the u flag, escaping anything else (such as -) is an error. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether a keyword edge character needs a word boundary: a letter or digit of a spaced script. */
function needsBoundary(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch) && !UNSPACED_SCRIPT.test(ch);
}

/**
 * One regex for a keyword list: normalised like the text, longest first, bounded where words are
 * spaced. Keywords are grouped by which edges need a boundary, so each group's alternation carries
 * its look-around once: a look-behind over Unicode script classes written once per keyword makes a
 * list of a few hundred words cost milliseconds per field and a quarter second to compile.
 */
export function keywordsToRegexSource(keywords: readonly string[]): string {
  const folded = [...new Set(keywords.map((k) => normalizeString(k)).filter((k) => k !== ''))];
  folded.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const groups = new Map<string, string[]>();
  for (const keyword of folded) {
    const chars = [...keyword];
    const key = `${needsBoundary(chars[0]) ? 'h' : ''}${needsBoundary(chars[chars.length - 1]) ? 't' : ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(escapeRegex(keyword));
  }
  const parts = [...groups].map(([key, words]) => {
    const head = key.includes('h') ? `(?<!${SPACED_WORD_CHAR})` : '';
    const tail = key.includes('t') ? `(?!${SPACED_WORD_CHAR})` : '';
    return `${head}(?:${words.join('|')})${tail}`;
  });
  return `(?:${parts.join('|')})`;
}
