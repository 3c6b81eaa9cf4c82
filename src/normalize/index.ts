// Text folding for matching, with an offset map from every normalised UTF-16 unit back to the span of
// the original text it came from, so hits can point into the text the user has.
import { decodeHTML } from 'entities';
import { emojiWord, flagWord, isEmojiTail, mayStartEmoji, regionalLetter } from './emoji.js';
import { HANT_TO_HANS } from './hant-table.js';

export interface NormalizedText {
  /** The folded text that rule patterns and the model see. */
  text: string;
  /** For each UTF-16 unit of `text`: the start (inclusive) and end (exclusive) in the original. */
  starts: Uint32Array;
  ends: Uint32Array;
}

export interface NormalizeOptions {
  /** Strip tags and decode entities; default: when the text looks like HTML. */
  html?: boolean;
}

/** A growable column of unsigned 32-bit integers. */
class U32Column {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/**
 * Code points with their original spans, built in one pass and then folded in place. Without
 * `offsets` the spans are not kept (when only the folded text is wanted).
 */
class Units {
  cps: U32Column;
  starts: U32Column;
  ends: U32Column;
  offsets = true;
  constructor(capacity: number) {
    this.cps = new U32Column(capacity);
    this.starts = new U32Column(capacity);
    this.ends = new U32Column(capacity);
  }
  get length(): number {
    return this.cps.length;
  }
  push(cp: number, start: number, end: number): void {
    this.cps.push(cp);
    if (!this.offsets) return;
    this.starts.push(start);
    this.ends.push(end);
  }
  /** A single space for any run of white space; none at the start. */
  space(start: number, end: number): void {
    const n = this.cps.length;
    if (n === 0) return;
    if (this.cps.data[n - 1] === 32) {
      if (this.offsets) this.ends.data[n - 1] = end;
      return;
    }
    this.push(32, start, end);
  }
}

const HTML_HINT = /<\/?[a-z][a-z0-9]*(?:\s[^<>]{0,500})?\/?>|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/** True when a field holds markup: tags or entities. */
export function looksLikeHtml(text: string): boolean {
  return HTML_HINT.test(text);
}

const INLINE_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'dfn',
  'em',
  'font',
  'i',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
]);
const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'noscript', 'template']);
const TAG_NAME = /^<\/?([a-z][a-z0-9-]*)/i;

/** End (exclusive) of an HTML tag or comment starting at `at`, or -1 when it is not one. */
function tagEnd(text: string, at: number): number {
  const next = text.charCodeAt(at + 1);
  const isTagStart = (next >= 97 && next <= 122) || (next >= 65 && next <= 90) || next === 47 /* / */ || next === 33 /* ! */;
  if (!isTagStart) return -1;
  if (text.startsWith('<!--', at)) {
    const close = text.indexOf('-->', at + 4);
    return close < 0 ? -1 : close + 3;
  }
  const close = text.indexOf('>', at + 1);
  if (close < 0 || close - at > 4000) return -1;
  const lt = text.indexOf('<', at + 1);
  if (lt >= 0 && lt < close) return -1;
  return close + 1;
}

const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});?/iy;

/** The decoded entity at `at` and where it ends, or undefined when there is none. */
function entityAt(text: string, at: number): { value: string; end: number } | undefined {
  ENTITY.lastIndex = at;
  const m = ENTITY.exec(text);
  if (!m) return undefined;
  const value = decodeHTML(m[0]);
  if (value === m[0]) return undefined;
  return { value, end: at + m[0].length };
}

/** Traditional Chinese (and Taiwan / Hong Kong variant) characters to Simplified, by code unit; 0 where unchanged. */
const TO_HANS = new Uint16Array(0x10000);
for (let k = 0; k + 1 < HANT_TO_HANS.length; k += 2) TO_HANS[HANT_TO_HANS.charCodeAt(k)] = HANT_TO_HANS.charCodeAt(k + 1);

