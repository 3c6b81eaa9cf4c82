// The output formats' writers by name: the one place scan looks a format up. A text format gives a
// Writer (begin, one record at a time, end with the summary); a binary one gives rows and writes
// them to the stream itself (Parquet, whose writer loads only when it is used).
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { LurescanError, type Label, type OutputRecord } from '../types.js';
import { OUTPUT_FORMAT_EXTENSIONS, OUTPUT_FORMATS, type OutputFormat } from './format-names.js';
import { labelStudioWriter } from './labelstudio.js';
import { describeModelSummary, type ModelSummary } from './summary.js';
import { csvWriter, jsonlWriter, jsonWriter, tableWriter, type Writer } from './writers.js';

/** What a writer may need to know about the run. */
export interface WriterContext {
  version: string;
  /** The rule set's fingerprint (a labelling task's model version, Parquet's metadata). */
  ruleset: string;
  model: ModelSummary;
  color: ChalkInstance;
  thresholds?: Readonly<Record<Label, number>>;
}

/** A binary format's writer: a row a record, all of them written to the stream at once. */
export interface RowWriter {
  row(record: OutputRecord): Record<string, unknown>;
  write(rows: AsyncIterable<Record<string, unknown>>, out: Writable): Promise<void>;
}

export type OutputWriter = { kind: 'text'; writer: Writer } | { kind: 'rows'; writer: RowWriter };

export interface OutputFormatDef {
  /** The format's name in "<name> is binary: write it to a file or a pipe" when it cannot go to a terminal. */
  binary?: string;
  open(context: WriterContext): Promise<OutputWriter>;
}

const text = (writer: Writer): Promise<OutputWriter> => Promise.resolve({ kind: 'text', writer });

export const OUTPUT_WRITERS: { readonly [F in OutputFormat]: OutputFormatDef } = {
  jsonl: { open: () => text(jsonlWriter()) },
  csv: { open: () => text(csvWriter()) },
  json: { open: () => text(jsonWriter()) },
  table: { open: (context) => text(tableWriter(context.color, context.thresholds)) },
  parquet: {
    binary: 'Parquet',
    open: async (context) => {
      const { parquetRow, writeParquet } = await import('./parquet.js');
      const metadata = { version: context.version, ruleset: context.ruleset, model: describeModelSummary(context.model) };
      return { kind: 'rows', writer: { row: parquetRow, write: (rows, out) => writeParquet(rows, out, metadata) } };
    },
  },
  labelstudio: { open: (context) => text(labelStudioWriter(`lurescan ${context.version} rules ${context.ruleset.slice(0, 12)}`)) },
};

/** The output format an -o file name implies, or undefined (then --format or the default decides). */
export function formatFromOutName(out: string | undefined): OutputFormat | undefined {
  if (out === undefined) return undefined;
  const ext = path.extname(out.toLowerCase());
  return OUTPUT_FORMATS.find((format) => (OUTPUT_FORMAT_EXTENSIONS[format] as readonly string[]).includes(ext));
}

/**
 * The format a scan writes: `--format`, else what the -o name implies, else a table on a terminal
 * and JSONL elsewhere. A usage error for an unknown format or a binary one bound for a terminal;
 * `warning` when --format and the -o name disagree (--format wins).
 */
export function chooseOutputFormat(given: string | undefined, out: string | undefined, toTerminal: boolean): { format: OutputFormat; warning?: string } {
  const implied = formatFromOutName(out);
  const format = (given ?? implied ?? (toTerminal ? 'table' : 'jsonl')) as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new LurescanError('USAGE', `--format must be one of ${OUTPUT_FORMATS.join(', ')} (got \`${given}\`)`);
  const binary = OUTPUT_WRITERS[format].binary;
  if (binary !== undefined && toTerminal) throw new LurescanError('USAGE', `${binary} is binary: write it to a file (-o verdicts.${format}) or a pipe`);
  if (given !== undefined && implied !== undefined && implied !== given)
    return { format, warning: `writing ${given} to ${out}, as --format says (the name suggests ${implied})` };
  return { format };
}
