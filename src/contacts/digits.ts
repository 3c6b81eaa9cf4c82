// Digits as ads disguise them: full-width (０８１２), enclosed (①), other scripts' digits (๐๘๑,
// ០៨១, ০৮১), Han numerals in a run (零八一二), and digits spelled out as words (zero eight one two,
// nol delapan satu, ศูนย์แปดหนึ่ง), and Latin words with Cyrillic or Greek look-alike letters in
// them. `lightText` rewrites all but the spelled-out words in place, one UTF-16 unit for one, so
// offsets into it are offsets into the original; spelled-out runs are found apart.

/** Each single-unit digit form, as its ASCII digit. */
const DIGIT_OF = new Map<number, number>();
const addRange = (first: number, count = 10, value = 0): void => {
  for (let k = 0; k < count; k++) DIGIT_OF.set(first + k, 48 + value + k);
};
addRange(0xff10); // full-width
addRange(0x0660); // Arabic-Indic
addRange(0x06f0); // Extended Arabic-Indic (Urdu, Persian)
addRange(0x0966); // Devanagari
addRange(0x09e6); // Bengali
addRange(0x0be6); // Tamil
addRange(0x0d66); // Malayalam
addRange(0x0de6); // Sinhala Lith
addRange(0x0e50); // Thai
addRange(0x0ed0); // Lao
addRange(0x1040); // Myanmar
addRange(0x17e0); // Khmer
addRange(0x2460, 9, 1); // ①..⑨
DIGIT_OF.set(0x24ea, 48); // ⓪
addRange(0x2776, 9, 1); // ❶..❾
addRange(0x2780, 9, 1); // ➀..➈
addRange(0x278a, 9, 1); // ➊..➒
addRange(0x2474, 9, 1); // ⑴..⑼ are two units after NFKC; kept here as one
export const NATIVE_DIGIT_RANGES =
  '\\u0660-\\u0669\\u06f0-\\u06f9\\u0966-\\u096f\\u09e6-\\u09ef\\u0be6-\\u0bef\\u0d66-\\u0d6f\\u0de6-\\u0def\\u0e50-\\u0e59\\u0ed0-\\u0ed9\\u1040-\\u1049\\u17e0-\\u17e9';

/** Han numerals, as read in phone numbers (幺 is 1 said aloud). */
const HAN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  幺: 1,
  壹: 1,
  二: 2,
  贰: 2,
  貳: 2,
  两: 2,
  三: 3,
  叁: 3,
  參: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  陸: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const HAN_CLASS = Object.keys(HAN_DIGITS).join('');
/** Seven or more Han numerals in a row (a phone number's length; 一 alone is everywhere). */
const HAN_RUN = new RegExp(`[${HAN_CLASS}](?:[\\s\\-.]{0,2}[${HAN_CLASS}]){6,}`, 'g');

/** Per UTF-16 unit: the unit lightText writes for it (0: kept as it is). */
const LIGHT = new Uint16Array(0x10000);
for (let c = 0xff01; c <= 0xff5e; c++) LIGHT[c] = c - 0xfee0;
// Punctuation every Chinese or Japanese sentence has, which no identifier is written with: kept as
// it is (the patterns accept "："), so such text is only read, never copied.
for (const c of [0xff01, 0xff08, 0xff09, 0xff0c, 0xff1a, 0xff1b, 0xff1f]) LIGHT[c] = 0;
for (const [code, digit] of DIGIT_OF) LIGHT[code] = digit;
/** Per UTF-16 unit: 1 a Han numeral, 2 a Cyrillic or Greek letter (a possible look-alike). */
const KIND = new Uint8Array(0x10000);
for (const ch of Object.keys(HAN_DIGITS)) KIND[ch.charCodeAt(0)] = 1;
for (let c = 0x370; c <= 0x52f; c++) KIND[c] = 2;
const HAN_DIGIT = new RegExp(`[${HAN_CLASS}]`, 'g');
const WRITTEN_ESCAPE = /\\(?:(?:xa0|u00a0)(?![0-9a-f])|[ntr])/gi;

/** A string of UTF-16 units (fromCharCode over chunks). */
function unitsToString(units: Uint16Array): string {
  const parts: string[] = [];
  for (let k = 0; k < units.length; k += 8192) parts.push(String.fromCharCode.apply(null, units.subarray(k, k + 8192) as unknown as number[]));
  return parts.join('');
}

/**
 * The text with full-width ASCII as ASCII (but for the punctuation of CJK sentences), other digit
 * forms as ASCII digits, runs of Han numerals as digits, and Cyrillic or Greek
 * look-alikes inside Latin words as Latin letters: the same length as the original, so an offset
 * into one is an offset into the other. One pass over the units with a table; most text (below
 * Greek) is only read.
 */
