// Emoji that lure ads write in place of words (✈️ for a flight, 🏠 for lodging, 🇰🇭 for Cambodia),
// folded to the word so one pattern covers both ("free flight", "🆓✈️"). Flags become the country's
// English name through ICU's region names, so every flag is covered without a list.

import type { Units } from './units.js';

/** Emoji (one code point, any variation selector dropped) to the word it stands for. */
const WORDS: ReadonlyArray<[string, string]> = [
  // travel paid
  ['✈', 'flight'],
  ['🛫', 'flight'],
  ['🛬', 'flight'],
  ['🛩', 'flight'],
  ['🎫', 'ticket'],
  ['🎟', 'ticket'],
  ['🛂', 'passport'],
  ['🧳', 'luggage'],
  ['🚢', 'ship'],
  ['⛴', 'boat'],
  ['🛥', 'boat'],
  ['🚤', 'boat'],
  ['⛵', 'boat'],
  ['🚣', 'boat'],
  // free, no cost
  ['🆓', 'free'],
  ['🈚', 'free'],
  ['🆕', 'new'],
  // board and lodging
  ['🏠', 'accommodation'],
  ['🏡', 'accommodation'],
  ['🛏', 'accommodation'],
  ['🏘', 'accommodation'],
  ['🏨', 'hotel'],
  ['🍚', 'food'],
  ['🍜', 'food'],
  ['🍱', 'food'],
  ['🍽', 'food'],
  ['🍲', 'food'],
  ['🍛', 'food'],
  ['🥘', 'food'],
  ['🍳', 'food'],
  // pay
  ['💰', 'money'],
  ['💵', 'money'],
  ['💲', 'money'],
  ['💸', 'money'],
  ['🤑', 'money'],
  ['💴', 'money'],
  ['💶', 'money'],
  ['💷', 'money'],
  ['🎁', 'bonus'],
  ['₿', 'bitcoin'],
  ['🪙', 'coin'],
  // contact
  ['📱', 'phone'],
  ['📲', 'phone'],
  ['☎', 'phone'],
  ['📞', 'phone'],
  ['📩', 'message'],
  ['📧', 'email'],
  ['✉', 'message'],
  ['💬', 'chat'],
  // work
  ['💻', 'computer'],
  ['🖥', 'computer'],
  ['⌨', 'typing'],
  ['💼', 'job'],
  ['📍', 'location'],
  ['🎰', 'casino'],
  ['🎲', 'casino'],
  ['🃏', 'casino'],
  // no / none
  ['🚫', 'no'],
  ['❌', 'no'],
  ['⛔', 'no'],
];

const BY_CODE_POINT = new Map<number, string>(WORDS.map(([emoji, word]) => [emoji.codePointAt(0)!, word]));

/** Joiners and modifiers that belong to the emoji before them: variation selectors, skin tones, ZWJ sequences. */
export function isEmojiTail(cp: number): boolean {
  return cp === 0xfe0f || cp === 0xfe0e || (cp >= 0x1f3fb && cp <= 0x1f3ff) || cp === 0x200d;
}

/** Regional indicator symbols 🇦 .. 🇿: two of them make a flag. */
export function regionalLetter(cp: number): string | undefined {
  return cp >= 0x1f1e6 && cp <= 0x1f1ff ? String.fromCharCode(65 + cp - 0x1f1e6) : undefined;
}

let regionNames: Intl.DisplayNames | undefined;
const FLAGS = new Map<string, string>();

/** A flag's two letters as the country's name in lower case (`kh` → `cambodia`), undefined when unknown. */
export function flagWord(region: string): string | undefined {
  let word = FLAGS.get(region);
  if (word === undefined) {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    let name: string | undefined;
    try {
      name = regionNames.of(region);
    } catch {
      name = undefined;
    }
    // Short everyday names where ICU's are long ("Myanmar (Burma)", "United Arab Emirates" stays).
    word = (name ?? '')
      .replace(/\s*\(.*\)$/, '')
      .replace(/&/g, 'and')
      .toLowerCase();
    FLAGS.set(region, word);
  }
  return word === '' ? undefined : word;
}

/** The word an emoji code point stands for, if any. */
export function emojiWord(cp: number): string | undefined {
  return BY_CODE_POINT.get(cp);
}

/** A cheap first test on a UTF-16 unit: can an emoji this module knows start here? */
export function mayStartEmoji(code: number): boolean {
  return (code >= 0x20a0 && code <= 0x2bff) || (code >= 0xd83c && code <= 0xd83e);
}

/**
 * An emoji standing for a word (✈️ flight, 🇰🇭 cambodia) at `at`: its word goes in between spaces,
 * every unit of it mapped to the emoji's span, and its joiners and modifiers go with it. Returns
 * where the emoji ends, or `at` when there is none to fold here.
 */
export function foldEmoji(units: Units, input: string, at: number): number {
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
