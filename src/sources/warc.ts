// WARC files (.warc, .warc.gz), the format of web archives and Common Crawl, read record by record
// with webrecorder's warcio. Each archived page (a `response` or `resource` record holding HTML,
// JSON-LD or text) goes through the same extractor as a saved page; requests, metadata, redirects,
// images and scripts are what a crawl is mostly made of, and are passed over.
import { bodyItems, kindOfMediaType } from '../extract/items.js';
import { LurescanError, type ReadItem, type Warning } from '../types.js';
import { errorItem, MAX_RECORD_CHARS } from './context.js';
import { binaryReason } from './decode.js';

/** Whether a file name is a WARC file. */
export function isWarcName(name: string): boolean {
  return /\.warc(\.gz)?$/i.test(name);
}

/** The postings of every archived page in a WARC file, in record order. */
export async function* readWarc(input: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<ReadItem> {
  // Loaded on first use, as cheerio is: most scans read no WARC.
  const { WARCParser } = await import('warcio');
  let records = 0;
  let yielded = 0;
  for await (const record of new WARCParser(input)) {
    records++;
    const type = record.warcType;
    if (!type) throw new LurescanError('WARC_FORMAT', records === 1 ? 'it is not a WARC file (no WARC/1.x header)' : `record ${records} has no WARC-Type header; the file is damaged`);
    if (type !== 'response' && type !== 'resource') continue;
    const url = record.warcTargetURI ?? `${file}#record${records}`;
    const status = type === 'response' ? Number(record.httpHeaders?.statusCode) : 200;
    const contentType = (type === 'response' ? record.httpHeaders?.headers.get('content-type') : record.warcContentType) ?? undefined;
    if (!(status >= 200 && status <= 299) || (contentType && kindOfMediaType(contentType) === undefined)) continue;
    if (/\/robots\.txt(\?|$)/i.test(url)) continue;
    const where = { name: url, source: { file, url } };
    if (record.warcContentLength > MAX_RECORD_CHARS) {
      yield errorItem(url, where.source, 'RECORD_TOO_LARGE', `${file}: record ${records} (${url}) is larger than ${MAX_RECORD_CHARS / 1024 / 1024} MB`);
      yielded++;
      continue;
    }
    // readFully(true) undoes the archived response's chunking and Content-Encoding.
    const payload = await record.readFully(true);
    if (payload.length === 0) continue;
    const reason = binaryReason(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
    if (reason) {
      yield errorItem(url, where.source, 'WARC_RECORD', `${file}: record ${records} (${url}) is served as ${contentType ?? 'text'} but ${reason.replace(/^it is/, 'is')}`);
      yielded++;
      continue;
    }
    const truncated = record.warcHeader('WARC-Truncated');
    const warnings: Warning[] = truncated ? [{ code: 'WARC_TRUNCATED', message: `the crawler cut this page short (WARC-Truncated: ${truncated}); only what was archived was scanned` }] : [];
    const items = await bodyItems(payload, { ...where, base: url }, { ...(contentType ? { contentType } : {}), genericJson: false });
    for (const item of items) {
      if (item.kind === 'posting' && warnings.length > 0) item.posting.warnings = [...warnings, ...(item.posting.warnings ?? [])];
      yield item;
      yielded++;
    }
  }
  if (records === 0) yield errorItem(file, { file }, 'EMPTY_FILE', `${file} holds no WARC records (empty, or its gzip data is cut short)`);
  else if (yielded === 0) yield errorItem(file, { file }, 'NO_POSTINGS', `${file}: none of its ${records} WARC records is an archived page (HTML, JSON-LD or text with status 2xx)`);
}
