// CSV and TSV through papaparse's streaming parser: header row, quoted multi-line fields, delimiter
// detection, one posting or one error record per data row.
import Papa from 'papaparse';
import { errorItem, overLimit, type FormatReader } from '../records.js';
import { describeTextFallback, planColumns, textWarnings, toPosting, type ColumnPlan } from '../fields.js';
import { KNOWN_FIELDS, type ReadItem, type Warning } from '../../types.js';

interface Row {
  data: string[];
  errors: Papa.ParseError[];
}

/** A row longer than the record limit, dropped as it streamed. */
interface Dropped {
  dropped: true;
}

/** Characters handed to the parser at a time (more while a long row is pending, see below). */
const CHUNK_CHARS = 256 * 1024;

/**
 * Where a row ends (the index of its line break outside quotes) in `text`, reading on from a state
 * that is inside quotes or not; -1 with the state at the end when it does not end in `text`.
 * Counting quote characters is how RFC 4180 quoting nests (a doubled quote toggles twice).
 */
function rowEnd(text: string, quoted: boolean, newline: string): { at: number; quoted: boolean } {
  let i = 0;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quoted) {
      if (quote < 0) return { at: -1, quoted };
      quoted = false;
      i = quote + 1;
      continue;
    }
    const end = text.indexOf(newline, i);
    if (end >= 0 && (quote < 0 || end < quote)) return { at: end, quoted };
    if (quote < 0) return { at: -1, quoted };
    quoted = true;
    i = quote + 1;
  }
}

/**
 * The rows of a CSV/TSV text through papaparse's parser, in bounded memory: the text is handed over
 * in chunks with the unfinished last row carried over (as papaparse's own streamer does), but a row
 * that grows past `limit` characters (a quote never closed, a field holding a whole file) is
 * dropped, reported as `{dropped}`, and the input skipped to the next line break outside quotes.
 * While a long row is pending, chunks grow with it, so re-reading it costs linear time, not the
 * quadratic time of papaparse's streamer (a 100 MB field took it four minutes).
 */
async function* parseRows(text: AsyncIterable<string>, delimiter: string | undefined, limit: number): AsyncGenerator<Row | Dropped> {
  const source = text[Symbol.asyncIterator]();
  let ended = false;
  const take = async (want: number): Promise<string> => {
    const parts: string[] = [];
    let size = 0;
    while (size < want && !ended) {
      const next = await source.next();
      if (next.done) ended = true;
      else {
        parts.push(next.value);
        size += next.value.length;
      }
    }
    return parts.join('');
  };
  let chunk = await take(CHUNK_CHARS);
  if (chunk === '') return;
  // Delimiter and line break guessed on the first chunk, as papaparse's streamer does.
  const { delimiter: found, linebreak } = Papa.parse<string[]>(chunk, { delimiter: delimiter ?? '', preview: 50, skipEmptyLines: 'greedy' }).meta;
  const parser = new Papa.Parser({ delimiter: found, newline: linebreak as Papa.ParseConfig['newline'] });
  const newline = linebreak === '\r' ? '\r' : '\n';
  let partial = '';
  for (;;) {
    const last = ended;
    const aggregate = partial + chunk;
    const results = parser.parse(aggregate, 0, !last) as Papa.ParseResult<string[]>;
    const errorsOf = new Map<number, Papa.ParseError[]>();
    for (const error of results.errors) {
      const at = error.row ?? results.data.length - 1;
      errorsOf.set(at, [...(errorsOf.get(at) ?? []), error]);
    }
    for (const [i, data] of results.data.entries()) {
      const text = data.join('');
      if (text.trim() === '') continue;
      // A row that ended inside one chunk is held to the same limit as one carried over.
      yield text.length > limit ? { dropped: true } : { data, errors: errorsOf.get(i) ?? [] };
    }
    if (last) return;
    partial = aggregate.slice(results.meta.cursor);
    if (partial.length > limit) {
      yield { dropped: true };
      let state = rowEnd(partial, false, newline);
      partial = '';
      for (;;) {
        const more = await take(CHUNK_CHARS);
        if (more === '') return;
        state = rowEnd(more, state.quoted, newline);
        if (state.at >= 0) {
          chunk = more.slice(state.at + 1);
          break;
        }
      }
      continue;
    }
    // Hand over at least as much as is pending, so each pass reads at most twice what is new.
    chunk = await take(Math.max(CHUNK_CHARS, partial.length));
  }
}

export const readCsv: FormatReader = async function* (text, context): AsyncGenerator<ReadItem> {
  let header: string[] | undefined;
  let plan: ColumnPlan | undefined;
  let noHeader: Warning | undefined;
  /** Set at the first data row: whether a column had to be chosen as the description (NO_TEXT_COLUMN). */
  let textColumn: { warning?: Warning } | undefined;
  // Rows are numbered as a spreadsheet shows them: the header is row 1.
  let row = 0;
  for await (const parsed of parseRows(text, context.delimiter, context.maxRecord)) {
    row++;
    // A shard's data rows are numbered as in the whole file (its header is the whole file's row 1).
    const shown = row > 1 ? row + (context.lineOffset ?? 0) : row;
    const source = { file: context.file, row: shown };
    const fallbackId = `${context.file}:${shown}`;
    if ('dropped' in parsed) {
      const what = header ? `row ${shown}` : `row ${shown}, the header,`;
      yield errorItem(
        fallbackId,
        source,
        'RECORD_TOO_LARGE',
        `${overLimit(what, context.maxRecord)}; a quote that is never closed does this, or a field holding a whole file${header ? '. Reading went on after the next line break outside quotes' : ''}`,
      );
      if (!header) return;
      continue;
    }
    const { data, errors } = parsed;
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
      yield errorItem(
        fallbackId,
        source,
        'CSV_QUOTES',
        `row ${shown}: a quoted field is never closed, so the rest of the file was read as one field; close the quote (or double the quote characters inside the field)`,
      );
      continue;
    }
    if (data.length > header.length) {
      yield errorItem(
        fallbackId,
        source,
        'CSV_FIELD_COUNT',
        `row ${shown} has ${data.length} fields but the header has ${header.length}; a field probably holds an unquoted delimiter`,
      );
      continue;
    }
    const values = new Map<string, string>();
    header.forEach((column, i) => {
      values.set(column, data[i] ?? '');
    });
    if (!textColumn) {
      const fallback = describeTextFallback(plan!, values, context.map);
      if (fallback) plan = fallback.plan;
      textColumn = fallback ? { warning: fallback.warning } : {};
    }
    const fields = Object.fromEntries(values);
    const warnings = textWarnings(fields, context.decode);
    if (data.length < header.length) {
      warnings.push({
        code: 'CSV_FIELD_COUNT',
        message: `row ${shown} has ${data.length} fields but the header has ${header.length}; the missing ones were read as empty`,
      });
    }
    if (noHeader) warnings.push(noHeader);
    if (textColumn.warning) warnings.push(textColumn.warning);
    if (errors.some((e) => e.code === 'InvalidQuotes')) {
      warnings.push({ code: 'CSV_QUOTES', message: `row ${shown} has a malformed quoted field; it was read as papaparse recovered it` });
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
  const named = Object.entries(overrides)
    .map(([field, column]) => `${column} as the ${field}`)
    .join(', ');
  return {
    columns,
    plan: planColumns(columns, overrides),
    warning: {
      code: 'CSV_NO_HEADER',
      message: `the first row reads like an ad, not a header, so it was scored as one; columns were numbered and read ${named}; name them with --map if that is wrong`,
    },
  };
}
