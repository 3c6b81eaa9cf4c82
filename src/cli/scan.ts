// `lurescan scan`: read the flags, plan the inputs, open the scanner (run/scanner.ts) and hand the
// records to run/scan-outputs.ts, which scores them in ordered batches and writes them; the
// format, summary, progress line and stderr lines are report/'s.
import { readInputs } from '../input/index.js';
import { prepareCacheDir } from '../input/web/options.js';
import { VERSION } from '../paths.js';
import { chooseOutputFormat, OUTPUT_WRITERS } from '../report/formats.js';
import { ProgressLine } from '../report/progress.js';
import { failureReason, noneScoredLine, recordLines } from '../report/run-lines.js';
import { formatSummary } from '../report/summary.js';
import { TopVerdicts } from '../report/top.js';
import { DEFAULT_BUDGET_MS } from '../run/budget.js';
import { useScanHeapSettings } from '../run/heap-settings.js';
import { refuseInputAsOutput } from '../run/output-files.js';
import { defaultJobs } from '../run/pool.js';
import { openScanner } from '../run/scanner.js';
import { writeScanOutputs } from '../run/scan-outputs.js';
import { LurescanError } from '../types.js';
import type { ScanOptions } from './commands/scan.js';
import { colorFor, parseBaseRateOption, parseFailOn, parseFetchFlags, parseReadFlags, parseShardFlags, scannerFlags, wholeNumber } from './flags.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, warner, type CliIO } from './io.js';
import { inputsWithUrlList, readRedactKey } from './flag-files.js';

export async function runScan(inputs: string[], options: ScanOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const toTerminal = !options.out && io.stdout.isTTY === true;
  const { format, warning } = chooseOutputFormat(options.format, options.out, toTerminal);
  if (warning !== undefined) io.stderr.write(`lurescan: warning: ${warning}\n`);
  const failOn = parseFailOn(options.failOn);
  const read = parseReadFlags(options);
  const jobs = wholeNumber(options.jobs, '--jobs', 0) ?? defaultJobs();
  const budgetMs = wholeNumber(options.timeBudget, '--time-budget', 1) ?? DEFAULT_BUDGET_MS;
  const topLimit = wholeNumber(options.top, '--top', 1);
  const baseRates = parseBaseRateOption(options.baseRate);
  const fetch = parseFetchFlags(options);
  const redactKey = await readRedactKey(options, io);
  if (inputs.length === 0 && options.urls === undefined) throw new LurescanError('USAGE', 'no inputs: name files, folders, URLs, or - for standard input');
  if (options.explain && options.model === false) throw new LurescanError('USAGE', "--explain shows the model's evidence and needs a model (drop --no-model)");
  const units = await inputsWithUrlList(inputs, options.urls);
  const shard = parseShardFlags(options.sourceName, options.lineOffset, units);
  await refuseInputAsOutput(
    [options.out],
    units,
    (out, input) => `-o ${out} is one of the inputs (${input}): the verdicts would replace the postings; write them to another file`,
  );
  if (fetch.cacheDir !== undefined) await prepareCacheDir(fetch.cacheDir);
  const warn = warner(io, options.quiet);
  // Two scoring threads or more: V8 settings for that, in lurescan's own process (run/heap-settings.ts).
  // At one thread the peak is under the budget anyway, and collecting sooner cost 7-22% more CPU.
  if (jobs >= 2 && io.ownsProcess === true) useScanHeapSettings();

  const scanning = { jobs, budgetMs, baseRates, includeText: options.includeText ?? false, explain: options.explain ?? false, cwd: io.cwd, onWarning: warn };
  const scanner = await openScanner({ ...scannerFlags(options, redactKey), ...(options.thresholds ? { thresholds: options.thresholds } : {}), ...scanning });
  const color = colorFor(options.color, io.env, toTerminal);
  const context = { version: VERSION, ruleset: scanner.ruleset.fingerprint, model: scanner.model, color, thresholds: scanner.thresholds };
  const output = await OUTPUT_WRITERS[format].open(context);
  const showProgress = options.progress !== false && !options.quiet && io.stderr.isTTY === true;
  const items = () => readInputs(units, { ...read, stdin: io.stdin, fetch, onWarning: warn, ...shard });
  const { summary, firstError } = await writeScanOutputs(scanner, items, {
    output,
    stdout: io.stdout,
    version: VERSION,
    config: options.configFile,
    started,
    onlyFlagged: options.onlyFlagged ?? false,
    out: options.out,
    errorsOut: options.errorsOut,
    summaryOut: options.summaryOut,
    top: topLimit !== undefined ? new TopVerdicts(topLimit, scanner.thresholds) : undefined,
    onRecord: options.verbose ? (record) => io.stderr.write(recordLines(record)) : undefined,
    progress: showProgress ? new ProgressLine((text) => io.stderr.write(text), toTerminal) : undefined,
  });
  if (options.summary !== false && !options.quiet) io.stderr.write(formatSummary(summary));
  // Nothing scored: the error records went to the output; say why the run failed where a pipeline looks, too.
  if (summary.scored === 0 && summary.errors > 0) {
    io.stderr.write(noneScoredLine(summary, firstError));
    return EXIT_USAGE;
  }
  const reason = failureReason(failOn, summary);
  if (reason && !options.quiet) io.stderr.write(`lurescan: ${reason}\n`);
  return reason ? EXIT_FINDINGS : EXIT_OK;
}
