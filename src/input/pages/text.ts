// HTML to readable text: block elements on their own lines, white space collapsed, entities decoded.
// Walks the tree with an explicit stack, so a page nested 100,000 levels deep cannot overflow it.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element, Text } from 'domhandler';
import { decodeHTML } from 'entities';

export type CheerioModule = typeof import('cheerio');

let loading: Promise<CheerioModule> | undefined;

/** cheerio, loaded on first use: most scans read no HTML, and it costs ~150 ms to load. */
export function loadCheerio(): Promise<CheerioModule> {
  loading ??= import('cheerio');
  return loading;
}

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tr',
  'ul',
  'title',
  'caption',
]);

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Tidy extracted text: spaces collapsed within lines, lines trimmed, empty lines dropped. */
export function tidyText(raw: string): string {
  return raw
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** The text of some nodes, block elements on their own lines; `skip` leaves out an element and all it holds. */
export function nodesText(nodes: readonly AnyNode[], skip?: (element: Element) => boolean): string {
  const parts: string[] = [];
  const stack: (AnyNode | string)[] = [...nodes].reverse();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    if (item.type === 'text') {
      parts.push((item as Text).data);
      continue;
    }
    if (isElement(item)) {
      if (item.type !== 'tag' || skip?.(item)) continue;
      const name = item.name.toLowerCase();
      if (name === 'br') {
        parts.push('\n');
        continue;
      }
      if (BLOCK.has(name)) {
        parts.push('\n');
        stack.push('\n');
      } else if (name === 'td' || name === 'th') {
        // Cells of a row stay on one line, apart.
        parts.push(' ');
        stack.push(' ');
      }
      for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i]!);
      continue;
    }
    if (item.type === 'root' || item.type === 'cdata') {
      const children = (item as { children: AnyNode[] }).children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return tidyText(parts.join(''));
}

const TAG = /<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>/i;

/**
 * A string that may hold HTML (a JSON-LD description usually does, sometimes escaped once more as
 * `&lt;p&gt;`) as plain text. Plain strings only have their entities decoded.
 */
export function htmlToText(cheerio: CheerioModule, value: string): string {
  let html = value;
  if (!TAG.test(html) && /&lt;\/?[a-z]/i.test(html)) html = decodeHTML(html);
  if (!TAG.test(html)) return tidyText(decodeHTML(html));
  const $ = cheerio.load(html, null, false);
  return nodesText($.root().toArray());
}

/** The first non-empty value among some meta tags (`property` or `name`). */
export function metaContent($: CheerioAPI, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = $(`meta[property="${key}"], meta[name="${key}"]`).first().attr('content')?.trim();
    if (value) return tidyText(value);
  }
  return undefined;
}
