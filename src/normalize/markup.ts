// Markup in a field: tags (dropped, block tags read as a space, script and style skipped whole)
// and character entities (decoded), found as the first stage walks the text.
import { decodeHTML } from 'entities';

const HTML_HINT = /<\/?[a-z][a-z0-9]*(?:\s[^<>]{0,500})?\/?>|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/** True when a field holds markup: tags or entities. */
export function looksLikeHtml(text: string): boolean {
  return HTML_HINT.test(text);
}

export const INLINE_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'dfn',
  'em',
  'font',
  'i',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
]);
export const SKIP_CONTENT_TAGS = new Set(['script', 'style', 'noscript', 'template']);
export const TAG_NAME = /^<\/?([a-z][a-z0-9-]*)/i;

/** End (exclusive) of an HTML tag or comment starting at `at`, or -1 when it is not one. */
export function tagEnd(text: string, at: number): number {
  const next = text.charCodeAt(at + 1);
  const isTagStart = (next >= 97 && next <= 122) || (next >= 65 && next <= 90) || next === 47 /* / */ || next === 33 /* ! */;
  if (!isTagStart) return -1;
  if (text.startsWith('<!--', at)) {
    const close = text.indexOf('-->', at + 4);
    return close < 0 ? -1 : close + 3;
  }
  const close = text.indexOf('>', at + 1);
  if (close < 0 || close - at > 4000) return -1;
  const lt = text.indexOf('<', at + 1);
  if (lt >= 0 && lt < close) return -1;
  return close + 1;
}

const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});?/iy;

/** The decoded entity at `at` and where it ends, or undefined when there is none. */
export function entityAt(text: string, at: number): { value: string; end: number } | undefined {
  ENTITY.lastIndex = at;
  const m = ENTITY.exec(text);
  if (!m) return undefined;
  const value = decodeHTML(m[0]);
  if (value === m[0]) return undefined;
  return { value, end: at + m[0].length };
}
