// Inputs to postings: files, folders (recursive), stdin; the format from the extension, --input-format
// or a sniff of the first bytes; every problem an error record in place of what it stopped.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { LurescanError, type ReadItem } from '../types.js';
import { DEFAULT_LIMITS, errorItem, type FormatReader, type InputLimits, type ReadContext } from './records.js';
import { readCsv } from './formats/csv.js';
import { decodeText, PACKED_ADVICE, type DecodeState } from './decode.js';
import { DEFAULT_FETCH, type FetchOptions } from './web/options.js';
import type { UrlReader } from './web/reader.js';
import { readHtml, readHtmlBytes, readTxt } from './formats/html.js';
import { readJson } from './formats/json.js';
import { readJsonl } from './formats/jsonl.js';
import { isWarcName, readWarc } from './formats/warc.js';
import { HTML_START } from './media-type.js';

import { INPUT_FORMAT_EXTENSIONS, INPUT_FORMATS, type InputFormat } from './format-names.js';
import { displayPath } from '../display-path.js';

export { INPUT_FORMATS, type InputFormat };

const BY_EXTENSION = new Map<string, InputFormat>(
  (Object.entries(INPUT_FORMAT_EXTENSIONS) as [InputFormat, readonly string[]][]).flatMap(([format, extensions]) =>
    extensions.map((extension) => [extension, format] as const),
  ),
);

const READERS: Record<InputFormat, FormatReader> = {
  csv: readCsv,
  tsv: readCsv,
  jsonl: readJsonl,
  json: readJson,
  html: readHtml,
  txt: readTxt,
};

export interface ReadOptions {
  inputFormat?: InputFormat;
  map?: Record<string, string>;
  stdin?: Readable;
  /** How URL inputs are fetched (defaults: DEFAULT_FETCH in src/fetch/options.ts). */
  fetch?: Partial<FetchOptions>;
  /** Problems worth telling the user that are not about one record (a cache that cannot be written). */
  onWarning?: (message: string) => void;
  /** The text encoding of files and stdin (a WHATWG label, e.g. gbk, windows-1252); default: UTF-8, or a guess when the bytes are not UTF-8. */
  encoding?: string;
  /** Bounds on one record and on gzip unpacking (defaults: DEFAULT_LIMITS in src/input/records.ts). */
  limits?: Partial<InputLimits>;
  /** The name records of the (one) input are known by, instead of its path or `-` (`--source-name`). */
  sourceName?: string;
  /** Lines of the whole file before this part (`--line-offset`, see ReadContext). */
  lineOffset?: number;
}

/** One thing to read: a file (with how it was reached), stdin, or a URL. */
export interface InputUnit {
  kind: 'file' | 'stdin' | 'url';
  /** As shown in records: the path relative to the working folder, `-`, or the URL. */
  name: string;
  path?: string;
  /** Found by walking a folder (unknown extensions are reported instead of sniffed). */
  fromFolder?: boolean;
}

const URL_PATTERN = /^https?:\/\//i;

const display = (file: string): string => displayPath(file, process.cwd());

/** Check every named input before reading any, so a typo fails fast (exit 2) instead of hours later. */
export async function planInputs(inputs: readonly string[]): Promise<InputUnit[]> {
  const units: InputUnit[] = [];
  for (const input of inputs) {
    if (input === '-') {
      units.push({ kind: 'stdin', name: '-' });
      continue;
    }
    if (URL_PATTERN.test(input)) {
      units.push({ kind: 'url', name: input });
      continue;
    }
    let info;
    try {
      info = await stat(input);
    } catch {
      throw new LurescanError('INPUT_NOT_FOUND', `input ${input} does not exist`);
    }
    if (info.isDirectory()) {
      const found = await walk(input);
      if (found.length === 0) throw new LurescanError('INPUT_EMPTY', `folder ${input} holds no files to read (names starting with "." are skipped)`);
      units.push(...found);
    } else units.push({ kind: 'file', name: display(input), path: input });
  }
  return units;
}

