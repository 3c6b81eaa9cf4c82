// What a body or an input is, by its declared media type or by its first characters. Shared by the
// format sniffer (input/index.ts), bodies of fetched and archived pages (formats/body.ts) and the
// fetch client, so one text is taken for HTML the same way wherever it comes from.

/** How an HTML document starts (after a byte-order mark and white space). */
export const HTML_START = /^<(!doctype\s+html|!doctype|html|head|body|meta|title|div|p|article|!--)\b/i;

export type BodyKind = 'html' | 'json' | 'text';

/** What a media type holds, or undefined when it is none of HTML, JSON or text. */
export function kindOfMediaType(contentType: string): BodyKind | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'application/json' || type === 'text/json' || /^application\/[\w.+-]*\+json$/.test(type)) return 'json';
  if (type === 'text/plain') return 'text';
  return undefined;
}

/** A body without a usable Content-Type: HTML, JSON or text by its first characters. */
export function sniffKind(text: string): BodyKind {
  const head = text
    .replace(/^\ufeff/, '')
    .trimStart()
    .slice(0, 512);
  if (HTML_START.test(head)) return 'html';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  return 'text';
}
