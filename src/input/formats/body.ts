// Extracted pages and response bodies to reader items: one posting per page (id = file or URL) or
// several (`name#1`, `name#2`, ...), or an error record in their place. Shared by saved pages,
// fetched URLs and WARC records.
import { readJson } from './json.js';
import { errorItem, MAX_RECORD_CHARS, textFields } from '../records.js';
import { textWarnings } from '../fields.js';
import { KNOWN_FIELDS, type ReadItem, type SourceRef, type Warning } from '../../types.js';
import { decodePage } from '../charset.js';
import { kindOfMediaType, sniffKind, type BodyKind } from '../media-type.js';
import { jobPostingFields } from '../pages/jobposting.js';
import { findJobPostings } from '../pages/jsonld.js';
import { extractPage, type PageExtraction } from '../pages/page.js';
import { loadCheerio } from '../pages/text.js';

export interface PageOrigin {
  /** The id of a lone posting, and the prefix of several: the file as shown, or the URL. */
  name: string;
  /** Where the records came from: `{file}`, `{url}`, or both for an archived page. */
  source: SourceRef;
  /** The page's address, to resolve relative links against. */
  base?: string;
}

/** Known fields first, in contract order, then extras. */
function ordered(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KNOWN_FIELDS) if (fields[name] !== undefined) out[name] = fields[name];
  for (const [name, value] of Object.entries(fields)) if (out[name] === undefined) out[name] = value;
  return out;
}

function errorRecord(origin: PageOrigin, code: string, message: string): ReadItem {
  return errorItem(origin.name, origin.source, code, message);
}

/** Reader items for the postings of an extracted page. */
export function pageItems(extraction: Pick<PageExtraction, 'postings' | 'warnings'>, origin: PageOrigin, pageWarnings: Warning[] = []): ReadItem[] {
  const { postings } = extraction;
  if (postings.length === 0) {
    const unreadable = extraction.warnings.find((w) => w.code === 'EXTRACT_JSONLD');
    if (unreadable)
      return [errorRecord(origin, 'EXTRACT_JSONLD', `${origin.name}: ${unreadable.message.replace(/; the rest.*$/, '')}, and the page has no other text`)];
    return [errorRecord(origin, 'NO_POSTINGS', `${origin.name}: the page has no job posting and no visible text`)];
  }
  const several = postings.length > 1;
  return postings.map((fields, i) => {
    const warnings = [...pageWarnings, ...extraction.warnings, ...textWarnings(fields, { invalidUtf8: false })];
    return {
      kind: 'posting',
      posting: {
        id: several ? `${origin.name}#${i + 1}` : origin.name,
        source: several ? { ...origin.source, index: i + 1 } : origin.source,
        fields: ordered(fields),
        ...(warnings.length > 0 ? { warnings } : {}),
      },
    };
  });
}

/** A JSON body of posting objects (an API's answer) through the JSON file reader, its records re-labelled with the page's origin. */
async function viaJsonReader(text: string, origin: PageOrigin, warnings: Warning[]): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  // The body is already in memory, within the fetch or record limit.
  const context = { file: origin.name, map: {}, decode: { invalidUtf8: false, nul: false }, maxRecord: Math.max(text.length, MAX_RECORD_CHARS) };
  const relabel = (source: SourceRef): SourceRef => {
    const { file: _file, ...rest } = source;
    return { ...origin.source, ...rest };
  };
  for await (const item of readJson(
    (async function* () {
      yield text;
    })(),
    context,
  )) {
    if (item.kind === 'error') items.push({ kind: 'error', record: { ...item.record, source: relabel(item.record.source) } });
    else {
      const all = [...warnings, ...(item.posting.warnings ?? [])];
      items.push({ kind: 'posting', posting: { ...item.posting, source: relabel(item.posting.source), ...(all.length > 0 ? { warnings: all } : {}) } });
    }
  }
  return items;
}

export interface BodyOptions {
  /** The Content-Type the body came with, if any (its charset is honoured). */
  contentType?: string;
  /** What the body is, when the caller knows better than the Content-Type (a saved .html file). */
  kind?: BodyKind;
  /** Read JSON that holds no JobPosting as a list of posting objects (a fetched API); else skip it. */
  genericJson?: boolean;
}

/**
 * Postings from a body that is known to be text (the caller has refused binary bodies): HTML through
 * the page extractor, JSON as JSON-LD JobPostings or posting objects, plain text as one posting.
 * Returns no items for JSON without postings when `genericJson` is off (archived API calls).
 */
export async function bodyItems(body: Uint8Array, origin: PageOrigin, options: BodyOptions = {}): Promise<ReadItem[]> {
  const declared = options.kind ?? (options.contentType ? kindOfMediaType(options.contentType) : undefined);
  const probe = declared ?? sniffKind(Buffer.from(body.subarray(0, 1024)).toString('latin1'));
  const decoded = decodePage(body, options.contentType, probe === 'html');
  const kind = declared ?? sniffKind(decoded.text);
  if (kind === 'html') return pageItems(await extractPage(decoded.text, origin.base), origin, decoded.warnings);
  if (kind === 'text') {
    const fields = textFields(decoded.text.replace(/^\ufeff/, ''));
    if (!fields) return [errorRecord(origin, 'NO_POSTINGS', `${origin.name}: the body is empty`)];
    const { title, description } = fields;
    const ordered = { ...(title !== undefined ? { title } : {}), ...(origin.base ? { url: origin.base } : {}), description: description! };
    return pageItems({ postings: [ordered], warnings: [] }, origin, decoded.warnings);
  }
  let value: unknown;
  try {
    value = JSON.parse(decoded.text.replace(/^\ufeff/, ''));
  } catch (error) {
    return options.genericJson === false ? [] : [errorRecord(origin, 'JSON_SYNTAX', `${origin.name}: the body is not valid JSON: ${(error as Error).message}`)];
  }
  const found = findJobPostings([value]);
  if (found.postings.length > 0) {
    const cheerio = await loadCheerio();
    const context = { cheerio, resolve: found.resolve, ...(origin.base ? { base: origin.base } : {}) };
    const postings = found.postings.map((job) => jobPostingFields(job, context)).filter((fields) => Object.keys(fields).length > 0);
    return pageItems({ postings, warnings: [] }, origin, decoded.warnings);
  }
  if (options.genericJson === false) return [];
  return viaJsonReader(decoded.text, origin, decoded.warnings);
}
