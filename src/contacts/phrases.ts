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

export class PhraseMatcher<T> {
  private readonly byWord = new Map<string, Array<{ re: RegExp; value: T }>>();
  private readonly byUnit = new Map<number, Array<{ text: string; value: T }>>();
  private readonly firstUnit = new Uint8Array(0x10000);
  /** The word pattern: Latin letters, and digits when a phrase starts with one. */
  private readonly word: RegExp;

  /**
   * `phrases`: folded text (lower case) and what each stands for, the first of a spelling winning.
   * In a Latin-script phrase a space matches one space or none and a dot an optional dot, and the
   * phrase ends where letters end (digits may follow); other phrases match as substrings, with or
   * without their spaces.
   */
  constructor(phrases: Iterable<readonly [string, T]>, options: { digits?: boolean } = {}) {
    const sorted = [...phrases].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const seen = new Set<string>();
    for (const [phrase, value] of sorted) {
      if (phrase === '' || seen.has(phrase)) continue;
      seen.add(phrase);
      const first = FIRST_WORD.exec(phrase)?.[0];
      if (LATIN_PHRASE.test(phrase) && first) {
        const body = escapeRegex(phrase).replace(/ /g, ' ?').replace(/\\\./g, '\\.?');
        const list = this.byWord.get(first) ?? [];
        list.push({ re: new RegExp(`${body}(?![${LATIN_LETTERS}])`, 'y'), value });
        this.byWord.set(first, list);
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
    this.word = new RegExp(`[${LATIN_LETTERS}${options.digits ? '0-9' : ''}]+`, 'g');
  }

  /** Every phrase in `folded`, in order, none overlapping; `onWord` sees every Latin word read. */
  find(folded: string, onWord?: (word: string, at: number) => void): PhraseAt<T>[] {
    const found: PhraseAt<T>[] = [];
    const word = this.word;
    word.lastIndex = 0;
    for (let m = word.exec(folded); m !== null; m = word.exec(folded)) {
      onWord?.(m[0], m.index);
      const candidates = this.byWord.get(m[0]);
      if (!candidates) continue;
      for (const { re, value } of candidates) {
        re.lastIndex = m.index;
        const hit = re.exec(folded);
        if (!hit) continue;
        found.push({ value, start: m.index, end: m.index + hit[0].length, text: hit[0] });
        word.lastIndex = Math.max(word.lastIndex, m.index + hit[0].length);
        break;
      }
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
