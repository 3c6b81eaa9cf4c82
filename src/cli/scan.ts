// `lurescan scan`: read inputs, score on worker threads in ordered batches, write verdicts, summarise.
import type { ScoredItem } from '../run/batches.js';
import { openScanner } from '../run/scanner.js';
import { defaultJobs } from '../run/pool.js';
import { prepareCacheDir } from '../input/web/options.js';
import { readUrlList } from '../input/web/url-list.js';
import { parseMapOption } from '../input/fields.js';
import { planInputs, readInputs } from '../input/index.js';
import { VERSION } from '../paths.js';
import { countRecord, emptySummary, formatSummary, type Summary } from '../report/summary.js';
import { TopVerdicts } from '../report/top.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/format-names.js';
import { formatFromOutName, OUTPUT_WRITERS } from '../report/formats.js';
import { jsonLine } from '../report/writers.js';
import { LurescanError, isErrorRecord, type ErrorRecord, type Label, type OutputRecord, type SourceRef } from '../types.js';
import { DEFAULT_BUDGET_MS } from '../run/budget.js';
import {
  colorFor,
  parseBaseRateOption,
  parseEncodingOption,
  parseFetchFlags,
  parseInputFormat,
  parseFailOn,
  parseLimitOptions,
  wholeNumber,
  type FailOn,
  type FetchFlags,
} from './flags.js';
import { Sink, inputAt, openOutput, writeWholeFile, type CliIO } from './io.js';
import { readRedactKey } from './redact-key.js';

export interface ScanOptions extends FetchFlags {
  urls?: string;
  rules?: string;
  format?: string;
  encoding?: string;
  maxRecord?: string;
  maxRatio?: string;
  out?: string;
  onlyFlagged?: boolean;
  failOn?: string;
  quiet?: boolean;
  verbose?: boolean;
  /** `--config <file>`, or false for `--no-config`. */
  config?: string | false;
  /** The settings file that was read (set by the caller that read it). */
  configFile?: string;
  /** Score thresholds per label over the scoring file's (from a settings file). */
  thresholds?: Partial<Record<Label, number>>;
  inputFormat?: string;
  map?: string;
  includeText?: boolean;
  jobs?: string;
  timeBudget?: string;
  color?: boolean;
  progress?: boolean;
  summary?: boolean;
  /** A model file, or false for `--no-model` (rules only). */
  model?: string | false;
  explain?: boolean;
  baseRate?: string[];
  /** The name the (one) input's records carry as their file and in their ids (a shard's, stdin's). */
  sourceName?: string;
  /** Lines (or CSV rows) of the whole file before this shard. */
  lineOffset?: string;
  /** Write the run's summary as JSON to this file (for `lurescan summary merge`). */
  summaryOut?: string;
  /** Write error records to this file (JSONL) instead of among the verdicts. */
  errorsOut?: string;
  /** A review budget: write only the n flagged verdicts the scoring is most certain of. */
  top?: string;
  /** Replace contacts by keyed hashes (the key from --redact-key-file or LURESCAN_REDACT_KEY). */
  redact?: boolean;
  redactKeyFile?: string;
}

/** Why a run exits 1: the postings and error records that met --fail-on, or undefined when none did. */
function failureReason(failOn: FailOn | undefined, summary: Summary): string | undefined {
  if (!failOn) return undefined;
  const parts = [...failOn.labels].filter((label) => summary.flagged[label] > 0).map((label) => `${summary.flagged[label]} posting(s) flagged ${label}`);
  if (failOn.errors && summary.errors > 0) parts.push(`${summary.errors} error record(s)`);
  return parts.length > 0 ? `exit 1: ${parts.join(', ')} (--fail-on ${failOn.spec})` : undefined;
}

