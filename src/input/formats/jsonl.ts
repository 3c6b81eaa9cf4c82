// JSONL / NDJSON, one object a line, with line-numbered errors and a cap on line length.
import { textLines } from '../../text-lines.js';
import type { ReadItem } from '../../types.js';
import { errorItem, overLimit, type FormatReader, type ReadContext } from '../records.js';
import { describeTextFallback, flattenObject, planColumns, textWarnings, toPosting } from '../fields.js';

const TASK_KEYS = new Set(['text', 'posting_id', 'lang', 'source_file', 'source_url']);

/**
 * A Label Studio task as exported after review (scan --format labelstudio, then labelled): the
 * posting's fields from `data`, its id, and the reviewer's verdict as its label (the last annotation
 * not cancelled; a lure outranks a scam when both are chosen). Undefined for any other object.
 */
function fromLabelStudio(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = record.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  if (!Array.isArray(record.annotations) && !Array.isArray(record.predictions)) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) if (!TASK_KEYS.has(key)) fields[key] = value;
  const d = data as Record<string, unknown>;
  if (Object.keys(fields).length === 0 && typeof d.text === 'string') fields.description = d.text;
  const flat: Record<string, unknown> = { ...fields, id: d.posting_id ?? record.id };
  if (typeof d.lang === 'string') flat.meta = { lang: d.lang };
  const annotations = Array.isArray(record.annotations) ? (record.annotations as Array<{ was_cancelled?: boolean; result?: unknown }>) : [];
  for (const annotation of [...annotations].reverse()) {
    if (annotation?.was_cancelled || !Array.isArray(annotation?.result)) continue;
    const verdict = (annotation.result as Array<{ from_name?: string; value?: { choices?: unknown } }>).find((r) => r.from_name === 'verdict');
    const choices = Array.isArray(verdict?.value?.choices) ? (verdict.value.choices as unknown[]) : [];
    const label = ['forced-criminality', 'employment-fraud', 'legit'].find((c) => choices.includes(c));
    if (label !== undefined) {
      flat.label = label;
      break;
    }
  }
  return flat;
}

/** A parsed JSON object as a posting, with columns planned from its own keys. */
export function objectToPosting(
  record: Record<string, unknown>,
  context: ReadContext,
  source: { file: string; line?: number; index?: number; row?: number },
  fallbackId: string,
): ReadItem {
  const warnings: import('../../types.js').Warning[] = [];
  const values = flattenObject(fromLabelStudio(record) ?? record, warnings);
  const missing: string[] = [];
  let plan = planColumns([...values.keys()], context.map, missing);
  const fallback = describeTextFallback(plan, values, context.map);
  if (fallback) {
    plan = fallback.plan;
    warnings.push(fallback.warning);
  }
  if (missing.length > 0) {
    warnings.push({
      code: 'MAP_KEY_MISSING',
      message: `--map ${missing.join(',')}: this record has no such key; its keys (${[...values.keys()].join(', ')}) are mapped by name`,
    });
  }
  warnings.push(...textWarnings(Object.fromEntries(values), context.decode));
  return { kind: 'posting', posting: toPosting(values, plan, source, fallbackId, warnings) };
}

export function describeJsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export const readJsonl: FormatReader = async function* (text, context): AsyncGenerator<ReadItem> {
  let records = 0;
  for await (const { line, number: localLine, tooLong } of textLines(text, context.maxRecord)) {
    const lineNumber = localLine + (context.lineOffset ?? 0);
    const source = { file: context.file, line: lineNumber };
    const fallbackId = `${context.file}:${lineNumber}`;
    if (tooLong) {
      records++;
      yield errorItem(fallbackId, source, 'RECORD_TOO_LARGE', overLimit(`line ${lineNumber}`, context.maxRecord));
      continue;
    }
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
