// Postings to model features: the same folded text the rules see, cut into words (English stemmed,
// stopwords dropped), CJK character bigrams, dictionary-segmented Thai/Lao/Khmer/Burmese, adjacent
// word pairs, title words apart from body words, whole short-field values, and classes for contact
// handles, phone numbers, links and amounts. Pure functions, no I/O.
import { createRequire } from 'node:module';
import { normalizeString } from '../normalize/index.js';

const require = createRequire(import.meta.url);
// Submodules only: the package root loads dotenv and prints to stdout (see README, "natural").
const porter = require('natural/lib/natural/stemmers/porter_stemmer') as { stem(word: string): string };
const stopwordList = (require('natural/lib/natural/util/stopwords') as { words: string[] }).words;

/** Everything that changes the features; stored in the model so a scan tokenizes as training did. */
export interface TokenizerSettings {
  version: 1;
  /** Adjacent word pairs (after stopwords are dropped) as well as single words. */
  pairs: boolean;
  /** Han/kana runs as character bigrams; `unigrams` adds the single characters too. */
  cjk: 'bigrams' | 'unigrams+bigrams';
  /** Fields whose words get their own prefix (`title:` words weigh apart from body words). */
  prefixed: string[];
  /** A field value at most this long (folded) also becomes one whole-value token, `field=value`. */
  shortValueMax: number;
}

export const DEFAULT_TOKENIZER: TokenizerSettings = {
  version: 1,
  pairs: true,
  cjk: 'bigrams',
  prefixed: ['title', 'company'],
  shortValueMax: 24,
};

/**
 * Writing systems the model keeps apart: each has its own vocabulary, and the labelled data in each
 * has its own share of fraud (5.9% in the Chinese 58.com set, 46% in the English EMSCAD subset), so
 * one set of class totals and priors over all of them misjudges both.
 */
export const SCRIPTS = ['han', 'latin', 'thai', 'other'] as const;
export type Script = (typeof SCRIPTS)[number];

/** Fields (folded names) that are ids or links: their digits and paths only add noise. */
const OPAQUE_FIELD = /(?:url|uri|link)$|^(?:id|jobid|companyid|adid|postingid|listingid|creditcode|orgnumber|sourcefile)$/;

const STOPWORDS = new Set(stopwordList);
const STEMS = new Map<string, string>();
const MAX_STEM_CACHE = 200_000;

function stem(word: string): string {
  let stemmed = STEMS.get(word);
  if (stemmed === undefined) {
    stemmed = porter.stem(word);
    if (STEMS.size >= MAX_STEM_CACHE) STEMS.clear();
    STEMS.set(word, stemmed);
  }
  return stemmed;
}

