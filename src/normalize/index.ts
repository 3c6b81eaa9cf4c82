// Text folding for matching, with an offset map from every normalised UTF-16 unit back to the span of
// the original text it came from, so hits can point into the text the user has. The stages, each in
// a file of its own: fold (markup, NFKC, case, emoji) → joinSpelled → foldLookalikes. What is kept
// between calls (a cluster cache and the scratch columns) has one owner, NORMALIZER (state.ts).
import { foldAscii } from './ascii.js';
import { fold } from './fold.js';
import { foldLookalikes } from './lookalikes.js';
import { looksLikeHtml } from './markup.js';
import { type NormalizedText, toFoldedString, toNormalizedText } from './offsets.js';
import { joinSpelled } from './spelled.js';
import { NORMALIZER, type NormalizerState } from './state.js';
import type { Units } from './units.js';

export { looksLikeHtml } from './markup.js';
export { type NormalizedText, originalSpan } from './offsets.js';
export { NORMALIZER, NormalizerState } from './state.js';

export interface NormalizeOptions {
  /** Strip tags and decode entities; default: when the text looks like HTML. */
  html?: boolean;
}

/** Stages one to three over the state's scratch units; a trailing space is left out of the count returned. */
function foldAll(input: string, options: NormalizeOptions, offsets: boolean, state: NormalizerState): { units: Units; n: number } {
  const html = options.html ?? looksLikeHtml(input);
  let units = fold(input, html, state.scratch.take(offsets), state.clusters);
  units = joinSpelled(units);
  foldLookalikes(units);
  // Drop a trailing space left by the collapse.
  let n = units.length;
  if (n > 0 && units.cps.data[n - 1] === 32) n--;
  return { units, n };
}

/** Fold a field's text for matching, keeping a map back to the original. */
export function normalizeText(input: string, options: NormalizeOptions = {}): NormalizedText {
  const { units, n } = foldAll(input, options, true, NORMALIZER);
  const normalized = toNormalizedText(units, n);
  NORMALIZER.scratch.release();
  return normalized;
}

/**
 * Just the folded text, for keywords, example strings and the model: `normalizeText(input).text`
 * without the map back to the original. Most postings (plain ASCII, see ascii.ts) take a fast path
 * that gives the same result.
 */
export function normalizeString(input: string): string {
  const ascii = foldAscii(input);
  if (ascii !== undefined) return ascii;
  const { units, n } = foldAll(input, {}, false, NORMALIZER);
  const text = toFoldedString(units, n);
  NORMALIZER.scratch.release();
  return text;
}
