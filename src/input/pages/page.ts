// One HTML page to postings. Structured data first: a Telegram channel preview (one posting per
// message), then schema.org JobPosting in JSON-LD or microdata (one posting each); without it, the
// page's visible text with a title from OpenGraph, <title> or the first heading. No I/O here.
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { Warning } from '../../types.js';
import { jobPostingFields, type JobContext } from './jobposting.js';
import { readJsonLd } from './jsonld.js';
import { readMicrodata } from './microdata.js';
import { isTelegramPreview, telegramPostings } from './telegram.js';
import { loadCheerio, metaContent, nodesText, tidyText } from './text.js';

export type ExtractionMethod = 'telegram' | 'json-ld' | 'microdata' | 'text';

export interface PageExtraction {
  method: ExtractionMethod;
  /** Posting fields, one entry per posting found; empty when the page has no text at all. */
  postings: Record<string, string>[];
  /** Problems met that did not stop extraction (a JSON-LD block that could not be read). */
  warnings: Warning[];
}

const ALWAYS_HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg', 'nav', 'iframe', 'form', 'button', 'select', 'option', 'head', 'dialog']);
/** Page chrome: left out unless it sits inside the main content (an article's own header holds its title). */
const CHROME = new Set(['header', 'footer', 'aside']);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search', 'complementary']);

function hidden($: CheerioAPI, element: Element): boolean {
  const name = element.name.toLowerCase();
  if (ALWAYS_HIDDEN.has(name)) return true;
  const attrs = element.attribs;
  if ('hidden' in attrs || attrs['aria-hidden'] === 'true' || /display\s*:\s*none/i.test(attrs.style ?? '')) return true;
  const chrome = CHROME.has(name) || CHROME_ROLES.has((attrs.role ?? '').toLowerCase());
  return chrome && $(element).closest('main, article, [role="main"]').length === 0;
}

/** The page's visible text, without scripts, styles, navigation, headers, footers and forms. */
export function visibleText($: CheerioAPI): string {
  const main = $('main, [role="main"]');
  const scope = main.length > 0 ? main.toArray() : $('body').length > 0 ? $('body').toArray() : $.root().toArray();
  return nodesText(scope, (element) => hidden($, element));
}

/** The page's own address from <link rel=canonical> or og:url, resolved against `base`. */
function canonical($: CheerioAPI, base: string | undefined): string | undefined {
  const raw = $('link[rel~="canonical"]').first().attr('href')?.trim() || metaContent($, 'og:url');
  if (raw) {
    try {
      return new URL(raw, base).href;
    } catch {
      // A relative link on a saved page has nothing to resolve against; fall back to the base.
    }
  }
  return base;
}

/** Extract the postings of one page. `base` is its URL when known (fetched or archived pages). */
export async function extractPage(html: string, base?: string): Promise<PageExtraction> {
  const cheerio = await loadCheerio();
  const $ = cheerio.load(html);
  const pageUrl = canonical($, base);

  if (isTelegramPreview($)) {
    const postings = telegramPostings($);
    if (postings.length > 0) return { method: 'telegram', postings, warnings: [] };
  }

  const jsonLd = readJsonLd($);
  const context: JobContext = { cheerio, resolve: jsonLd.resolve, ...(pageUrl ? { base: pageUrl } : {}) };
  let method: ExtractionMethod = 'json-ld';
  let jobs = jsonLd.postings;
  if (jobs.length === 0) {
    jobs = readMicrodata($);
    method = 'microdata';
  }
  const structured = dedupe(jobs.map((job) => jobPostingFields(job, context))).filter((fields) => Object.keys(fields).length > 0);
  if (structured.length > 0) {
    for (const fields of structured) if (!fields.url && pageUrl) fields.url = pageUrl;
    // A posting whose structured data has no description (it happens) is read from the page itself.
    if (structured.length === 1 && !structured[0]!.description) {
      const text = visibleText($);
      if (text !== '') structured[0]!.description = text;
    }
    return { method, postings: structured, warnings: jsonLd.warnings };
  }

  const text = visibleText($);
  const title = metaContent($, 'og:title', 'twitter:title') || tidyText($('title').first().text()) || tidyText($('h1').first().text());
  const description = text || metaContent($, 'og:description', 'description', 'twitter:description') || '';
  if (title === '' && description === '') return { method: 'text', postings: [], warnings: jsonLd.warnings };
  const fields: Record<string, string> = {};
  if (title) fields.title = title;
  if (pageUrl) fields.url = pageUrl;
  fields.description = description;
  return { method: 'text', postings: [fields], warnings: jsonLd.warnings };
}

/** The same posting described twice (two JSON-LD blocks, or JSON-LD and microdata) counts once. */
function dedupe(postings: Record<string, string>[]): Record<string, string>[] {
  const seen = new Set<string>();
  return postings.filter((fields) => {
    const key = JSON.stringify([fields.title ?? '', fields.description ?? '', fields.url ?? '', fields.company ?? '']);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
