// Stage one: markup, NFKC, case, invisible characters, Arabic vowel marks, emoji and white space, one code point a unit
// with the span of the original it came from. Clusters (a character with its combining marks) fold
// through a cache; single BMP characters through a table of what each folds to.
import { foldEmoji, mayStartEmoji } from './emoji.js';
import { TO_HANS, toHans } from './han.js';
import { entityAt, INLINE_TAGS, SKIP_CONTENT_TAGS, TAG_NAME, tagEnd } from './markup.js';
import type { ClusterFolds } from './state.js';
import type { Units } from './units.js';

const CLUSTER = /[^\p{M}]\p{M}*/uy;
const MARK = /\p{M}/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu;
/** Variation selectors and the keycap mark: 1️⃣ reads as 1, ✈️ as ✈. */
const EMOJI_MARKS = /[\uFE0E\uFE0F\u20E3]/g;
const WHITE = /^\s+$/u;
/**
 * Arabic-script vowel marks (harakat, tanween, shadda, sukun, the dagger alif) and the tatweel that
 * stretches a word: ads write "مجاناً" and "مجانا", "مؤمّن" and "مؤمن" alike, and a pattern should not
 * have to spell each. The letters themselves (alif forms, ta marbuta) are left as written.
 */
const ARABIC_MARKS = /[\u0640\u064B-\u065F\u0670]/g;

/** NFKC + lower case + invisible characters dropped, for one base character with its marks. */
function foldCluster(cluster: string, clusters: ClusterFolds): string {
  let folded = clusters.get(cluster);
  if (folded === undefined) {
    folded = toHans(cluster.normalize('NFKC').toLowerCase().normalize('NFKC').replace(INVISIBLE, '').replace(EMOJI_MARKS, '').replace(ARABIC_MARKS, ''));
    if (folded !== '' && WHITE.test(folded)) folded = ' ';
    clusters.set(cluster, folded);
  }
  return folded;
}

/** Stage one into `units` (emptied): markup, NFKC, case, invisibles and white space; one code point a unit. */
export function fold(input: string, html: boolean, units: Units, clusters: ClusterFolds): Units {
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (html && c === 60) {
      const end = tagEnd(input, i);
      if (end > 0) {
        const name = TAG_NAME.exec(input.slice(i, Math.min(end, i + 40)))?.[1]?.toLowerCase() ?? '';
        const closing = input.charCodeAt(i + 1) === 47;
        if (!closing && SKIP_CONTENT_TAGS.has(name)) {
          const closeAt = input.toLowerCase().indexOf(`</${name}`, end);
          const skipTo = closeAt < 0 ? n : tagEnd(input, closeAt);
          units.space(i, skipTo < 0 ? n : skipTo);
          i = skipTo < 0 ? n : skipTo;
          continue;
        }
        if (!INLINE_TAGS.has(name)) units.space(i, end);
        i = end;
        continue;
      }
    }
    if (html && c === 38) {
      const entity = entityAt(input, i);
      if (entity) {
        pushFolded(units, foldCluster(entity.value, clusters), i, entity.end);
        i = entity.end;
        continue;
      }
    }
    if (mayStartEmoji(c)) {
      const end = foldEmoji(units, input, i);
      if (end > i) {
        i = end;
        continue;
      }
    }
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    const markFollows = isMarkAt(input, i + width);
    if (c < 128 && !markFollows) {
      if (c >= 65 && c <= 90) units.push(c + 32, i, i + 1);
      else if (c === 32 || (c >= 9 && c <= 13)) units.space(i, i + 1);
      else if (c >= 32 && c !== 127) units.push(c, i, i + 1);
      i++;
      continue;
    }
    if (!markFollows) {
      // The character is its own cluster; CJK ideographs are unchanged by NFKC and case folding.
      if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) units.push(TO_HANS[c] || c, i, i + 1);
      else if (width === 1) pushFoldedUnit(units, c, i, clusters);
      else pushFolded(units, foldCluster(input.slice(i, i + width), clusters), i, i + width);
      i += width;
      continue;
    }
    CLUSTER.lastIndex = i;
    const m = CLUSTER.exec(input);
    const cluster = m ? m[0] : input[i]!;
    pushFolded(units, foldCluster(cluster, clusters), i, i + cluster.length);
    i += cluster.length;
  }
  return units;
}

/** Combining-mark test results for the Basic Multilingual Plane: 0 unknown, 1 mark, 2 not. */
const MARK_TABLE = new Uint8Array(0x10000);

/** True when the UTF-16 unit at `i` is a combining mark (of the Basic Multilingual Plane). */
function isMarkAt(input: string, i: number): boolean {
  const c = input.charCodeAt(i);
  if (!(c >= 0x300)) return false; // also NaN past the end
  let known = MARK_TABLE[c]!;
  if (known === 0) MARK_TABLE[c] = known = MARK.test(String.fromCharCode(c)) ? 1 : 2;
  return known === 1;
}

/**
 * The fold of one BMP character standing alone, by code unit: 0 not yet known, 1 dropped, 2 white
 * space, 3 folds to several code points (see foldCluster), else the one code point it folds to, plus 4.
 */
const UNIT_FOLD = new Int32Array(0x10000);

function pushFoldedUnit(units: Units, c: number, at: number, clusters: ClusterFolds): void {
  let known = UNIT_FOLD[c]!;
  if (known === 0) {
    const folded = foldCluster(String.fromCharCode(c), clusters);
    const cp = folded.codePointAt(0);
    known = folded === '' ? 1 : folded === ' ' ? 2 : cp !== undefined && folded.length === String.fromCodePoint(cp).length ? cp + 4 : 3;
    UNIT_FOLD[c] = known;
  }
  if (known >= 4) units.push(known - 4, at, at + 1);
  else if (known === 2) units.space(at, at + 1);
  else if (known === 3) pushFolded(units, foldCluster(String.fromCharCode(c), clusters), at, at + 1);
}

function pushFolded(units: Units, folded: string, start: number, end: number): void {
  if (folded === ' ') {
    units.space(start, end);
    return;
  }
  for (const ch of folded) units.push(ch.codePointAt(0)!, start, end);
}
