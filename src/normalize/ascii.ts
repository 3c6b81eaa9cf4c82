// The fast path for plain ASCII without markup, spelled-out words or leet (most postings in
// English): lower case with white space collapsed, which native string methods do many times
// faster than the general path. Anything else is left to the general path, so the result is the
// same either way.
import { MAY_LEET } from './lookalikes.js';
import { looksLikeHtml } from './markup.js';
import { MAY_SPELL } from './spelled.js';

const NOT_ASCII = /[^\x00-\x7f]/;
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f]+/g;
/** White space other than one plain space: what `fold` collapses. */
const WHITE_RUN = /[\t\n\v\f\r]\s*| \s+/g;

/** The folded text of `input` when the fast path can fold it, else undefined. */
export function foldAscii(input: string): string | undefined {
  if (NOT_ASCII.test(input) || looksLikeHtml(input)) return undefined;
  const folded = input.replace(CONTROL, '').toLowerCase().replace(WHITE_RUN, ' ').trim();
  if (!MAY_SPELL.test(folded) && !MAY_LEET.test(folded)) return folded;
  return undefined;
}
