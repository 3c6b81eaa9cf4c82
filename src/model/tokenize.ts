// Postings to model features: the same folded text the rules see, cut into words (English stemmed,
// stopwords dropped), CJK character bigrams, dictionary-segmented Thai/Lao/Khmer/Burmese, adjacent
// word pairs, title words apart from body words, whole short-field values, and classes for contact
// handles, phone numbers, links and amounts. No I/O beyond loading `natural`'s stemmer and stopword
// list; what is kept between postings is the caller's TokenizerState (tokenizer-state.ts).
import { createRequire } from 'node:module';
import { normalizeString } from '../normalize/index.js';
import { ATOMS } from './atoms.js';
import { DEFAULT_TOKENIZER, type Script, SCRIPTS, type ScriptTally, type TokenizerSettings } from './token-settings.js';
import { type Features, FeatureSink, type TokenSink } from './token-sinks.js';
import { TokenizerState, type WordAtoms } from './tokenizer-state.js';
import type { Vocabulary } from './vocabulary.js';

export { DEFAULT_TOKENIZER, SCRIPTS, type Script, type TokenizerSettings } from './token-settings.js';
export type { Features } from './token-sinks.js';
export { TokenizerState } from './tokenizer-state.js';

const require = createRequire(import.meta.url);
// Submodules only: the package root loads dotenv and prints to stdout.
const porter = require('natural/lib/natural/stemmers/porter_stemmer') as { stem(word: string): string };
const stopwordList = (require('natural/lib/natural/util/stopwords') as { words: string[] }).words;

/** Fields (folded names) that are ids or links: their digits and paths only add noise. */
const OPAQUE_FIELD = /(?:url|uri|link)$|^(?:id|jobid|companyid|adid|postingid|listingid|creditcode|orgnumber|sourcefile)$/;

const STOPWORDS = new Set(stopwordList);

/** The atom of the word as counted (stemmed when it is all a-z), -1 for a stopword; `words` remembers it. */
function countedWord(run: string, lowerAscii: boolean, words: WordAtoms): number {
  let atom = words.get(run);
  if (atom === undefined) {
    atom = STOPWORDS.has(run) ? -1 : ATOMS.of(lowerAscii ? porter.stem(run) : run);
    words.set(run, atom);
  }
  return atom;
}

