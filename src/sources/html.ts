// Saved web pages: the page's visible text as one posting (title from <title> or the first heading).
import type { ReadItem } from '../types.js';
import { errorItem, MAX_RECORD_CHARS, readAll, type FormatReader } from './context.js';
import { textWarnings } from './fields.js';

const HIDDEN = 'script, style, noscript, template, svg, nav, footer, header, aside, form, iframe, [hidden], [aria-hidden="true"]';
const BLOCK = 'p, div, section, article, main, li, ul, ol, h1, h2, h3, h4, h5, h6, tr, table, br, hr, blockquote, pre, dd, dt';

/** Visible text of a page with block elements on their own lines. */
export async function visibleText(html: string): Promise<{ title: string; text: string }> {
  // Loaded on first use: most scans read no HTML, and cheerio costs ~100 ms to load.
  const cheerio = await import('cheerio');
  const $ = cheerio.load(html);
  const title = $('title').first().text().trim() || $('h1').first().text().trim();
  $(HIDDEN).remove();
  $(BLOCK).each((_, element) => {
    $(element).prepend('\n').append('\n');
  });
  const scope = $('main').length > 0 ? 'main' : $('body').length > 0 ? 'body' : undefined;
  const raw = scope ? $(scope).text() : $.root().text();
  const text = raw
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  return { title, text };
}

/**
 * A reader for formats that hold one posting per file: the whole text is read (up to the record cap)
 * and `extract` turns it into fields, or into nothing when the file has no text.
 */
function wholeFileReader(extract: (text: string) => Promise<Record<string, string> | undefined>): FormatReader {
  return async function* (text, context): AsyncGenerator<ReadItem> {
    const file = context.file;
    const whole = await readAll(text);
    if (whole === undefined) {
      yield errorItem(file, { file }, 'RECORD_TOO_LARGE', `${file} is larger than ${MAX_RECORD_CHARS / 1024 / 1024} M characters`);
      return;
    }
    const fields = await extract(whole);
    if (!fields) {
      yield errorItem(file, { file }, 'EMPTY_FILE', `${file} has no text`);
      return;
    }
    const warnings = textWarnings(fields, context.decode.invalidUtf8);
    yield { kind: 'posting', posting: { id: file, source: { file }, fields, ...(warnings.length ? { warnings } : {}) } };
  };
}

/** A saved page: its title and visible text. */
export const readHtml = wholeFileReader(async (html) => {
  const page = await visibleText(html);
  if (page.text === '' && page.title === '') return undefined;
  return { ...(page.title ? { title: page.title } : {}), description: page.text };
});

/** A text file: the first line is the title when it is short. */
export const readTxt = wholeFileReader(async (body) => {
  if (body.trim() === '') return undefined;
  const firstLine = body.trim().split('\n', 1)[0]!.trim();
  return { ...(firstLine.length <= 160 ? { title: firstLine } : {}), description: body };
});
