// What every format reader is given, and helpers to make its records.
import type { ErrorRecord, ReadItem, SourceRef } from '../types.js';
import type { DecodeState } from './decode.js';
import { formatBytes } from '../format-bytes.js';

export interface ReadContext {
  /** The file as shown to the user (relative path, or `-` for stdin). */
  file: string;
  map: Record<string, string>;
  decode: DecodeState;
  /** For CSV: the delimiter, or undefined to detect it. */
  delimiter?: string;
  /** Largest record read into memory, in characters (`--max-record`). */
  maxRecord: number;
  /**
   * Lines (JSONL, or CSV/TSV rows) of the whole file before this part of it (`--line-offset`): a
   * shard's records then carry the line or row numbers, and the ids, of the whole file.
   */
  lineOffset?: number;
}

/** The bounds on what one input may cost (`--max-record`, `--max-ratio`). */
export interface InputLimits {
  /** Largest record read into memory, in characters (bytes for pages and WARC records). */
  maxRecord: number;
  /** Largest unpacked-to-packed ratio of a gzip input, judged once it passes `RATIO_FLOOR_BYTES`. */
  maxRatio: number;
}

export type FormatReader = (text: AsyncIterable<string>, context: ReadContext) => AsyncGenerator<ReadItem>;

/**
 * The fields of a text that is one posting: all of it the description, and its first line the
 * title when that line is short (a saved text file, a plain-text body). Undefined for a blank text.
 */
export function textFields(text: string): Record<string, string> | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const firstLine = trimmed.split('\n', 1)[0]!.trim();
  return { ...(firstLine.length <= 160 ? { title: firstLine } : {}), description: text };
}

export function errorItem(id: string, source: SourceRef, code: string, message: string): ReadItem {
  const record: ErrorRecord = { id, source, error: { code, message } };
  return { kind: 'error', record };
}

/**
 * Largest single record read into memory by default: a CSV row, a JSONL line, a JSON element or
 * whole document, a page, a WARC record. Job ads are kilobytes; saved pages a few megabytes.
 * Raised with `--max-record`; reading one record takes at most a few times this in memory.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/**
 * Largest unpacked-to-packed ratio accepted for a gzip input once it has unpacked past
 * `RATIO_FLOOR_BYTES`; text compresses about 3-15 times, a decompression bomb about 1,000 times.
 * Raised with `--max-ratio`.
 */
export const MAX_GZIP_RATIO = 100;
export const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;

export const DEFAULT_LIMITS: InputLimits = { maxRecord: MAX_RECORD_CHARS, maxRatio: MAX_GZIP_RATIO };

/** The error message for a record over the limit: what it was, the limit, and how to raise it. */
export function overLimit(what: string, limit: number): string {
  return `${what} is longer than the ${formatBytes(limit)} record limit, so it was skipped (a job ad is far smaller: check the file, or raise the limit with --max-record)`;
}

/** The chunks of a stream, or undefined once their lengths add up to more than `limit` (the rest unread). */
async function chunksWithin<T extends { length: number }>(stream: AsyncIterable<T>, limit: number): Promise<T[] | undefined> {
  const chunks: T[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return chunks;
}

/** All the bytes of a stream, refusing more than `limit` (undefined then): a page, a WARC record's payload. */
export async function readBytesWithin(bytes: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | undefined> {
  const chunks = await chunksWithin(bytes, limit);
  return chunks && Buffer.concat(chunks);
}

/** Read a whole text, refusing more than `limit` characters (undefined then). */
export async function readAll(text: AsyncIterable<string>, limit: number): Promise<string | undefined> {
  const parts = await chunksWithin(text, limit);
  return parts?.join('');
}
