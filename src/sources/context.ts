// What every format reader is given, and helpers to make its records.
import type { ErrorRecord, ReadItem, SourceRef } from '../types.js';
import type { DecodeState } from './decode.js';

export interface ReadContext {
  /** The file as shown to the user (relative path, or `-` for stdin). */
  file: string;
  map: Record<string, string>;
  decode: DecodeState;
  /** For CSV: the delimiter, or undefined to detect it. */
  delimiter?: string;
}

export type FormatReader = (text: AsyncIterable<string>, context: ReadContext) => AsyncGenerator<ReadItem>;

export function errorItem(id: string, source: SourceRef, code: string, message: string): ReadItem {
  const record: ErrorRecord = { id, source, error: { code, message } };
  return { kind: 'error', record };
}

/** Largest single record or whole-file document read into memory. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** Read a whole text, refusing more than `MAX_RECORD_CHARS`. */
export async function readAll(text: AsyncIterable<string>): Promise<string | undefined> {
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of text) {
    size += chunk.length;
    if (size > MAX_RECORD_CHARS) return undefined;
    parts.push(chunk);
  }
  return parts.join('');
}
