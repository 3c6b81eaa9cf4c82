// Saved web pages and text files. A page goes through the page extractor (structured data first,
// visible text as fallback) and may hold several postings; a text file is one posting.
import { bodyItems, pageItems } from './body.js';
import { extractPage } from '../pages/page.js';
import { LurescanError, type ReadItem } from '../../types.js';
import { binaryReason, gunzipIfPacked } from '../decode.js';
import { errorItem, overLimit, readAll, readBytesWithin, textFields, type FormatReader, type InputLimits } from '../records.js';
import { textWarnings } from '../fields.js';

/** The error record of a whole-file input (a page, a text file) over the record cap. */
function fileTooLarge(file: string, what: string, limit: number): ReadItem {
  return errorItem(file, { file }, 'RECORD_TOO_LARGE', `${file}: ${overLimit(what, limit)}`);
}

/**
 * A reader for formats that hold one posting per file: the whole text is read (up to the record cap)
 * and `extract` turns it into fields, or into nothing when the file has no text.
 */
function wholeFileReader(extract: (text: string) => Promise<Record<string, string> | undefined>): FormatReader {
  return async function* (text, context): AsyncGenerator<ReadItem> {
    const file = context.file;
    const whole = await readAll(text, context.maxRecord);
    if (whole === undefined) {
      yield fileTooLarge(file, 'the file', context.maxRecord);
      return;
    }
    const fields = await extract(whole);
    if (!fields) {
      yield errorItem(file, { file }, 'EMPTY_FILE', `${file} has no text`);
      return;
    }
    const warnings = textWarnings(fields, context.decode);
    yield { kind: 'posting', posting: { id: file, source: { file }, fields, ...(warnings.length ? { warnings } : {}) } };
  };
}

/** A page that reached us as text (stdin, or a file sniffed as HTML): extracted as it is. */
export const readHtml: FormatReader = async function* (text, context): AsyncGenerator<ReadItem> {
  const file = context.file;
  const whole = await readAll(text, context.maxRecord);
  if (whole === undefined) {
    yield fileTooLarge(file, 'the page', context.maxRecord);
    return;
  }
  const damaged = context.decode.invalidUtf8
    ? [{ code: 'INVALID_UTF8', message: 'the page had invalid UTF-8 bytes, replaced with U+FFFD; the rest was scanned' }]
    : [];
  yield* pageItems(await extractPage(whole), { name: file, source: { file } }, damaged);
};

/** A saved page read as bytes, so that its <meta charset> (GBK, windows-1252, ...) decides how it is decoded. */
export async function* readHtmlBytes(input: AsyncIterable<Buffer>, file: string, limits: InputLimits): AsyncGenerator<ReadItem> {
  const bytes = await readBytesWithin((await gunzipIfPacked(input, limits.maxRatio)).chunks, limits.maxRecord);
  if (bytes === undefined) {
    yield fileTooLarge(file, 'the page', limits.maxRecord);
    return;
  }
  if (bytes.length === 0) {
    yield errorItem(file, { file }, 'EMPTY_FILE', `${file} is empty`);
    return;
  }
  const reason = binaryReason(bytes);
  if (reason) throw new LurescanError('BINARY_FILE', reason);
  yield* await bodyItems(bytes, { name: file, source: { file } }, { kind: 'html' });
}

/** A text file: the first line is the title when it is short. */
export const readTxt = wholeFileReader(async (body) => textFields(body));
