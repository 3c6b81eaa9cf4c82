// Stage three: look-alikes inside a token folded to the Latin letters they pass for: Cyrillic and
// Greek homoglyphs in a Latin word ("Теlеgrаm"), and digits or symbols written for letters ("c4sin0").
import { isDigit, isLatin, isLetter, isWordChar } from './letters.js';
import type { Units } from './units.js';

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
export function foldLookalikes(units: Units): void {
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

/** A leet character between two letters: what `foldLookalikes` could fold. */
export const MAY_LEET = /[a-z][013457@$!][a-z]/;
