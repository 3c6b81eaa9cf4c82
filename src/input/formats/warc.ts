// WARC files (.warc, .warc.gz), the format of web archives and Common Crawl, read record by record
// with webrecorder's warcio. Each archived page (a `response` or `resource` record holding HTML,
// JSON-LD or text) goes through the same extractor as a saved page; requests, metadata, redirects,
// images and scripts are what a crawl is mostly made of, and are passed over. Common Crawl's WET
// files (.warc.wet.gz) are WARC files of `conversion` records, each a page's extracted plain text:
// each is one posting, with the page's URL.
import { kindOfMediaType } from '../media-type.js';
import { bodyItems } from './body.js';
import { LurescanError, type ReadItem, type Warning } from '../../types.js';
import { DEFAULT_LIMITS, errorItem, overLimit, readBytesWithin, type InputLimits } from '../records.js';
import { binaryReason } from '../decode.js';

/** Whether a file name is a WARC file. */
export function isWarcName(name: string): boolean {
  return /\.(?:warc|warc\.wet|wet)(\.gz)?$/i.test(name);
}

/** A record's raw body as warcio reads it: bytes up to the record's Content-Length, and how many are still due. */
interface RawBody extends AsyncIterable<Uint8Array> {
  limit: number;
}

/** Read the rest of a record's raw body without keeping it; true when the file ended inside it. */
async function drain(raw: RawBody): Promise<boolean> {
  for await (const chunk of raw) void chunk;
  return raw.limit > 0;
}

/**
 * The postings of every archived page in a WARC file, in record order. Every record's body is read
 * through to its end here, not skipped by warcio: warcio's skip spins for ever when the file ends
 * inside a record (a cut download), so a record cut short ends the file with a warning instead.
 */
export async function* readWarc(input: AsyncIterable<Uint8Array>, file: string, limits: InputLimits = DEFAULT_LIMITS): AsyncGenerator<ReadItem> {
  // Loaded on first use, as cheerio is: most scans read no WARC.
  const { WARCParser } = await import('warcio');
  let records = 0;
  let yielded = 0;
  for await (const record of new WARCParser(input)) {
    records++;
    const type = record.warcType;
    if (!type)
      throw new LurescanError(
        'WARC_FORMAT',
        records === 1 ? 'it is not a WARC file (no WARC/1.x header)' : `record ${records} has no WARC-Type header; the file is damaged`,
      );
    const raw = record.reader as unknown as RawBody;
    const declared = record.warcContentLength;
    const url = record.warcTargetURI ?? `${file}#record${records}`;
    const status = type === 'response' ? Number(record.httpHeaders?.statusCode) : 200;
    const contentType = (type === 'response' ? record.httpHeaders?.headers.get('content-type') : record.warcContentType) ?? undefined;
    const page =
      (type === 'response' || type === 'resource' || type === 'conversion') &&
      status >= 200 &&
      status <= 299 &&
      !(contentType && kindOfMediaType(contentType) === undefined) &&
      !/\/robots\.txt(\?|$)/i.test(url);
    if (!page) {
      if (await drain(raw)) break;
      continue;
    }
    const where = { name: url, source: { file, url } };
    const tooLarge = (what: string): ReadItem =>
      errorItem(url, where.source, 'RECORD_TOO_LARGE', `${file}: record ${records} (${url}): ${overLimit(what, limits.maxRecord)}`);
    if (declared > limits.maxRecord) {
      yield tooLarge('the archived page');
      yielded++;
      if (await drain(raw)) break;
      continue;
    }
    // The content reader undoes the archived response's chunking and Content-Encoding, within the limit (a gzip bomb stops there).
    const payload = await readBytesWithin(record.contentReader as AsyncIterable<Uint8Array>, limits.maxRecord);
    const cutShort = await drain(raw);
    if (payload === undefined) {
      yield tooLarge('the archived page, once unpacked,');
      yielded++;
    } else if (payload.length > 0) {
      const reason = binaryReason(payload);
      if (reason) {
        yield errorItem(
          url,
          where.source,
          'WARC_RECORD',
          `${file}: record ${records} (${url}) is served as ${contentType ?? 'text'} but ${reason.replace(/^it is/, 'is')}`,
        );
        yielded++;
      } else {
        const warnings: Warning[] = [];
        const truncated = record.warcHeader('WARC-Truncated');
        if (truncated)
          warnings.push({
            code: 'WARC_TRUNCATED',
            message: `the crawler cut this page short (WARC-Truncated: ${truncated}); only what was archived was scanned`,
          });
        if (cutShort)
          warnings.push({
            code: 'WARC_CUT_SHORT',
            message: `${file} ends inside this record (${raw.limit} of its ${declared} bytes are missing: a cut download?); the page was scanned as far as it goes, and nothing after it could be read`,
          });
        const items = await bodyItems(payload, { ...where, base: url }, { ...(contentType ? { contentType } : {}), genericJson: false });
        for (const item of items) {
          if (item.kind === 'posting' && warnings.length > 0) item.posting.warnings = [...warnings, ...(item.posting.warnings ?? [])];
          yield item;
          yielded++;
        }
      }
    }
    if (cutShort) break;
  }
  if (records === 0) yield errorItem(file, { file }, 'EMPTY_FILE', `${file} holds no WARC records (empty, or its gzip data is cut short)`);
  else if (yielded === 0)
    yield errorItem(file, { file }, 'NO_POSTINGS', `${file}: none of its ${records} WARC records is an archived page (HTML, JSON-LD or text with status 2xx)`);
}