/** Han text in one form: Traditional characters folded to Simplified, so 包機票 reads as 包机票. */
function toHans(text: string): string {
  let out = '';
  let from = 0;
  for (let k = 0; k < text.length; k++) {
    const simplified = TO_HANS[text.charCodeAt(k)]!;
    if (simplified === 0) continue;
    out += text.slice(from, k) + String.fromCharCode(simplified);
    from = k + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const CLUSTER = /[^\p{M}]\p{M}*/uy;
const MARK = /\p{M}/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu;
/** Variation selectors and the keycap mark: 1️⃣ reads as 1, ✈️ as ✈. */
const EMOJI_MARKS = /[\uFE0E\uFE0F\u20E3]/g;
const WHITE = /^\s+$/u;
const foldCache = new Map<string, string>();

/** NFKC + lower case + invisible characters dropped, for one base character with its marks. */
function foldCluster(cluster: string): string {
  let folded = foldCache.get(cluster);
  if (folded === undefined) {
    folded = toHans(cluster.normalize('NFKC').toLowerCase().normalize('NFKC').replace(INVISIBLE, '').replace(EMOJI_MARKS, ''));
    if (folded !== '' && WHITE.test(folded)) folded = ' ';
    if (foldCache.size > 50_000) foldCache.clear();
    foldCache.set(cluster, folded);
  }
  return folded;
}

/**
 * Scratch columns reused by every call (normalisation is synchronous and not re-entrant): a field
 * costs no typed-array allocation beyond its result.
 */
const scratch = new Units(4096);
const SCRATCH_KEEP = 1 << 20;

/** Stage one: markup, NFKC, case, invisibles and white space; one code point a unit. */
function fold(input: string, html: boolean, offsets: boolean): Units {
  const units = scratch;
  units.offsets = offsets;
  units.cps.length = 0;
  units.starts.length = 0;
  units.ends.length = 0;
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
        pushFolded(units, foldCluster(entity.value), i, entity.end);
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
      else if (width === 1) pushFoldedUnit(units, c, i);
      else pushFolded(units, foldCluster(input.slice(i, i + width)), i, i + width);
      i += width;
      continue;
    }
    CLUSTER.lastIndex = i;
    const m = CLUSTER.exec(input);
    const cluster = m ? m[0] : input[i]!;
    pushFolded(units, foldCluster(cluster), i, i + cluster.length);
    i += cluster.length;
  }
  return units;
}

/**
 * An emoji standing for a word (✈️ flight, 🇰🇭 cambodia) at `at`: its word goes in between spaces,
 * every unit of it mapped to the emoji's span, and its joiners and modifiers go with it. Returns
 * where the emoji ends, or `at` when there is none to fold here.
 */
