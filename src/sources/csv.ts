// CSV and TSV through papaparse's streaming parser: header row, quoted multi-line fields, delimiter
// detection, one posting or one error record per data row.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { errorItem, type FormatReader } from './context.js';
import { planColumns, textWarnings, toPosting, type ColumnPlan } from './fields.js';
import { KNOWN_FIELDS, type ReadItem, type Warning } from '../types.js';
import { AsyncQueue } from './queue.js';

interface Row {
  data: string[];
  errors: Papa.ParseError[];
}

/**
 * Rows from papaparse, with backpressure: the source stream is paused while the consumer is behind
 * (papaparse's own pause/resume loses rows on resume, so it is not used).
 */
function parseRows(text: AsyncIterable<string>, delimiter: string | undefined): AsyncQueue<Row> {
  const stream = Readable.from(text, { objectMode: false, encoding: 'utf8' });
  const queue = new AsyncQueue<Row>(
    512,
    () => stream.pause(),
    () => stream.resume(),
  );
  stream.on('error', (error) => queue.fail(error));
  Papa.parse<string[]>(stream as unknown as File, {
    header: false,
    delimiter: delimiter ?? '',
    skipEmptyLines: 'greedy',
    step: (results) => queue.push({ data: results.data, errors: results.errors }),
    complete: () => queue.end(),
    error: (error: Error) => queue.fail(error),
  });
  return queue;
}

export const readCsv: FormatReader = async function* (text, context): AsyncGenerator<ReadItem> {
  let header: string[] | undefined;
  let plan: ColumnPlan | undefined;
  let noHeader: Warning | undefined;
  // Rows are numbered as a spreadsheet shows them: the header is row 1.
  let row = 0;
  for await (const { data, errors } of parseRows(text, context.delimiter)) {
    row++;
    const source = { file: context.file, row };
    const fallbackId = `${context.file}:${row}`;
    if (!header) {
      header = data.map((name) => name.trim());
      plan = planColumns(header, context.map);
      const headless = Object.keys(context.map).length === 0 ? headerlessPlan(header, plan) : undefined;
      if (!headless) continue;
      // The first row is an ad: number the columns and read this row as the first posting.
      header = headless.columns;
      plan = headless.plan;
      noHeader = headless.warning;
      const values = new Map<string, string>(header.map((column, i) => [column, data[i] ?? '']));
      const warnings = [...textWarnings(Object.fromEntries(values), context.decode), noHeader];
      yield { kind: 'posting', posting: toPosting(values, plan, source, fallbackId, warnings) };
      continue;
    }
    const quoteError = errors.find((e) => e.code === 'MissingQuotes');
    if (quoteError) {
      yield errorItem(fallbackId, source, 'CSV_QUOTES', `row ${row}: a quoted field is never closed, so the rest of the file was read as one field; close the quote (or double the quote characters inside the field)`);
      continue;
    }
    if (data.length > header.length) {
      yield errorItem(fallbackId, source, 'CSV_FIELD_COUNT', `row ${row} has ${data.length} fields but the header has ${header.length}; a field probably holds an unquoted delimiter`);
      continue;
    }
    const values = new Map<string, string>();
    header.forEach((column, i) => values.set(column, data[i] ?? ''));
    const fields = Object.fromEntries(values);
    const warnings = textWarnings(fields, context.decode);
    if (data.length < header.length) {
      warnings.push({ code: 'CSV_FIELD_COUNT', message: `row ${row} has ${data.length} fields but the header has ${header.length}; the missing ones were read as empty` });
    }
    if (noHeader) warnings.push(noHeader);
    if (errors.some((e) => e.code === 'InvalidQuotes')) {
      warnings.push({ code: 'CSV_QUOTES', message: `row ${row} has a malformed quoted field; it was read as papaparse recovered it` });
    }
    yield { kind: 'posting', posting: toPosting(values, plan!, source, fallbackId, warnings) };
  }
  if (!header) {
    yield errorItem(context.file, { file: context.file }, 'EMPTY_FILE', `${context.file} is empty: no header row and no postings`);
  } else if (row === 1 && !noHeader) {
    yield errorItem(context.file, { file: context.file }, 'NO_POSTINGS', `${context.file} has a header row but no postings`);
  }
};

/**
 * A first row that is an ad rather than a header: none of its cells names a known field, an id or
 * a label, and one reads like text (long, or many words). Then the columns are numbered and the one
 * with the longest text becomes the description, a short first column the title; undefined when
 * the row looks like a header. Only without --map, which names columns itself.
 */
function headerlessPlan(header: readonly string[], plan: ColumnPlan): { columns: string[]; plan: ColumnPlan; warning: Warning } | undefined {
  const known = [...plan.fieldOf.values()].some((field) => (KNOWN_FIELDS as readonly string[]).includes(field));
  if (known || plan.idColumn !== undefined || plan.labelColumn !== undefined || plan.metaOf.size > 0) return undefined;
  const wordy = (cell: string): boolean => cell.length > 60 || cell.split(/\s+/).length > 8;
  if (!header.some(wordy)) return undefined;
  const columns = header.map((_, i) => `column_${i + 1}`);
  let longest = 0;
  header.forEach((cell, i) => {
    if (cell.length > header[longest]!.length) longest = i;
  });
  const overrides: Record<string, string> = { description: columns[longest]! };
  const titleAt = header.findIndex((cell, i) => i !== longest && cell.length > 0 && cell.length <= 80);
  if (titleAt >= 0) overrides.title = columns[titleAt]!;
  const named = Object.entries(overrides).map(([field, column]) => `${column} as the ${field}`).join(', ');
  return {
    columns,
    plan: planColumns(columns, overrides),
    warning: { code: 'CSV_NO_HEADER', message: `the first row reads like an ad, not a header, so it was scored as one; columns were numbered and read ${named}; name them with --map if that is wrong` },
  };
}
