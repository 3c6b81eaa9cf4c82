// The folded text out of the units, and the map from each of its UTF-16 units back to the span of
// the original it came from, so hits can point into the text the user has.
import type { Units } from './units.js';

export interface NormalizedText {
  /** The folded text that rule patterns and the model see. */
  text: string;
  /** For each UTF-16 unit of `text`: the start (inclusive) and end (exclusive) in the original. */
  starts: Uint32Array;
  ends: Uint32Array;
}

/**
 * A string of UTF-16 units: fromCharCode over chunks is several times faster than spreading code
 * points, and it keeps a lone surrogate as it is (a text decoder would replace it).
 */
function unitsToString(utf16: Uint16Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let k = 0; k < utf16.length; k += CHUNK)
    parts.push(String.fromCharCode.apply(null, utf16.subarray(k, Math.min(utf16.length, k + CHUNK)) as unknown as number[]));
  return parts.join('');
}

/** The first `n` code points as UTF-16 units. */
function toUtf16(cps: Uint32Array, n: number): Uint16Array {
  let size = n;
  for (let k = 0; k < n; k++) if (cps[k]! > 0xffff) size++;
  const utf16 = new Uint16Array(size);
  if (size === n) {
    utf16.set(cps.subarray(0, n));
    return utf16;
  }
  let u = 0;
  for (let k = 0; k < n; k++) {
    const cp = cps[k]!;
    if (cp > 0xffff) {
      utf16[u++] = 0xd800 + ((cp - 0x10000) >> 10);
      utf16[u++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    } else utf16[u++] = cp;
  }
  return utf16;
}

/** Map a [start, end) span of the normalised text back to the original text. */
export function originalSpan(normalized: NormalizedText, start: number, end: number): [number, number] {
  if (normalized.starts.length === 0) return [0, 0];
  const last = Math.max(start, end - 1);
  return [normalized.starts[start] ?? 0, normalized.ends[last] ?? normalized.ends[normalized.ends.length - 1]!];
}

/** The first `n` units as the folded text with its map back to the original. */
export function toNormalizedText(units: Units, n: number): NormalizedText {
  const cps = units.cps.data;
  const utf16 = toUtf16(cps, n);
  const starts = new Uint32Array(utf16.length);
  const ends = new Uint32Array(utf16.length);
  if (utf16.length === n) {
    starts.set(units.starts.data.subarray(0, n));
    ends.set(units.ends.data.subarray(0, n));
  } else {
    // Both units of a surrogate pair map to the span of their code point.
    let u = 0;
    for (let k = 0; k < n; k++) {
      for (let w = cps[k]! > 0xffff ? 2 : 1; w > 0; w--) {
        starts[u] = units.starts.data[k]!;
        ends[u] = units.ends.data[k]!;
        u++;
      }
    }
  }
  return { text: unitsToString(utf16), starts, ends };
}

/** The first `n` units as the folded text alone. */
export function toFoldedString(units: Units, n: number): string {
  return unitsToString(toUtf16(units.cps.data, n));
}
