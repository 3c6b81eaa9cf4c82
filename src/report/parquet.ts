// Verdicts as Parquet (`scan --format parquet`), so DuckDB, pandas and Spark read them with their
// types: one flat row a record, booleans as booleans, scores and probabilities as doubles, and error
// records in the same columns (their verdict columns null). Written with hyparquet-writer (pure
// JavaScript, no native build) a row group at a time, as records come: memory stays bounded.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ByteWriter, parquetWriteRows } from 'hyparquet-writer';
import { isErrorRecord, LABELS, type OutputRecord } from '../types.js';
import { columnOf } from './writers.js';

type ColumnType = 'STRING' | 'BOOLEAN' | 'INT32' | 'DOUBLE' | 'JSON';

/** What the model gives a probability of. */
const CLASSES = ['legit', ...LABELS];

/** The columns, in order: name, type, and what each holds (docs: README, "Other output formats"). */
export const PARQUET_COLUMNS: ReadonlyArray<{ name: string; type: ColumnType; about: string }> = [
  { name: 'id', type: 'STRING', about: "the posting's id" },
  { name: 'file', type: 'STRING', about: 'the input file (or -), when read from one' },
  { name: 'row', type: 'INT32', about: 'CSV/TSV row (the header is row 1)' },
  { name: 'line', type: 'INT32', about: 'JSONL line' },
  { name: 'url', type: 'STRING', about: 'the page or archived page the posting came from' },
  { name: 'error_code', type: 'STRING', about: 'set on error records only (then the verdict columns are null)' },
  { name: 'error_message', type: 'STRING', about: 'what went wrong and what to do' },
  { name: 'lang', type: 'STRING', about: 'detected language (BCP 47)' },
  { name: 'flagged', type: 'BOOLEAN', about: 'flagged with any label' },
  { name: 'labels', type: 'STRING', about: 'the labels it is flagged with, `;`-separated' },
  ...LABELS.map((label) => ({ name: columnOf('score', label), type: 'DOUBLE' as const, about: `points for ${label}` })),
  { name: 'model_label', type: 'STRING', about: "the model's most likely class (legit or a label); null when it abstained or was off" },
  ...CLASSES.map((c) => ({ name: columnOf('p', c), type: 'DOUBLE' as const, about: `the model's probability of ${c}` })),
  { name: 'model_abstained', type: 'STRING', about: 'why the model did not judge the posting, when it did not' },
  { name: 'model_report', type: 'DOUBLE', about: "the report head's probability that the posting is a report (news, an advisory) rather than an offer" },
  {
    name: 'muted',
    type: 'STRING',
    about: "labels reached but not flagged as the posting was taken for a report (by the model's report head or its quoted offer), `;`-separated",
  },
  { name: 'rules', type: 'STRING', about: 'every rule that hit, strongest first, `;`-separated' },
  { name: 'hits', type: 'JSON', about: 'the hits as in the JSONL verdict (rule, points, field, matched text)' },
  { name: 'title', type: 'STRING', about: "the posting's title" },
  { name: 'company', type: 'STRING', about: "the posting's company" },
  { name: 'location', type: 'STRING', about: "the posting's location" },
  { name: 'contacts', type: 'JSON', about: 'the contacts as in the JSONL verdict (kind, value, key, app, field, offsets, matched text); null when none' },
];

/** One record as a flat row of the columns above. */
export function parquetRow(record: OutputRecord): Record<string, unknown> {
  const row: Record<string, unknown> = Object.fromEntries(PARQUET_COLUMNS.map((c) => [c.name, null]));
  row.id = record.id;
  row.file = record.source.file ?? null;
  row.row = record.source.row ?? null;
  row.line = record.source.line ?? null;
  row.url = record.source.url ?? null;
  if (isErrorRecord(record)) {
    row.error_code = record.error.code;
    row.error_message = record.error.message;
    return row;
  }
  row.lang = record.lang;
  row.flagged = record.flagged;
  row.labels = record.labels.join(';');
  for (const label of LABELS) row[columnOf('score', label)] = record.scores[label];
  const model = record.model;
  if (model?.abstained !== undefined) row.model_abstained = model.abstained;
  if (model?.label !== undefined) row.model_label = model.label;
  for (const c of CLASSES) {
    const p = model?.probabilities?.[c];
    if (p !== undefined) row[columnOf('p', c)] = p;
  }
  if (model?.report !== undefined) row.model_report = model.report;
  const muted = model?.muted ?? record.quoted?.muted;
  if (muted !== undefined) row.muted = muted.join(';');
  row.rules = record.hits.map((hit) => hit.rule).join(';');
  row.hits = record.hits;
  row.title = record.posting.title ?? null;
  row.company = record.posting.company ?? null;
  row.location = record.posting.location ?? null;
  row.contacts = record.contacts ?? null;
  return row;
}

/** hyparquet-writer's byte writer, flushed to a stream after each row group (with backpressure). */
function streamWriter(out: Writable): ByteWriter {
  const writer = new ByteWriter();
  const flush = async (): Promise<void> => {
    if (writer.index === 0) return;
    const chunk = Buffer.from(writer.buffer.slice(0, writer.index));
    writer.index = 0;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  Object.assign(writer, { flush, finish: flush });
  return writer;
}

/** Write `rows` (parquetRow's) to `out` as one Parquet file; `metadata` goes in its key-value metadata. */
export async function writeParquet(rows: AsyncIterable<Record<string, unknown>>, out: Writable, metadata: Record<string, string>): Promise<void> {
  await parquetWriteRows({
    writer: streamWriter(out),
    rows,
    columns: PARQUET_COLUMNS.map(({ name, type }) => ({ name, type, nullable: true })),
    rowGroupSize: 10_000,
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    createdBy: `lurescan ${metadata.version ?? ''}`.trim(),
  });
}
