// Stage two: letters spelled out one by one to dodge keyword filters ("T.e.l.e.g.r.a.m",
// "W h a t s a p p") joined back into the word.
import { isLetter, isWordChar } from './letters.js';
import type { Units } from './units.js';

/** Separators between the letters of a spelled-out word: "T.e.l.e.g.r.a.m", "W h a t s". */
const SPELL_SEPARATORS = new Set([32, 46, 45, 95, 42, 0xb7, 0x2022, 0x30fb]);
const MIN_SPELLED = 4;

/** Stage two: join four or more single letters that are split by one separator each. */
export function joinSpelled(units: Units): Units {
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

/**
 * The last three of four single letters split by one separator each: in any text `joinSpelled`
 * would change (starting the pattern at a separator keeps the scan fast).
 */
export const MAY_SPELL = /[ ._*-][a-z][ ._*-][a-z][ ._*-][a-z](?![a-z0-9])/;