async function walk(dir: string): Promise<InputUnit[]> {
  const units: InputUnit[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new LurescanError('INPUT_UNREADABLE', `cannot read folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) units.push(...(await walk(full)));
    else if (entry.isFile()) units.push({ kind: 'file', name: display(full), path: full, fromFolder: true });
  }
  return units;
}

/** The format a file name implies (`.csv.gz` is CSV), or undefined. */
export function formatFromName(name: string): InputFormat | undefined {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  return BY_EXTENSION.get(path.extname(base));
}

/** Guess a format from the first characters of the text. */
export function sniffFormat(head: string): InputFormat {
  const text = head.replace(/^\ufeff/, '').trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!.trim();
    return firstLine.endsWith('}') ? 'jsonl' : 'json';
  }
  if (HTML_START.test(text)) return 'html';
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (firstLine.includes('\t')) return 'tsv';
  // A header needs a row under it: one line with commas (`echo "Typist job, free visa" | lurescan scan -`) is an ad.
  if (firstLine.includes(',') && /\n[^\S\n]*\S/.test(text)) return 'csv';
  return 'txt';
}

/** An async iterable that starts with `first` and goes on with `rest`. */
async function* prepend(first: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof LurescanError) return { code: error.code, message: error.message };
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return { code: 'FILE_UNREADABLE', message: 'permission denied' };
  if (err?.code === 'EISDIR') return { code: 'FILE_UNREADABLE', message: 'is a folder' };
  if (err?.code === 'Z_DATA_ERROR' || err?.code === 'Z_BUF_ERROR') return { code: 'BAD_GZIP', message: `the gzip data is damaged (${err.message})` };
  return { code: 'READ_FAILED', message: err?.message ?? String(error) };
}

/** Spreadsheet and document types people export job ads in, and what to do with each. */
const EXPORT_ADVICE: Record<string, string> = {
  '.xlsx': 'a spreadsheet: save it as CSV (UTF-8) and scan that',
  '.xls': 'a spreadsheet: save it as CSV (UTF-8) and scan that',
  '.ods': 'a spreadsheet: save it as CSV (UTF-8) and scan that',
  '.numbers': 'a spreadsheet: export it as CSV and scan that',
  '.docx': 'a document: save it as plain text (.txt) and scan that',
  '.doc': 'a document: save it as plain text (.txt) and scan that',
  '.pdf': 'a PDF: copy its text into a .txt file and scan that',
  ...PACKED_ADVICE,
};

/** Advice on a packed or columnar file (PACKED_ADVICE) with this file's name, and the format its name implies. */
function fillAdvice(text: string, name: string): string {
  const inner = formatFromName(name.replace(/\.(?:zst|bz2|xz)$/i, ''));
  return text.replace(/\bFILE\b/g, name).replace(/\bFORMAT\b/g, inner ?? 'jsonl');
}

/**
 * Why a file found in a folder is not read: a known export type names its conversion; an unknown
 * extension lists the readable ones and how to read just that file (--input-format applies to every
 * input, so it is advice for a file named on its own, not for a folder).
 */
function unsupportedMessage(name: string): string {
  const advice = EXPORT_ADVICE[path.extname(name.toLowerCase())];
  if (advice) return `${name}: not read, it is ${fillAdvice(advice, name)}`;
  return `${name}: not read, unknown file type (readable: .csv .tsv .jsonl .ndjson .json .html .htm .txt, optionally .gz, and .warc .warc.gz .warc.wet.gz); rename it, or scan it on its own with --input-format`;
}

/** Read one input unit into postings and error records. */
async function* readUnit(unit: InputUnit, options: ReadOptions): AsyncGenerator<ReadItem> {
  const named = options.inputFormat ?? formatFromName(unit.name);
  const warc = unit.kind === 'file' && options.inputFormat === undefined && isWarcName(unit.name);
  if (named === undefined && !warc && unit.fromFolder) {
    yield errorItem(unit.name, { file: unit.name }, 'UNSUPPORTED_FORMAT', unsupportedMessage(unit.name));
    return;
  }
  const decode: DecodeState = { invalidUtf8: false, nul: false };
  const limits: InputLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let count = 0;
  try {
    const bytes = unit.kind === 'stdin' ? (options.stdin ?? process.stdin) : createReadStream(unit.path!, { highWaterMark: 256 * 1024 });
    // WARC files and pages are read as bytes: warcio parses the former, and a page's own <meta charset> decides its decoding.
    const special = warc ? readWarc(bytes, unit.name, limits) : named === 'html' ? readHtmlBytes(bytes, unit.name, limits) : undefined;
    if (special) {
      for await (const item of special) {
        count++;
        yield item;
      }
      return;
    }
    const chunks = decodeText(bytes, decode, options.encoding, limits.maxRatio)[Symbol.asyncIterator]();
    const first = await chunks.next();
    if (first.done) {
      yield errorItem(unit.name, { file: unit.name }, 'EMPTY_FILE', `${unit.name} is empty`);
      return;
    }
    const format = named ?? sniffFormat(first.value);
    const context: ReadContext = {
      file: options.sourceName ?? unit.name,
      ...(options.lineOffset ? { lineOffset: options.lineOffset } : {}),
      map: options.map ?? {},
      decode,
      maxRecord: limits.maxRecord,
      ...(format === 'tsv' ? { delimiter: '\t' } : {}),
    };
    for await (const item of READERS[format](prepend(first.value, chunks), context)) {
      count++;
      yield item;
    }
  } catch (error) {
    const described = describeError(error);
    const { code } = described;
    const message = fillAdvice(described.message, unit.kind === 'stdin' ? '<file>' : unit.name);
    const where = count > 0 ? `reading stopped after ${count} record(s): ` : '';
    yield errorItem(count > 0 ? `${unit.name}#rest` : unit.name, { file: unit.name }, code, `${unit.name}: ${where}${message}`);
  }
}

/** Every posting (or error record in its place) from the planned inputs, in input order. */
export async function* readInputs(units: readonly InputUnit[], options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const urls = units.filter((unit) => unit.kind === 'url').map((unit) => unit.name);
  // Loaded only when there are URLs, since undici takes ~90 ms to load; fetches start at once and
  // run ahead while earlier inputs are read, and their records still come out in input order.
  const reader = urls.length > 0 ? await openUrlReader(urls, options) : undefined;
  try {
    for (const unit of units) {
      if (unit.kind === 'url') yield* await reader!.next();
      else yield* readUnit(unit, options);
    }
  } finally {
    await reader?.close();
  }
}

async function openUrlReader(urls: string[], options: ReadOptions): Promise<UrlReader> {
  const { UrlReader } = await import('./web/reader.js');
  return new UrlReader(urls, { ...DEFAULT_FETCH, ...options.fetch }, options.onWarning);
}
