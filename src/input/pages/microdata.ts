// schema.org data in microdata (itemscope / itemprop): each JobPosting item as a JSON-LD-like object,
// so the same mapping turns it into posting fields.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { isElement, nodesText } from './text.js';
import type { JsonObject } from './jsonld.js';

/** A property's value as the microdata standard defines it for each kind of element. */
function propertyValue($: CheerioAPI, element: Element): string {
  const name = element.name.toLowerCase();
  const attr = (key: string): string => $(element).attr(key)?.trim() ?? '';
  if (name === 'meta') return attr('content');
  if (['a', 'area', 'link'].includes(name)) return attr('href');
  if (['img', 'audio', 'video', 'source', 'embed', 'iframe', 'track'].includes(name)) return attr('src');
  if (name === 'object') return attr('data');
  if (name === 'time' && attr('datetime') !== '') return attr('datetime');
  if ((name === 'data' || name === 'meter') && attr('value') !== '') return attr('value');
  if (attr('content') !== '') return attr('content');
  return nodesText([element]);
}

/** One item: its properties (a value, or a list when repeated) and its type's last path segment. */
function readItem($: CheerioAPI, scope: Element, depth: number): JsonObject {
  const item: JsonObject = {};
  const type = ($(scope).attr('itemtype') ?? '').trim().split(/\s+/)[0] ?? '';
  if (type !== '') item['@type'] = type.replace(/\/+$/, '').split('/').pop();
  const add = (name: string, value: unknown): void => {
    const existing = item[name];
    if (existing === undefined) item[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else item[name] = [existing, value];
  };
  const stack: AnyNode[] = [...scope.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    const props = ($(node).attr('itemprop') ?? '').trim();
    const nested = $(node).attr('itemscope') !== undefined;
    if (props !== '') {
      const value = nested ? (depth < 8 ? readItem($, node, depth + 1) : {}) : propertyValue($, node);
      for (const name of props.split(/\s+/)) add(name, value);
    }
    // A nested item's properties are its own, not this item's.
    if (nested) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return item;
}

/** Every JobPosting item on the page that is not itself inside another JobPosting. */
export function readMicrodata($: CheerioAPI): JsonObject[] {
  const postings: JsonObject[] = [];
  $('[itemscope][itemtype]').each((_, element) => {
    if (!/JobPosting\/?$/i.test(($(element).attr('itemtype') ?? '').trim().split(/\s+/)[0] ?? '')) return;
    if ($(element).parents('[itemscope][itemtype*="JobPosting"]').length > 0) return;
    postings.push(readItem($, element, 0));
  });
  return postings;
}
