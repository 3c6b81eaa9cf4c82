// Near-duplicate texts in any script: character shingles of the folded text, one-permutation
// MinHash (one hash a shingle, 128 bins, empty bins filled by optimal densification) and LSH bands.
// Character shingles need no word segmentation, so Thai, Burmese, Khmer and Chinese texts are
// compared like English; digits are kept (InfoShield deletes them and every non-ASCII letter).
//
// Li, Owen, Zhang, "One permutation hashing" (NIPS 2012); Shrivastava, "Optimal densification for
// fast and accurate minwise hashing" (ICML 2017); Li, König, "b-bit minwise hashing" (WWW 2010).
import { normalizeString } from '../normalize/index.js';

/** Code points a shingle (measured: see README "Networks"). */
export const SHINGLE = 4;
/** MinHash bins, one value each. */
export const BINS = 128;
/** LSH bands and rows a band (BANDS × ROWS = BINS): a pair at Jaccard 0.6 shares a band with probability 0.99, at 0.3 with 0.23. */
export const BANDS = 32;
export const ROWS = 4;
/** Texts with fewer shingles than this are too short to be judged a template (about 23 characters). */
export const MIN_SHINGLES = 20;

const EMPTY = 0xffffffff;

/** The last 32-bit mixing step of MurmurHash3: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fields that say where or when a posting was, not what it says (names in the languages of the boards we read too). */
const NOT_TEMPLATE =
  /url|link|href|(?:^|[_\s.-])id$|^id(?:[_\s.-]|$)|date|time|_at$|crawled|scrape|fuente|^source(?:_file)?$|^sheet$|posted|deadline|closing|expir|ngày|thời gian|fecha|日期|时间/i;
const BARE_URL = /^\s*https?:\/\/\S*\s*$/i;
/** A value that is only a date or a time stamp. */
const BARE_DATE = /^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?:[T\s][\d:.]+Z?)?\s*$/;

/** The fields a template is judged on, the title first: all but the url and those named like ids, links and dates. */
export function templateFieldNames(fields: Readonly<Record<string, string>>): string[] {
  const names: string[] = [];
  if (typeof fields.title === 'string' && fields.title !== '') names.push('title');
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'title' || typeof value !== 'string' || value === '' || NOT_TEMPLATE.test(name) || BARE_URL.test(value) || BARE_DATE.test(value)) continue;
    names.push(name);
  }
  return names;
}

/**
 * The text a posting's template is judged on (`templateFieldNames`), folded as the rules see text
 * (case, NFKC, look-alikes, Traditional to Simplified Chinese), then every run of what is not a
 * letter, mark or digit made one space. Every script and every digit is kept.
 */
export function templateText(fields: Readonly<Record<string, string>>): string {
  return normalizeString(
    templateFieldNames(fields)
      .map((name) => fields[name])
      .join('\n'),
  )
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

let scratch = new Uint32Array(4096);
const mins = new Uint32Array(BINS);

/**
 * Sketch a template text: its b-bit MinHash signature (the low 8 bits of each bin's value, BINS
 * bytes at `sigAt` of `signature`) and its band hashes (BANDS values at `bandAt` of `bands`).
 * Returns false, writing nothing, when the text has fewer than MIN_SHINGLES shingles.
 */
export function sketch(text: string, signature: Uint8Array, sigAt: number, bands: Uint32Array, bandAt: number): boolean {
  // The text's code points, so a shingle is SHINGLE characters of any script.
  let n = 0;
  if (scratch.length < text.length) scratch = new Uint32Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        scratch[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    scratch[n++] = c;
  }
  const shingles = n - SHINGLE + 1;
  if (shingles < MIN_SHINGLES) return false;
  mins.fill(EMPTY);
  for (let i = 0; i < shingles; i++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < SHINGLE; j++) h = Math.imul(h ^ scratch[i + j]!, 0x01000193);
    h = fmix(h);
    const bin = h & (BINS - 1);
    const value = h >>> 7;
    if (value < mins[bin]!) mins[bin] = value;
  }
  // Optimal densification: an empty bin takes the value of the first non-empty bin its own probe
  // sequence reaches, so two texts with the same non-empty bins fill their empty ones alike.
  for (let bin = 0; bin < BINS; bin++) {
    let value = mins[bin]!;
    for (let attempt = 1; value === EMPTY; attempt++) {
      const probe = fmix(Math.imul(bin + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b)) & (BINS - 1);
      value = mins[probe]!;
    }
    scratch[bin] = value;
  }
  for (let bin = 0; bin < BINS; bin++) signature[sigAt + bin] = scratch[bin]! & 0xff;
  for (let band = 0; band < BANDS; band++) {
    let h = fmix(band + 0x27d4eb2f);
    for (let row = 0; row < ROWS; row++) h = fmix(Math.imul(h ^ scratch[band * ROWS + row]!, 0x9e3779b1) + row);
    bands[bandAt + band] = h;
  }
  return true;
}

/**
 * Jaccard similarity estimated from two b-bit signatures: the share of equal bytes, less the 1 in
 * 256 that two different values agree by chance (Li and König's correction).
 */
export function estimateJaccard(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): number {
  let equal = 0;
  for (let i = 0; i < BINS; i++) if (a[aAt + i] === b[bAt + i]) equal++;
  const chance = 1 / 256;
  return Math.max(0, (equal / BINS - chance) / (1 - chance));
}
