// Finding many short phrases (app names, phone words, place names) in folded text in one pass. An
// alternation of hundreds of phrases, each with its word boundaries, cost V8 about a microsecond a
// character here; reading the text word by word and trying only the phrases that start with each
// word (a sticky regex each), and for unspaced scripts only those that start with each character,
// costs a small part of that.

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const LATIN_PHRASE = /^[\p{Script=Latin}0-9 ./@'-]+$/u;
/** Letters of Latin-script words in folded text (lower case): ASCII, Latin-1 and Latin Extended, Vietnamese. */
const LATIN_LETTERS = 'a-z\\u00c0-\\u024f\\u1e00-\\u1eff';
const FIRST_WORD = new RegExp(`^[${LATIN_LETTERS}0-9]+`);
const NOT_LATIN = /[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]/;

export interface PhraseAt<T> {
  value: T;
  start: number;
  end: number;
  /** The text matched. */
  text: string;
}

/** 1 for a UTF-16 unit that is a letter of a Latin-script word in folded text. */
const LATIN_UNIT = new Uint8Array(0x10000);
for (let c = 97; c <= 122; c++) LATIN_UNIT[c] = 1;
for (let c = 0xc0; c <= 0x24f; c++) LATIN_UNIT[c] = 1;
for (let c = 0x1e00; c <= 0x1eff; c++) LATIN_UNIT[c] = 1;
LATIN_UNIT[0xd7] = 0;
LATIN_UNIT[0xf7] = 0;

/** The hash a word is looked up by, computed as the text is read (no string is made for a word nobody looks for). */
function hashOf(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return h;
}

interface FirstWord<T> {
  word: string;
  /** Longer phrases starting with the word, longest first; a phrase that is the word alone needs no regex (`alone`). */
  phrases: Array<{ re: RegExp; value: T }>;
  alone?: { value: T };
}

export class PhraseMatcher<T> {
  /** Latin-script phrases by the hash of their first word. */
  private readonly byHash = new Map<number, FirstWord<T>[]>();
  private readonly byUnit = new Map<number, Array<{ text: string; value: T }>>();
  private readonly firstUnit = new Uint8Array(0x10000);
  /** Words the caller wants told of, by hash (`marked`). */
  private readonly marks = new Map<number, string[]>();

  /**
   * `phrases`: folded text (lower case) and what each stands for, the first of a spelling winning.
   * In a Latin-script phrase a space matches one space or none and a dot an optional dot, and the
   * phrase ends where letters end (digits may follow); other phrases match as substrings, with or
   * without their spaces. `marked`: words `find` tells its caller of wherever they stand.
   */
  constructor(phrases: Iterable<readonly [string, T]>, marked: Iterable<string> = []) {
    const sorted = [...phrases].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const seen = new Set<string>();
    for (const [phrase, value] of sorted) {
      if (phrase === '' || seen.has(phrase)) continue;
      seen.add(phrase);
      const first = FIRST_WORD.exec(phrase)?.[0];
      if (LATIN_PHRASE.test(phrase) && first && [...first].every((ch) => LATIN_UNIT[ch.charCodeAt(0)] === 1)) {
        const body = escapeRegex(phrase).replace(/ /g, ' ?').replace(/\\\./g, '\\.?');
        const h = hashOf(first);
        const list = this.byHash.get(h) ?? [];
        let entry = list.find((e) => e.word === first);
        if (!entry) list.push((entry = { word: first, phrases: [] }));
        if (phrase === first) entry.alone ??= { value };
        else entry.phrases.push({ re: new RegExp(`${body}(?![${LATIN_LETTERS}])`, 'y'), value });
        this.byHash.set(h, list);
        continue;
      }
      for (const form of new Set([phrase, phrase.replace(/ /g, '')])) {
        const unit = form.charCodeAt(0);
        this.firstUnit[unit] = 1;
        const list = this.byUnit.get(unit) ?? [];
        list.push({ text: form, value });
        this.byUnit.set(
          unit,
          list.sort((a, b) => b.text.length - a.text.length),
        );
      }
    }
    for (const word of marked) {
      const h = hashOf(word);
      this.marks.set(h, [...(this.marks.get(h) ?? []), word]);
    }
  }

  /**
   * Every phrase in `folded`, in order, none overlapping; `onMarked` is told where each marked word
   * stands. Words are read unit by unit with a running hash, so a word no phrase starts with costs
   * no allocation.
   */
  find(folded: string, onMarked?: (word: string, start: number) => void): PhraseAt<T>[] {
    const found: PhraseAt<T>[] = [];
    const n = folded.length;
    let i = 0;
    while (i < n) {
      if (LATIN_UNIT[folded.charCodeAt(i)] !== 1) {
        i++;
        continue;
      }
      const start = i;
      let h = 0;
      while (i < n) {
        const c = folded.charCodeAt(i);
        if (LATIN_UNIT[c] !== 1) break;
        h = (Math.imul(h, 31) + c) | 0;
        i++;
      }
      const length = i - start;
      if (onMarked && this.marks.size > 0) {
        const marked = this.marks.get(h);
        if (marked) for (const word of marked) if (word.length === length && folded.startsWith(word, start)) onMarked(word, start);
      }
      const entries = this.byHash.get(h);
      if (!entries) continue;
      const entry = entries.find((e) => e.word.length === length && folded.startsWith(e.word, start));
      if (!entry) continue;
      let matched = false;
      for (const { re, value } of entry.phrases) {
        re.lastIndex = start;
        const hit = re.exec(folded);
        if (!hit) continue;
        found.push({ value, start, end: start + hit[0].length, text: hit[0] });
        i = Math.max(i, start + hit[0].length);
        matched = true;
        break;
      }
      // The word alone: it ends where letters end, as a phrase must.
      if (!matched && entry.alone) found.push({ value: entry.alone.value, start, end: i, text: folded.slice(start, i) });
    }
    if (this.byUnit.size > 0 && NOT_LATIN.test(folded)) {
      const more: PhraseAt<T>[] = [];
      for (let i = 0; i < folded.length; i++) {
        const unit = folded.charCodeAt(i);
        if (this.firstUnit[unit] === 0) continue;
        for (const { text, value } of this.byUnit.get(unit)!) {
          if (!folded.startsWith(text, i)) continue;
          // A Latin word glued to a phrase of another script ("v信") must start a word.
          if (i > 0 && /[a-z]/.test(text[0]!) && /[a-z0-9]/.test(folded[i - 1]!)) continue;
          more.push({ value, start: i, end: i + text.length, text });
          i += text.length - 1;
          break;
        }
      }
      if (more.length > 0) {
        found.push(...more);
        found.sort((a, b) => a.start - b.start);
      }
    }
    return found;
  }
}