export async function runScan(inputs: string[], options: ScanOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const toTerminal = !options.out && io.stdout.isTTY === true;
  const implied = formatFromOutName(options.out);
  const format = (options.format ?? implied ?? (toTerminal ? 'table' : 'jsonl')) as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new LurescanError('USAGE', `--format must be one of ${OUTPUT_FORMATS.join(', ')} (got \`${options.format}\`)`);
  const binary = OUTPUT_WRITERS[format].binary;
  if (binary !== undefined && toTerminal) throw new LurescanError('USAGE', `${binary} is binary: write it to a file (-o verdicts.${format}) or a pipe`);
  if (options.format !== undefined && implied !== undefined && implied !== options.format) {
    io.stderr.write(`lurescan: warning: writing ${options.format} to ${options.out}, as --format says (the name suggests ${implied})\n`);
  }
  const inputFormat = parseInputFormat(options.inputFormat);
  const failOn = parseFailOn(options.failOn);
  const map = parseMapOption(options.map);
  const encoding = parseEncodingOption(options.encoding);
  const limits = parseLimitOptions(options);
  const jobs = wholeNumber(options.jobs, '--jobs', 0) ?? defaultJobs();
  const budgetMs = wholeNumber(options.timeBudget, '--time-budget', 1) ?? DEFAULT_BUDGET_MS;
  const topLimit = wholeNumber(options.top, '--top', 1);
  const baseRates = parseBaseRateOption(options.baseRate);
  const fetchOptions = parseFetchFlags(options);
  const redactKey = await readRedactKey(options, io);
  if (inputs.length === 0 && options.urls === undefined) throw new LurescanError('USAGE', 'no inputs: name files, folders, URLs, or - for standard input');
  if (options.explain && options.model === false) throw new LurescanError('USAGE', "--explain shows the model's evidence and needs a model (drop --no-model)");
  const listed = options.urls !== undefined ? await readUrlList(options.urls) : [];
  if (inputs.length === 0 && listed.length === 0) throw new LurescanError('USAGE', `no inputs: ${options.urls} lists no URLs`);
  const units = [...(await planInputs(inputs)), ...listed.map((name) => ({ kind: 'url' as const, name }))];
  const lineOffset = wholeNumber(options.lineOffset, '--line-offset', 0);
  if (options.sourceName !== undefined || lineOffset !== undefined) {
    const flag = options.sourceName !== undefined ? '--source-name' : '--line-offset';
    if (units.length !== 1 || units[0]!.kind === 'url')
      throw new LurescanError('USAGE', `${flag} names one input (a file or -, one shard of a whole): give exactly one`);
    if (options.sourceName?.trim() === '') throw new LurescanError('USAGE', '--source-name needs a name');
  }
  if (options.out !== undefined) {
    const input = await inputAt(options.out, units);
    if (input !== undefined)
      throw new LurescanError(
        'USAGE',
        `-o ${options.out} is one of the inputs (${input.name}): the verdicts would replace the postings; write them to another file`,
      );
  }
  if (fetchOptions.cacheDir !== undefined) await prepareCacheDir(fetchOptions.cacheDir);
  const warn = (message: string): void => {
    if (!options.quiet) io.stderr.write(`lurescan: warning: ${message}\n`);
  };

  // The library's scanner (run/scanner.ts): the rules and the model read once, threads on demand.
  const scanner = await openScanner({
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
    jobs,
    budgetMs,
    baseRates,
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
    includeText: options.includeText ?? false,
    explain: options.explain ?? false,
    cwd: io.cwd,
    onWarning: warn,
    ...(redactKey !== undefined ? { redact: { key: redactKey } } : {}),
  });
  const color = colorFor(options.color, io.env, toTerminal);
  const output = await OUTPUT_WRITERS[format].open({
    version: VERSION,
    ruleset: scanner.ruleset.fingerprint,
    model: scanner.model,
    color,
    thresholds: scanner.thresholds,
  });
  // A binary format's rows are written by its own writer; the text one then has nothing to say.
  const writer = output.kind === 'text' ? output.writer : { begin: () => '', record: () => '', end: () => '' };

  const file = options.out
    ? await openOutput(options.out).catch(async (error: unknown) => {
        await scanner.close();
        throw error;
      })
    : undefined;
  const sink = new Sink(file ? file.stream : io.stdout);
  // --errors-out: error records in a JSONL file of their own, so the verdicts are all one shape
  // (DuckDB samples a file's first rows for its columns; pandas types a column by all its values).
  const errorsFile = options.errorsOut
    ? await openOutput(options.errorsOut).catch(async (error: unknown) => {
        await file?.abort();
        await scanner.close();
        throw error;
      })
    : undefined;
  const errorSink = errorsFile ? new Sink(errorsFile.stream) : undefined;
  const top = topLimit !== undefined ? new TopVerdicts(topLimit, scanner.thresholds) : undefined;
  const summary = emptySummary(VERSION, scanner.ruleset);
  summary.model = scanner.model;
  if (options.configFile !== undefined) summary.config = options.configFile;
  const showProgress = options.progress !== false && !options.quiet && io.stderr.isTTY === true;
  let lastProgress = 0;
  let progressShown = false;
  let firstScoredAt: number | undefined;
  let firstError: ErrorRecord | undefined;

  /** Count, tell and write one record; false when it does not go to the main output (filtered, or --errors-out). A binary format's rows are written by the caller. */
  const emit = async ({ record, posting }: ScoredItem): Promise<boolean> => {
    countRecord(summary, record);
    if (isErrorRecord(record) && firstError === undefined) firstError = record;
    if (options.verbose) tellRecord(record, io);
    if ((options.onlyFlagged || top) && !isErrorRecord(record) && !record.flagged) return false;
    // --top: flagged verdicts wait in the review budget's heap and are written, ranked, at the end.
    if (top && !isErrorRecord(record)) {
      top.offer(record, posting);
      return false;
    }
    // Both on one terminal: the progress line is cleared before a record, or the record would run into it.
    if (progressShown && toTerminal) {
      io.stderr.write('\r\x1b[K');
      progressShown = false;
    }
    let main = true;
    if (errorSink && isErrorRecord(record)) {
      await errorSink.write(`${jsonLine(record)}\n`);
      main = false;
    } else if (output.kind === 'text') await sink.write(writer.record(record, posting));
    if (showProgress && Date.now() - lastProgress > 500) {
      lastProgress = Date.now();
      // The rate counts from the first record scored, not from start-up (loading rules and model).
      firstScoredAt ??= Date.now();
      const seconds = (Date.now() - firstScoredAt) / 1000;
      const rate = seconds >= 1 ? `${Math.round(summary.read / seconds)}/s` : '…/s';
      io.stderr.write(`\rlurescan: ${summary.read} read, ${summary.flagged.any} flagged, ${summary.errors} errors (${rate})  `);
      progressShown = true;
    }
    return main;
  };

  try {
    await sink.write(writer.begin());
    const items = readInputs(units, {
      ...(inputFormat ? { inputFormat } : {}),
      ...(encoding ? { encoding } : {}),
      limits,
      map,
      stdin: io.stdin,
      fetch: fetchOptions,
      onWarning: warn,
      ...(options.sourceName !== undefined ? { sourceName: options.sourceName } : {}),
      ...(lineOffset !== undefined ? { lineOffset } : {}),
    });
    if (output.kind === 'rows') {
      // Rows go to the format's writer as they come (Parquet: a row group at a time); the same bookkeeping as for text.
      const rowWriter = output.writer;
      async function* rows(): AsyncGenerator<Record<string, unknown>> {
        for await (const scored of scanner.scoreItems(items)) {
          const written = await emit(scored);
          if (written) yield rowWriter.row(scored.record);
        }
        for (const { verdict } of top?.ranked() ?? []) yield rowWriter.row(verdict);
      }
      await rowWriter.write(rows(), file ? file.stream : io.stdout);
    } else {
      for await (const scored of scanner.scoreItems(items)) {
        await emit(scored);
        if (sink.broken) break;
      }
      for (const { verdict, posting } of top?.ranked() ?? []) await sink.write(writer.record(verdict, posting));
    }
    if (top) summary.top = { limit: top.limit, flagged: top.offered, leftOut: Math.max(0, top.offered - top.limit) };
    summary.disabledRules = [...scanner.disabledRules];
    summary.elapsedMs = Date.now() - started;
    await sink.write(writer.end(summary));
    await sink.flush();
    if (file) await file.commit();
    if (errorSink && errorsFile) {
      await errorSink.flush();
      await errorsFile.commit();
    }
    if (options.summaryOut !== undefined) await writeWholeFile(options.summaryOut, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    if (file) await file.abort();
    if (errorsFile) await errorsFile.abort();
    throw error;
  } finally {
    await scanner.close();
    if (showProgress && lastProgress > 0) io.stderr.write('\r\x1b[K');
  }
  if (options.summary !== false && !options.quiet) io.stderr.write(formatSummary(summary));
  if (summary.scored === 0 && summary.errors > 0) {
    // The error records went to the output; say why the run failed where a pipeline looks, too.
    io.stderr.write(
      `lurescan: no posting could be scored: ${summary.errors} error record${summary.errors === 1 ? '' : 's'}${firstError ? `, the first: ${describeErrorRecord(firstError)}` : ''}\n`,
    );
    return 2;
  }
  const reason = failureReason(failOn, summary);
  if (reason && !options.quiet) io.stderr.write(`lurescan: ${reason}\n`);
  return reason ? 1 : 0;
}

/** -v: an error record, or a verdict's warnings, as lines on stderr while the run goes on. */
function tellRecord(record: OutputRecord, io: CliIO): void {
  if (isErrorRecord(record)) io.stderr.write(`lurescan: error: ${describeErrorRecord(record)}\n`);
  else
    for (const warning of record.warnings ?? [])
      io.stderr.write(`lurescan: warning: ${describeSource(record.source) || `${record.id}: `}${warning.code}: ${warning.message}\n`);
}

/** One error record as a line: where, which code, what. */
function describeErrorRecord(record: ErrorRecord): string {
  return `${describeSource(record.source)}${record.error.code}: ${record.error.message}`;
}

/** Where a record came from, as `file row 13: ` (or line, or URL); empty when nothing is known. */
function describeSource(source: SourceRef): string {
  const where = [source.file ?? source.url, source.row !== undefined ? `row ${source.row}` : source.line !== undefined ? `line ${source.line}` : undefined]
    .filter(Boolean)
    .join(' ');
  return where ? `${where}: ` : '';
}
