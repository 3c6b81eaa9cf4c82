// Letter classes the later stages test code points against: letters (any script, memoised per
// BMP code point), ASCII digits and Latin letters.

const LETTER = /\p{L}/u;
/** Letter test results for the Basic Multilingual Plane: 0 unknown, 1 letter, 2 not. */
const LETTER_TABLE = new Uint8Array(0x10000);
export function isLetter(cp: number): boolean {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
  if (cp > 0xffff) return LETTER.test(String.fromCodePoint(cp));
  let known = LETTER_TABLE[cp]!;
  if (known === 0) {
    known = LETTER.test(String.fromCharCode(cp)) ? 1 : 2;
    LETTER_TABLE[cp] = known;
  }
  return known === 1;
}
export function isDigit(cp: number): boolean {
  return cp >= 48 && cp <= 57;
}
export function isLatin(cp: number): boolean {
  return (cp >= 97 && cp <= 122) || (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) || (cp >= 0x1e00 && cp <= 0x1eff);
}

export function isWordChar(cp: number): boolean {
  return isLetter(cp) || isDigit(cp);
}