// Contact and money classes are found first and cut out, so their digits don't also count as words.
const CLASS_PATTERNS: Array<[string, RegExp]> = [
  ['§email', /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[a-z]{2,}/gu],
  ['§telegram-link', /\b(?:t\.me|telegram\.me|telegram\.dog)\/[\w+]+/gu],
  ['§whatsapp-link', /\b(?:wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com)\/[\w?=&/+-]*/gu],
  ['§url', /\b(?:https?:\/\/|www\.)[^\s<>"']+/gu],
  ['§handle', /(?<![\p{L}\p{N}])@[a-z][\w.]{3,}/gu],
  [
    '§money',
    /(?:[$€£¥₱฿₫₹]|\b(?:usd|rmb|cny|thb|php|myr|idr|vnd|sgd|eur|gbp)\b|rp\.?)\s?\d[\d,.]*\s?[k万千]?|\d[\d,.]*\s?[k万千]?\s?(?:[$€£¥₱฿₫元]|\b(?:usd|rmb|cny|thb|php|myr|idr|vnd|sgd|eur|gbp|dollars?|baht|pesos?|ringgit|rupiah|dong)\b|美金|美元|人民币|块)/gu,
  ],
  ['§phone', /\+?\d[\d\s().-]{7,17}\d/gu],
];

// Per-character classes, tested once per BMP code point and then looked up: a hand-written scan
// over character codes is several times faster than matching runs with Unicode-property regexes.
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
// Scripts without spaces between words that ICU segments by dictionary.
const SEGMENTED_SCRIPT = /^[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;
const CJK_CHAR = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const KNOWN = 1;
const WORD = 2;
/** Han, kana and the prolonged-sound mark ー: what runs of character bigrams are made of. */
const HAN_RUN = 4;
/** Hangul syllables (U+AC00-U+D7A3). */
const HANGUL = 8;
const SEGMENTED = 16;
const LOWER = 32;
const DIGIT = 64;
const FLAGS = new Uint8Array(0x10000);
const ASTRAL_FLAGS = new Map<number, number>();

function classify(char: string): number {
  let flags = KNOWN;
  if (WORD_CHAR.test(char)) flags |= WORD;
  if (CJK_CHAR.test(char)) flags |= HAN_RUN;
  if (char === 'ー') flags |= HAN_RUN;
  if (char >= '\uac00' && char <= '\ud7a3') flags |= HANGUL;
  if (SEGMENTED_SCRIPT.test(char)) flags |= SEGMENTED;
  if (char >= 'a' && char <= 'z') flags |= LOWER;
  if (char >= '0' && char <= '9') flags |= DIGIT;
  return flags;
}

/** Flags of the code point at `i` (`code` is its first UTF-16 unit). */
function flagsAt(text: string, i: number, code: number): number {
  if (code < 0xd800 || code > 0xdbff) {
    let flags = FLAGS[code]!;
    if (flags === 0) FLAGS[code] = flags = classify(String.fromCharCode(code));
    return flags;
  }
  const cp = text.codePointAt(i)!;
  if (cp <= 0xffff) return KNOWN; // a lone surrogate
  let flags = ASTRAL_FLAGS.get(cp);
  if (flags === undefined) ASTRAL_FLAGS.set(cp, (flags = classify(String.fromCodePoint(cp))));
  return flags;
}

let segmenter: Intl.Segmenter | undefined;
function segmentWords(run: string): string[] {
  segmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
  const words: string[] = [];
  for (const part of segmenter.segment(run)) if (part.isWordLike) words.push(part.segment);
  return words;
}

/** A number as a size class: its digit count, so `7000` and `8000` look alike but `70` does not. */
function numberToken(digits: string): string {
  return digits.length <= 2 ? digits : `§n${digits.length}`;
}

/** Cheap tests that rule a class pattern out before its regex runs over the whole field. */
const CLASS_HINTS: Record<string, (text: string) => boolean> = {
  '§email': (text) => text.includes('@'),
  '§telegram-link': (text) => text.includes('.me/') || text.includes('.dog/'),
  '§whatsapp-link': (text) => text.includes('wa.me/') || text.includes('whatsapp.com/'),
  '§url': (text) => text.includes('://') || text.includes('www.'),
  '§handle': (text) => text.includes('@'),
};

/** Words, pairs and CJK bigrams of one folded field, each token prefixed. */
function addText(sink: TokenSink, tally: ScriptTally, text: string, prefix: string, settings: TokenizerSettings, words: WordAtoms): void {
  let rest = text;
  for (const [name, pattern] of CLASS_PATTERNS) {
    const hint = CLASS_HINTS[name];
    if ((hint && !hint(rest)) || !pattern.test(rest)) continue;
    pattern.lastIndex = 0;
    rest = rest.replace(pattern, () => {
      sink.add(prefix + name);
      return ' ';
    });
  }
  sink.cut();
  const n = rest.length;
  let i = 0;
  while (i < n) {
    // One run of word characters (letters with their marks, digits), and what it holds.
    let code = rest.charCodeAt(i);
    let flags = flagsAt(rest, i, code);
    if ((flags & WORD) === 0) {
      i += width(rest, i);
      continue;
    }
    const start = i;
    let any = 0;
    let all = LOWER | DIGIT | HANGUL;
    do {
      any |= flags;
      all &= flags;
      i += width(rest, i);
      if (i >= n) break;
      code = rest.charCodeAt(i);
      flags = flagsAt(rest, i, code);
    } while (flags & WORD);
    // Any Han, kana or ー makes a CJK run: so a word (an atom) never holds those characters, and
    // word tokens never share a string with the character tokens.
    if (any & HAN_RUN) {
      tally.han += i - start;
      sink.cut();
      addCjk(sink, rest.slice(start, i), prefix, settings);
      continue;
    }
    if (any & SEGMENTED) {
      tally.thai += i - start;
      for (const word of segmentWords(rest.slice(start, i))) sink.word(prefix, ATOMS.of(word));
      continue;
    }
    if (all & DIGIT) {
      sink.word(prefix, ATOMS.of(numberToken(rest.slice(start, i))));
      continue;
    }
    if (any & LOWER) tally.latin += i - start;
    else tally.other += i - start;
    if (i - start < 2) continue;
    const atom = countedWord(rest.slice(start, i), (all & LOWER) !== 0, words);
    if (atom >= 0) sink.word(prefix, atom);
    if (all & HANGUL && i - start > 2 && settings.hangul === 'words+bigrams') addHangulPairs(sink, rest, start, i, prefix);
  }
}

/**
 * The syllable pairs of a Korean word of three or more syllables, under their own prefix (`§ko:`;
 * `§` never occurs inside a word) so they never share a string with a two-syllable word. The word
 * itself stays the one pairs of words are made of.
 */
function addHangulPairs(sink: TokenSink, text: string, from: number, to: number, prefix: string): void {
  const pairPrefix = `${prefix}${HANGUL_PAIR}`;
  for (let k = from; k + 1 < to; k++) sink.chars(pairPrefix, text, k, k + 2);
}
const HANGUL_PAIR = '§ko:';

/** Han and kana as overlapping character pairs; other characters in the run (digits, Latin) as words. */
function addCjk(sink: TokenSink, run: string, prefix: string, settings: TokenizerSettings): void {
  const n = run.length;
  let last = 0;
  let i = 0;
  while (i < n) {
    if ((flagsAt(run, i, run.charCodeAt(i)) & HAN_RUN) === 0) {
      i += width(run, i);
      continue;
    }
    if (i > last) addOther(sink, run.slice(last, i), prefix);
    // Code point boundaries of this Han/kana stretch.
    const bounds = [i];
    while (i < n && flagsAt(run, i, run.charCodeAt(i)) & HAN_RUN) bounds.push((i += width(run, i)));
    const chars = bounds.length - 1;
    if (chars === 1 || settings.cjk === 'unigrams+bigrams') for (let k = 0; k < chars; k++) sink.chars(prefix, run, bounds[k]!, bounds[k + 1]!);
    for (let k = 0; k + 1 < chars; k++) sink.chars(prefix, run, bounds[k]!, bounds[k + 2]!);
    last = i;
  }
  if (last < n) addOther(sink, run.slice(last), prefix);
}

/** UTF-16 units of the code point at `i`: 2 for a surrogate pair, else 1. */
function width(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return 1;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

function addOther(sink: TokenSink, part: string, prefix: string): void {
  if (/^\d+$/.test(part)) sink.unigram(prefix, ATOMS.of(numberToken(part)));
  else if (part.length >= 2) sink.unigram(prefix, ATOMS.of(part));
}

/** Whole-value token for a short field, with numbers as magnitude classes (`applyNum#4` for 8-15). */
function addShortValue(sink: TokenSink, field: string, value: string, settings: TokenizerSettings): void {
  const trimmed = value.trim();
  if (trimmed === '') {
    sink.add(`${field}=∅`);
    return;
  }
  // A code point is one or two UTF-16 units: only a value of at most twice the limit needs counting.
  if (trimmed.length > 2 * settings.shortValueMax || [...trimmed].length > settings.shortValueMax) return;
  const number = /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
  const date = /^((?:19|20)\d\d)-\d\d-\d\d\b/.exec(trimmed);
  if (number !== undefined) sink.add(`${field}#${number <= 0 ? 0 : Math.floor(Math.log2(number + 1))}`);
  else if (date) sink.add(`${field}#y${date[1]}`);
  else sink.add(`${field}=${trimmed.replace(/\d+/g, (d) => numberToken(d))}`);
}

export interface Tokenized {
  features: Features;
  /** The writing system with the most letters (Thai stands for every dictionary-segmented script). */
  script: Script;
}

const FIELD_KEYS = new Map<string, string>();

/** A field's name folded for tokens: lower case, letters and digits only. */
function fieldKey(field: string): string {
  let key = FIELD_KEYS.get(field);
  if (key === undefined) {
    key = field.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    if (FIELD_KEYS.size < 10_000) FIELD_KEYS.set(field, key);
  }
  return key;
}

/** Feeds one field (its name as read: title, description, extras) to `sink`, counting its letters in `tally`. */
function scanField(sink: TokenSink, tally: ScriptTally, field: string, raw: string, settings: TokenizerSettings, words: WordAtoms, folded?: string): void {
  const key = fieldKey(field);
  const opaque = OPAQUE_FIELD.test(key);
  if (opaque) return;
  const text = folded ?? normalizeString(raw);
  if (field !== 'description') addShortValue(sink, key, text, settings);
  addText(sink, tally, text, settings.prefixed.includes(field) ? `${field}:` : '', settings, words);
}

function emptyTally(): ScriptTally {
  return { han: 0, latin: 0, thai: 0, other: 0 };
}

/** The writing system with the most letters. */
function mainScript(tally: ScriptTally): Script {
  let script: Script = 'other';
  for (const name of SCRIPTS) if (tally[name] > tally[script]) script = name;
  return script;
}

/** Features of one posting's fields, as token strings (for scoring and explaining). */
export function tokenize(
  fields: Readonly<Record<string, string>>,
  settings: TokenizerSettings = DEFAULT_TOKENIZER,
  state: TokenizerState = new TokenizerState(),
): Tokenized {
  ATOMS.bound();
  state.words.sync();
  const sink = new FeatureSink(settings.pairs);
  const tally = emptyTally();
  for (const [field, raw] of Object.entries(fields)) scanField(sink, tally, field, raw, settings, state.words);
  return { features: sink.features, script: mainScript(tally) };
}

/** One posting's distinct tokens as ids in a training vocabulary. */
export interface TokenIds {
  ids: Int32Array;
  script: Script;
  /** Token occurrences (repeats included) found in the vocabulary, and not found (always 0 when training adds them). */
  found: number;
  unknown: number;
}

/** The tokens of `tokenize` as ids in `vocabulary` (new tokens are added): what training counts. */
export function tokenizeToIds(fields: Readonly<Record<string, string>>, settings: TokenizerSettings, vocabulary: Vocabulary, state: TokenizerState): TokenIds {
  return scanToIds(fields, settings, vocabulary, state, true);
}

/** The tokens of `tokenize` that `vocabulary` knows, as ids: to score with a model trained in this process. */
export function knownTokenIds(
  fields: Readonly<Record<string, string>>,
  settings: TokenizerSettings,
  vocabulary: Vocabulary,
  state: TokenizerState,
  folded?: ReadonlyMap<string, string>,
): TokenIds {
  return scanToIds(fields, settings, vocabulary, state, false, folded);
}

/** `folded`: fields already folded (`normalizeString`) by name, as the rules folded them: not folded again. */
function scanToIds(
  fields: Readonly<Record<string, string>>,
  settings: TokenizerSettings,
  vocabulary: Vocabulary,
  state: TokenizerState,
  add: boolean,
  folded?: ReadonlyMap<string, string>,
): TokenIds {
  ATOMS.bound();
  state.words.sync();
  const sink = state.sink.begin(vocabulary, settings.pairs, add);
  const cache = state.fieldIds.of(vocabulary, settings, add);
  const tally = emptyTally();
  for (const [field, raw] of Object.entries(fields)) {
    let entry = cache.get(field, raw);
    if (entry === undefined) {
      const own = emptyTally();
      const unknownBefore = sink.unknown;
      sink.record();
      scanField(sink, own, field, raw, settings, state.words, folded?.get(field));
      cache.set(field, raw, (entry = { ids: sink.recorded(), tally: own, unknown: sink.unknown - unknownBefore }));
    } else sink.replay(entry.ids, entry.unknown);
    tally.han += entry.tally.han;
    tally.latin += entry.tally.latin;
    tally.thai += entry.tally.thai;
    tally.other += entry.tally.other;
  }
  return { ids: sink.ids(), script: mainScript(tally), found: sink.found, unknown: sink.unknown };
}
