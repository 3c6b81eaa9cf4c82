// A scan's records to their outputs: every record counted into the summary, then written to the
// main output (-o file or stdout; a text writer's lines or a binary format's rows), to the
// --errors-out file, or held in the --top review budget and written ranked at the end. Files are
// written whole or not at all; the summary file last. The command (cli/scan.ts) reads the flags and
// opens the scanner; this closes it.
import type { Writable } from 'node:stream';
import type { OutputWriter } from '../report/formats.js';
import type { ProgressLine } from '../report/progress.js';
import { countRecord, emptySummary, type Summary } from '../report/summary.js';
import type { TopVerdicts } from '../report/top.js';
import { jsonLine } from '../report/writers.js';
import { isErrorRecord, type ErrorRecord, type OutputRecord, type ReadItem } from '../types.js';
import type { ScoredItem } from './batches.js';
import { OutputFiles, Sink, writeWholeFile, type AtomicFile } from './output-files.js';
import type { RunScanner } from './scanner.js';

export interface ScanOutputs {
  output: OutputWriter;
  /** -o: the file the records go to; else `stdout`. */
  out?: string | undefined;
  stdout: Writable;
  /** Error records to this JSONL file instead of among the verdicts. */
  errorsOut?: string | undefined;
  /** The summary, as JSON, to this file when the run is complete. */
  summaryOut?: string | undefined;
  /** Write flagged verdicts (and error records) only. */
  onlyFlagged: boolean;
  top?: TopVerdicts | undefined;
  /** The version and settings file (if any) the summary names. */
  version: string;
  config?: string | undefined;
  /** When the run started (Date.now()), for the summary's time. */
  started: number;
  /** Told of every record as it comes, before it is written (-v). */
  onRecord?: ((record: OutputRecord) => void) | undefined;
  progress?: ProgressLine | undefined;
}

/** Score `items` with `scanner` into the outputs, close the scanner, and return the run's summary and its first error record (if any). */
export async function writeScanOutputs(
  scanner: RunScanner,
  items: () => AsyncIterable<ReadItem>,
  o: ScanOutputs,
): Promise<{ summary: Summary; firstError: ErrorRecord | undefined }> {
  const { output, top, progress } = o;
  const summary: Summary = { ...emptySummary(o.version, scanner.ruleset), model: scanner.model, ...(o.config !== undefined ? { config: o.config } : {}) };
  const files = new OutputFiles();
  let file: AtomicFile | undefined;
  let errorsFile: AtomicFile | undefined;
  try {
    file = await files.open(o.out);
    errorsFile = await files.open(o.errorsOut);
  } catch (error) {
    await files.abort();
    await scanner.close();
    throw error;
  }
  const sink = new Sink(file ? file.stream : o.stdout);
  // --errors-out: error records in a JSONL file of their own, so the verdicts are all one shape
  // (DuckDB samples a file's first rows for its columns; pandas types a column by all its values).
  const errorSink = errorsFile ? new Sink(errorsFile.stream) : undefined;
  // A binary format's rows are written by its own writer; the text one then has nothing to say.
  const writer = output.kind === 'text' ? output.writer : { begin: () => '', record: () => '', end: () => '' };
  let firstError: ErrorRecord | undefined;

  /** Count, tell and write one record; false when it does not go to the main output (filtered, or --errors-out). A binary format's rows are written by the caller. */
  const emit = async ({ record, posting }: ScoredItem): Promise<boolean> => {
    countRecord(summary, record);
    if (isErrorRecord(record) && firstError === undefined) firstError = record;
    o.onRecord?.(record);
    if ((o.onlyFlagged || top) && !isErrorRecord(record) && !record.flagged) return false;
    // --top: flagged verdicts wait in the review budget's heap and are written, ranked, at the end.
    if (top && !isErrorRecord(record)) {
      top.offer(record, posting);
      return false;
    }
    progress?.beforeRecord();
    let main = true;
    if (errorSink && isErrorRecord(record)) {
      await errorSink.write(`${jsonLine(record)}\n`);
      main = false;
    } else if (output.kind === 'text') await sink.write(writer.record(record, posting));
    progress?.tick(summary);
    return main;
  };

  try {
    await sink.write(writer.begin());
    const read = items();
    if (output.kind === 'rows') {
      // Rows go to the format's writer as they come (Parquet: a row group at a time); the same bookkeeping as for text.
      const rowWriter = output.writer;
      async function* rows(): AsyncGenerator<Record<string, unknown>> {
        for await (const scored of scanner.scoreItems(read)) {
          const written = await emit(scored);
          if (written) yield rowWriter.row(scored.record);
        }
        for (const { verdict } of top?.ranked() ?? []) yield rowWriter.row(verdict);
      }
      await rowWriter.write(rows(), file ? file.stream : o.stdout);
    } else {
      for await (const scored of scanner.scoreItems(read)) {
        await emit(scored);
        if (sink.broken) break;
      }
      for (const { verdict, posting } of top?.ranked() ?? []) await sink.write(writer.record(verdict, posting));
    }
    if (top) summary.top = { limit: top.limit, flagged: top.offered, leftOut: Math.max(0, top.offered - top.limit) };
    summary.disabledRules = [...scanner.disabledRules];
    summary.elapsedMs = Date.now() - o.started;
    await sink.write(writer.end(summary));
    await sink.flush();
    await errorSink?.flush();
    await files.commit();
    if (o.summaryOut !== undefined) await writeWholeFile(o.summaryOut, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    await files.abort();
    throw error;
  } finally {
    await scanner.close();
    progress?.end();
  }
  return { summary, firstError };
}