// Contact and money classes are found first and cut out, so their digits don't also count as words.
const CLASS_PATTERNS: Array<[string, RegExp]> = [
  ['§email', /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[a-z]{2,}/gu],
  ['§telegram-link', /\b(?:t\.me|telegram\.me|telegram\.dog)\/[\w+]+/gu],
  ['§whatsapp-link', /\b(?:wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com)\/[\w?=&/+-]*/gu],
  ['§url', /\b(?:https?:\/\/|www\.)[^\s<>"']+/gu],
  ['§handle', /(?<![\p{L}\p{N}])@[a-z][\w.]{3,}/gu],
  ['§money', /(?:[$€£¥₱฿₫₹]|\b(?:usd|rmb|cny|thb|php|myr|idr|vnd|sgd|eur|gbp)\b|rp\.?)\s?\d[\d,.]*\s?[k万千]?|\d[\d,.]*\s?[k万千]?\s?(?:[$€£¥₱฿₫元]|\b(?:usd|rmb|cny|thb|php|myr|idr|vnd|sgd|eur|gbp|dollars?|baht|pesos?|ringgit|rupiah|dong)\b|美金|美元|人民币|块)/gu],
  ['§phone', /\+?\d[\d\s().-]{7,17}\d/gu],
];

// Scripts without spaces between words that ICU segments by dictionary.
const SEGMENTED_SCRIPT = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
// A run of word characters: letters with their marks, digits.
const RUN = /[\p{L}\p{M}\p{N}]+/gu;
const HAN_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+/gu;

let segmenter: Intl.Segmenter | undefined;
function segmentWords(run: string): string[] {
  segmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
  const words: string[] = [];
  for (const part of segmenter.segment(run)) if (part.isWordLike) words.push(part.segment);
  return words;
}

/** Counts of features for one posting; a token's presence is what the model uses. */
export type Features = Map<string, number>;

/** Letters seen per script while tokenizing, to find the posting's main writing system. */
type ScriptTally = Record<Script, number>;

function add(features: Features, token: string): void {
  features.set(token, (features.get(token) ?? 0) + 1);
}

/** A number as a size class: its digit count, so `7000` and `8000` look alike but `70` does not. */
function numberToken(digits: string): string {
  return digits.length <= 2 ? digits : `§n${digits.length}`;
}

/** Words, pairs and CJK bigrams of one folded field, each token prefixed. */
function addText(features: Features, tally: ScriptTally, text: string, prefix: string, settings: TokenizerSettings): void {
  let rest = text;
  for (const [name, pattern] of CLASS_PATTERNS) {
    if (!pattern.test(rest)) continue;
    pattern.lastIndex = 0;
    rest = rest.replace(pattern, () => {
      add(features, prefix + name);
      return ' ';
    });
  }
  let previous: string | undefined;
  const addWord = (word: string): void => {
    add(features, prefix + word);
    if (settings.pairs && previous !== undefined) add(features, `${prefix}${previous}_${word}`);
    previous = word;
  };
  for (const match of rest.matchAll(RUN)) {
    const run = match[0];
    if (CJK_CHAR.test(run)) {
      tally.han += run.length;
      previous = undefined;
      addCjk(features, run, prefix, settings);
      continue;
    }
    if (SEGMENTED_SCRIPT.test(run)) {
      tally.thai += run.length;
      for (const word of segmentWords(run)) addWord(word);
      continue;
    }
    if (/^\d+$/.test(run)) {
      addWord(numberToken(run));
      continue;
    }
    if (/[a-z]/.test(run)) tally.latin += run.length;
    else tally.other += run.length;
    if (STOPWORDS.has(run) || run.length < 2) continue;
    addWord(/^[a-z]+$/.test(run) ? stem(run) : run);
  }
}

/** Han and kana as overlapping character pairs; other characters in the run (digits, Latin) as words. */
function addCjk(features: Features, run: string, prefix: string, settings: TokenizerSettings): void {
  let last = 0;
  for (const match of run.matchAll(HAN_RUN)) {
    const start = match.index ?? 0;
    if (start > last) addOther(features, run.slice(last, start), prefix);
    const chars = [...match[0]];
    if (chars.length === 1 || settings.cjk === 'unigrams+bigrams') for (const char of chars) add(features, prefix + char);
    for (let i = 0; i + 1 < chars.length; i++) add(features, prefix + chars[i]! + chars[i + 1]!);
    last = start + match[0].length;
  }
  if (last < run.length) addOther(features, run.slice(last), prefix);
}

function addOther(features: Features, part: string, prefix: string): void {
  if (/^\d+$/.test(part)) add(features, prefix + numberToken(part));
  else if (part.length >= 2) add(features, prefix + part);
}

/** Whole-value token for a short field, with numbers as magnitude classes (`applyNum#4` for 8-15). */
function addShortValue(features: Features, field: string, value: string, settings: TokenizerSettings): void {
  const trimmed = value.trim();
  if (trimmed === '') {
    add(features, `${field}=∅`);
    return;
  }
  if ([...trimmed].length > settings.shortValueMax) return;
  const number = /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
  const date = /^((?:19|20)\d\d)-\d\d-\d\d\b/.exec(trimmed);
  if (number !== undefined) add(features, `${field}#${number <= 0 ? 0 : Math.floor(Math.log2(number + 1))}`);
  else if (date) add(features, `${field}#y${date[1]}`);
  else add(features, `${field}=${trimmed.replace(/\d+/g, (d) => numberToken(d))}`);
}

export interface Tokenized {
  features: Features;
  /** The writing system with the most letters (Thai stands for every dictionary-segmented script). */
  script: Script;
}

/** Features of one posting's fields (field names as read: title, description, extras). */
export function tokenize(fields: Readonly<Record<string, string>>, settings: TokenizerSettings = DEFAULT_TOKENIZER): Tokenized {
  const features: Features = new Map();
  const tally: ScriptTally = { han: 0, latin: 0, thai: 0, other: 0 };
  for (const [field, raw] of Object.entries(fields)) {
    const key = field.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    const text = normalizeString(raw);
    const opaque = OPAQUE_FIELD.test(key);
    if (field !== 'description' && !opaque) addShortValue(features, key, text, settings);
    if (opaque) continue;
    addText(features, tally, text, settings.prefixed.includes(field) ? `${field}:` : '', settings);
  }
  let script: Script = 'other';
  for (const name of SCRIPTS) if (tally[name] > tally[script]) script = name;
  return { features, script };
}
