// JSONL / NDJSON, one object a line, with line-numbered errors and a cap on line length.
import type { ReadItem } from '../types.js';
import { errorItem, MAX_RECORD_CHARS, type FormatReader, type ReadContext } from './context.js';
import { flattenObject, planColumns, textWarnings, toPosting } from './fields.js';

/** Lines of a text stream, without their line ends; an over-long line is cut and flagged. */
async function* lines(text: AsyncIterable<string>): AsyncGenerator<{ line: string; tooLong: boolean }> {
  let pending = '';
  let tooLong = false;
  for await (const chunk of text) {
    let start = 0;
    let at = chunk.indexOf('\n');
    while (at >= 0) {
      const piece = chunk.slice(start, at);
      yield { line: tooLong ? '' : (pending + piece).replace(/\r$/, ''), tooLong };
      pending = '';
      tooLong = false;
      start = at + 1;
      at = chunk.indexOf('\n', start);
    }
    if (!tooLong) {
      pending += chunk.slice(start);
      if (pending.length > MAX_RECORD_CHARS) {
        pending = '';
        tooLong = true;
      }
    }
  }
  if (pending !== '' || tooLong) yield { line: pending.replace(/\r$/, ''), tooLong };
}

/** A parsed JSON object as a posting, with columns planned from its own keys. */
export function objectToPosting(
  record: Record<string, unknown>,
  context: ReadContext,
  source: { file: string; line?: number; index?: number; row?: number },
  fallbackId: string,
): ReadItem {
  const warnings: import('../types.js').Warning[] = [];
  const values = flattenObject(record, warnings);
  const missing: string[] = [];
  const plan = planColumns([...values.keys()], context.map, missing);
  if (missing.length > 0) {
    warnings.push({ code: 'MAP_KEY_MISSING', message: `--map ${missing.join(',')}: this record has no such key; its keys (${[...values.keys()].join(', ')}) are mapped by name` });
  }
  warnings.push(...textWarnings(Object.fromEntries(values), context.decode));
  return { kind: 'posting', posting: toPosting(values, plan, source, fallbackId, warnings) };
}

export function describeJsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export const readJsonl: FormatReader = async function* (text, context): AsyncGenerator<ReadItem> {
  let lineNumber = 0;
  let records = 0;
  for await (const { line, tooLong } of lines(text)) {
    lineNumber++;
    const source = { file: context.file, line: lineNumber };
    const fallbackId = `${context.file}:${lineNumber}`;
    if (tooLong) {
      records++;
      yield errorItem(fallbackId, source, 'RECORD_TOO_LARGE', `line ${lineNumber} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} M characters; skipped`);
      continue;
    }
    if (line.trim() === '') continue;
    records++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      yield errorItem(fallbackId, source, 'JSON_SYNTAX', `line ${lineNumber} is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield errorItem(fallbackId, source, 'NOT_AN_OBJECT', `line ${lineNumber} is ${describeJsonType(value)}, not a JSON object with posting fields`);
      continue;
    }
    yield objectToPosting(value as Record<string, unknown>, context, source, fallbackId);
  }
  if (records === 0) yield errorItem(context.file, { file: context.file }, 'EMPTY_FILE', `${context.file} holds no JSON lines`);
};