function foldEmoji(units: Units, input: string, at: number): number {
  const cp = input.codePointAt(at)!;
  let end = at + (cp > 0xffff ? 2 : 1);
  let word: string | undefined;
  const first = regionalLetter(cp);
  if (first !== undefined) {
    const second = regionalLetter(input.codePointAt(end) ?? 0);
    if (second === undefined) return at;
    word = flagWord(first + second);
    end += 2;
  } else word = emojiWord(cp);
  if (word === undefined) return at;
  for (;;) {
    const next = input.codePointAt(end);
    if (next === undefined || !isEmojiTail(next)) break;
    end += next > 0xffff ? 2 : 1;
    if (next !== 0x200d) continue;
    // A zero-width joiner takes the emoji after it into this one (👩‍✈️ is one picture).
    const joined = input.codePointAt(end);
    if (joined !== undefined) end += joined > 0xffff ? 2 : 1;
  }
  units.space(at, end);
  for (let k = 0; k < word.length; k++) units.push(word.charCodeAt(k), at, end);
  units.space(at, end);
  return end;
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
 * space, 3 folds to several code points (see foldCache), else the one code point it folds to, plus 4.
 */
const UNIT_FOLD = new Int32Array(0x10000);

function pushFoldedUnit(units: Units, c: number, at: number): void {
  let known = UNIT_FOLD[c]!;
  if (known === 0) {
    const folded = foldCluster(String.fromCharCode(c));
    const cp = folded.codePointAt(0);
    known = folded === '' ? 1 : folded === ' ' ? 2 : cp !== undefined && folded.length === String.fromCodePoint(cp).length ? cp + 4 : 3;
    UNIT_FOLD[c] = known;
  }
  if (known >= 4) units.push(known - 4, at, at + 1);
  else if (known === 2) units.space(at, at + 1);
  else if (known === 3) pushFolded(units, foldCluster(String.fromCharCode(c)), at, at + 1);
}

function pushFolded(units: Units, folded: string, start: number, end: number): void {
  if (folded === ' ') {
    units.space(start, end);
    return;
  }
  for (const ch of folded) units.push(ch.codePointAt(0)!, start, end);
}

const LETTER = /\p{L}/u;
/** Letter test results for the Basic Multilingual Plane: 0 unknown, 1 letter, 2 not. */
const LETTER_TABLE = new Uint8Array(0x10000);
function isLetter(cp: number): boolean {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
  if (cp > 0xffff) return LETTER.test(String.fromCodePoint(cp));
  let known = LETTER_TABLE[cp]!;
  if (known === 0) {
    known = LETTER.test(String.fromCharCode(cp)) ? 1 : 2;
    LETTER_TABLE[cp] = known;
  }
  return known === 1;
}
function isDigit(cp: number): boolean {
  return cp >= 48 && cp <= 57;
}
function isLatin(cp: number): boolean {
  return (cp >= 97 && cp <= 122) || (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) || (cp >= 0x1e00 && cp <= 0x1eff);
}

/** Separators between the letters of a spelled-out word: "T.e.l.e.g.r.a.m", "W h a t s". */
const SPELL_SEPARATORS = new Set([32, 46, 45, 95, 42, 0xb7, 0x2022, 0x30fb]);
const MIN_SPELLED = 4;

/** Stage two: join four or more single letters that are split by one separator each. */
function joinSpelled(units: Units): Units {
  const cps = units.cps.data;
  const n = units.length;
  const drop = new Uint8Array(n);
  let any = false;
  let i = 0;
  while (i < n) {
    const single = isLetter(cps[i]!) && (i === 0 || !isWordChar(cps[i - 1]!)) && (i + 1 >= n || !isWordChar(cps[i + 1]!));
    if (!single) {
      i++;
      continue;
    }
    // Walk letter, separator, letter, ... while every letter stands alone.
    let count = 1;
    let j = i;
    while (j + 2 < n && SPELL_SEPARATORS.has(cps[j + 1]!) && isLetter(cps[j + 2]!) && (j + 3 >= n || !isWordChar(cps[j + 3]!))) {
      j += 2;
      count++;
    }
    if (count >= MIN_SPELLED) {
      for (let k = i + 1; k < j; k += 2) drop[k] = 1;
      any = true;
    }
    i = j + 1;
  }
  if (!any) return units;
  let write = 0;
  const starts = units.starts.data;
  const ends = units.ends.data;
  for (let k = 0; k < n; k++) {
    if (drop[k]) continue;
    cps[write] = cps[k]!;
    if (units.offsets) {
      starts[write] = starts[k]!;
      ends[write] = ends[k]!;
    }
    write++;
  }
  units.cps.length = write;
  if (units.offsets) units.starts.length = write;
  if (units.offsets) units.ends.length = write;
  return units;
}

function isWordChar(cp: number): boolean {
  return isLetter(cp) || isDigit(cp);
}

/** Cyrillic and Greek letters that pass for Latin ones (after lower-casing). */
const CONFUSABLES = new Map<number, number>(
  Object.entries({
    а: 'a',
    в: 'b',
    е: 'e',
    ё: 'e',
    к: 'k',
    м: 'm',
    н: 'h',
    о: 'o',
    р: 'p',
    с: 'c',
    т: 't',
    у: 'y',
    х: 'x',
    і: 'i',
    ї: 'i',
    ј: 'j',
    ѕ: 's',
    ԁ: 'd',
    ԛ: 'q',
    ԝ: 'w',
    һ: 'h',
    ӏ: 'l',
    ɡ: 'g',
    ո: 'n',
    ս: 'u',
    α: 'a',
    β: 'b',
    ε: 'e',
    ι: 'i',
    κ: 'k',
    ν: 'v',
    ο: 'o',
    ρ: 'p',
    τ: 't',
    υ: 'u',
    χ: 'x',
    η: 'n',
  }).map(([from, to]) => [from.codePointAt(0)!, to.codePointAt(0)!]),
);
/** The highest code point CONFUSABLES holds: most text (Han above all) needs no lookup. */
const MAX_CONFUSABLE = Math.max(...CONFUSABLES.keys());
/** Digits and symbols written for letters. */
const LEET = new Map<number, number>(
  Object.entries({ '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' }).map(([from, to]) => [
    from.codePointAt(0)!,
    to.codePointAt(0)!,
  ]),
);

function isTokenChar(cp: number): boolean {
  return isWordChar(cp) || LEET.has(cp);
}

/** Stage three: fold look-alikes inside each token, in place (one code point for one). */
function foldLookalikes(units: Units): void {
  const cps = units.cps.data;
  const n = units.length;
  let i = 0;
  while (i < n) {
    if (!isTokenChar(cps[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isTokenChar(cps[j]!)) j++;
    foldToken(cps, i, j, n);
    i = j;
  }
}

function foldToken(cps: Uint32Array, from: number, to: number, n: number): void {
  let latin = 0;
  let confusable = 0;
  for (let k = from; k < to; k++) {
    const cp = cps[k]!;
    if (isLatin(cp)) latin++;
    else if (cp <= MAX_CONFUSABLE && CONFUSABLES.has(cp)) confusable++;
  }
  if (latin > 0 && confusable > 0) {
    for (let k = from; k < to; k++) {
      const latinCp = CONFUSABLES.get(cps[k]!);
      if (latinCp !== undefined) cps[k] = latinCp;
    }
    latin += confusable;
  }
  if (latin < 2) return;
  // "jobs@gmail.com": an @ followed by a domain is an address, not a letter.
  const isAddress = domainFollows(cps, to, n);
  const interior: number[] = [];
  const edge: number[] = [];
  let letters = 0;
  let others = 0;
  for (let k = from; k < to; k++) {
    const cp = cps[k]!;
    if (isLetter(cp)) {
      letters++;
      continue;
    }
    others++;
    if (!LEET.has(cp) || (cp === 64 && isAddress)) continue;
    const before = k > from && isLetter(cps[k - 1]!);
    const after = k + 1 < to && isLetter(cps[k + 1]!);
    if (before && after) interior.push(k);
    else if ((before || after) && isDigit(cp)) edge.push(k);
  }
  if (interior.length === 0 || letters <= others) return;
  for (const k of interior) cps[k] = LEET.get(cps[k]!)!;
  for (const k of edge) cps[k] = LEET.get(cps[k]!)!;
}

/**
 * Whether the token that ends at `at` is followed by the rest of a domain name: more labels of
 * letters, digits and hyphens ("-ispp"), then a dot and a letter (".edu.kh").
 */
function domainFollows(cps: Uint32Array, at: number, n: number): boolean {
  let j = at;
  while (j < n && j - at < 64 && (cps[j] === 45 || isLetter(cps[j]!) || isDigit(cps[j]!))) j++;
  return j + 1 < n && cps[j] === 46 && isLetter(cps[j + 1]!);
}

/** Stages one to three over the scratch units; a trailing space is left out of the count returned. */
function foldAll(input: string, options: NormalizeOptions, offsets: boolean): { units: Units; n: number } {
  const html = options.html ?? looksLikeHtml(input);
  let units = fold(input, html, offsets);
  units = joinSpelled(units);
  foldLookalikes(units);
  // Drop a trailing space left by the collapse.
  let n = units.length;
  if (n > 0 && units.cps.data[n - 1] === 32) n--;
  return { units, n };
}

/** Do not hold on to the memory of one huge field for the rest of the run. */
function releaseScratch(units: Units): void {
  if (units.cps.data.length <= SCRATCH_KEEP) return;
  units.cps = new U32Column(4096);
  units.starts = new U32Column(4096);
  units.ends = new U32Column(4096);
}

/**
 * A string of UTF-16 units: fromCharCode over chunks is several times faster than spreading code
 * points, and it keeps a lone surrogate as it is (a text decoder would replace it).
 */
function unitsToString(utf16: Uint16Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let k = 0; k < utf16.length; k += CHUNK)
    parts.push(String.fromCharCode.apply(null, utf16.subarray(k, Math.min(utf16.length, k + CHUNK)) as unknown as number[]));
  return parts.join('');
}

/** The first `n` code points as UTF-16 units. */
function toUtf16(cps: Uint32Array, n: number): Uint16Array {
  let size = n;
  for (let k = 0; k < n; k++) if (cps[k]! > 0xffff) size++;
  const utf16 = new Uint16Array(size);
  if (size === n) {
    utf16.set(cps.subarray(0, n));
    return utf16;
  }
  let u = 0;
  for (let k = 0; k < n; k++) {
    const cp = cps[k]!;
    if (cp > 0xffff) {
      utf16[u++] = 0xd800 + ((cp - 0x10000) >> 10);
      utf16[u++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    } else utf16[u++] = cp;
  }
  return utf16;
}

/** Fold a field's text for matching, keeping a map back to the original. */
export function normalizeText(input: string, options: NormalizeOptions = {}): NormalizedText {
  const { units, n } = foldAll(input, options, true);
  const cps = units.cps.data;
  const utf16 = toUtf16(cps, n);
  const starts = new Uint32Array(utf16.length);
  const ends = new Uint32Array(utf16.length);
  if (utf16.length === n) {
    starts.set(units.starts.data.subarray(0, n));
    ends.set(units.ends.data.subarray(0, n));
  } else {
    // Both units of a surrogate pair map to the span of their code point.
    let u = 0;
    for (let k = 0; k < n; k++) {
      for (let w = cps[k]! > 0xffff ? 2 : 1; w > 0; w--) {
        starts[u] = units.starts.data[k]!;
        ends[u] = units.ends.data[k]!;
        u++;
      }
    }
  }
  const text = unitsToString(utf16);
  releaseScratch(units);
  return { text, starts, ends };
}

/** `normalizeText(input).text`, without building the map back to the original. */
function foldedText(input: string): string {
  const { units, n } = foldAll(input, {}, false);
  const text = unitsToString(toUtf16(units.cps.data, n));
  releaseScratch(units);
  return text;
}

/** Map a [start, end) span of the normalised text back to the original text. */
export function originalSpan(normalized: NormalizedText, start: number, end: number): [number, number] {
  if (normalized.starts.length === 0) return [0, 0];
  const last = Math.max(start, end - 1);
  return [normalized.starts[start] ?? 0, normalized.ends[last] ?? normalized.ends[normalized.ends.length - 1]!];
}

const NOT_ASCII = /[^\x00-\x7f]/;
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f]+/g;
/** White space other than one plain space: what `fold` collapses. */
const WHITE_RUN = /[\t\n\v\f\r]\s*| \s+/g;
/**
 * The last three of four single letters split by one separator each: in any text `joinSpelled`
 * would change (starting the pattern at a separator keeps the scan fast).
 */
const MAY_SPELL = /[ ._*-][a-z][ ._*-][a-z][ ._*-][a-z](?![a-z0-9])/;
/** A leet character between two letters: what `foldLookalikes` could fold. */
const MAY_LEET = /[a-z][013457@$!][a-z]/;

/**
 * Just the folded text, for keywords, example strings and the model. Plain ASCII without markup,
 * spelled-out words or leet (most postings in English) folds to lower case with white space
 * collapsed, which native string methods do many times faster than the general path; anything
 * else takes the general path, so the result is the same either way.
 */
export function normalizeString(input: string): string {
  if (!NOT_ASCII.test(input) && !looksLikeHtml(input)) {
    const folded = input.replace(CONTROL, '').toLowerCase().replace(WHITE_RUN, ' ').trim();
    if (!MAY_SPELL.test(folded) && !MAY_LEET.test(folded)) return folded;
  }
  return foldedText(input);
}