export function lightText(original: string): string {
  const n = original.length;
  let units: Uint16Array | undefined;
  let han = 0;
  let confusable = false;
  for (let i = 0; i < n; i++) {
    const c = original.charCodeAt(i);
    if (c < 0x370) continue;
    const light = LIGHT[c]!;
    if (light !== 0) {
      if (!units) {
        units = new Uint16Array(n);
        for (let k = 0; k < n; k++) units[k] = original.charCodeAt(k);
      }
      units[i] = light;
      continue;
    }
    const kind = KIND[c]!;
    if (kind === 1) han++;
    else if (kind === 2) confusable = true;
  }
  let text = units ? unitsToString(units) : original;
  // Scraped text often holds escapes written out ("\\xa0", "\\n"): white space, not letters of an address.
  if (text.includes('\\')) text = text.replace(WRITTEN_ESCAPE, (written) => ' '.repeat(written.length));
  if (han >= 7) {
    HAN_RUN.lastIndex = 0;
    text = text.replace(HAN_RUN, (run) => run.replace(HAN_DIGIT, (ch) => String(HAN_DIGITS[ch])));
  }
  return confusable ? foldConfusables(text) : text;
}

/** Cyrillic and Greek letters that pass for Latin ones, folded only inside words that mix them with Latin letters ("@typеjоb_kh"). */
const CONFUSABLE: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
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
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};
const CONFUSABLE_CLASS = `[${Object.keys(CONFUSABLE).join('')}]`;
const MAY_CONFUSE = /[\u0370-\u03ff\u0400-\u052f]/;
const MIXED_WORD = /[\p{L}\p{N}_]+/gu;
const LATIN_LETTER = /[a-z]/i;
const CONFUSABLE_RE = new RegExp(CONFUSABLE_CLASS, 'g');

/** Words mixing Latin letters with Cyrillic or Greek look-alikes, written all in Latin: one unit for one. */
function foldConfusables(text: string): string {
  return text.replace(MIXED_WORD, (word) => (LATIN_LETTER.test(word) && MAY_CONFUSE.test(word) ? word.replace(CONFUSABLE_RE, (ch) => CONFUSABLE[ch]!) : word));
}

/** Digit words by language (Latin script: English, Spanish, Indonesian and Malay, Tagalog, Vietnamese). */
const LATIN_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  cero: 0,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  nol: 0,
  kosong: 0,
  satu: 1,
  dua: 2,
  tiga: 3,
  empat: 4,
  lima: 5,
  enam: 6,
  tujuh: 7,
  delapan: 8,
  lapan: 8,
  sembilan: 9,
  isa: 1,
  dalawa: 2,
  tatlo: 3,
  apat: 4,
  anim: 6,
  pito: 7,
  walo: 8,
  siyam: 9,
  không: 0,
  một: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  tư: 4,
  năm: 5,
  lăm: 5,
  sáu: 6,
  bảy: 7,
  bẩy: 7,
  tám: 8,
  chín: 9,
};
const THAI_WORDS: Record<string, number> = {
  ศูนย์: 0,
  หนึ่ง: 1,
  สอง: 2,
  สาม: 3,
  สี่: 4,
  ห้า: 5,
  หก: 6,
  เจ็ด: 7,
  แปด: 8,
  เก้า: 9,
};

const byLength = (words: string[]): string[] => [...words].sort((a, b) => b.length - a.length);
const LATIN_ALT = byLength(Object.keys(LATIN_WORDS)).join('|');
const THAI_ALT = byLength(Object.keys(THAI_WORDS)).join('|');
/** Seven or more digit words or short digit groups, with at least two words (separated by white space, dots, commas or dashes). */
const LATIN_RUN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${LATIN_ALT}|\\d{1,4})(?:[\\s,.\\-]{1,3}(?:${LATIN_ALT}|\\d{1,4})){6,}(?![\\p{L}\\p{N}])`, 'giu');
const THAI_RUN = new RegExp(`(?:${THAI_ALT}|\\d{1,4})(?:[\\s\\-.]{0,2}(?:${THAI_ALT}|\\d{1,4})){6,}`, 'g');
const LATIN_ATOM = new RegExp(`${LATIN_ALT}|\\d{1,4}`, 'giu');
const THAI_ATOM = new RegExp(`${THAI_ALT}|\\d{1,4}`, 'g');
const THAI_GATE = /[\u0e00-\u0e7f]/;

export interface SpelledRun {
  start: number;
  end: number;
  digits: string;
}

/**
 * Digits spelled out as words in a run a phone number long (seven digits or more, two words or
 * more). Latin-script words are looked for only when `latin` says two digit words were seen in a
 * row (the cue scan notices, at no cost of its own).
 */
export function spelledRuns(text: string, latin: boolean): SpelledRun[] {
  const runs: SpelledRun[] = [];
  const scan = (run: RegExp, atom: RegExp, table: Record<string, number>): void => {
    run.lastIndex = 0;
    for (let m = run.exec(text); m !== null; m = run.exec(text)) {
      let digits = '';
      let words = 0;
      atom.lastIndex = 0;
      for (let a = atom.exec(m[0]); a !== null; a = atom.exec(m[0])) {
        const word = a[0].toLowerCase();
        const value = table[word];
        if (value !== undefined) {
          digits += String(value);
          words++;
        } else digits += word;
      }
      if (words >= 2 && digits.length >= 7 && digits.length <= 16) runs.push({ start: m.index, end: m.index + m[0].length, digits });
    }
  };
  if (latin) scan(LATIN_RUN, LATIN_ATOM, LATIN_WORDS);
  if (THAI_GATE.test(text)) scan(THAI_RUN, THAI_ATOM, THAI_WORDS);
  return runs.sort((a, b) => a.start - b.start);
}
