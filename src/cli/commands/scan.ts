// `lurescan scan`'s registration: arguments, options and help; the run is ../scan.ts.
import { Option, type Command } from 'commander';
import { INPUT_FORMATS } from '../../input/format-names.js';
import { OUTPUT_FORMATS } from '../../report/format-names.js';
import { DEFAULT_BUDGET_MS } from '../../run/budget.js';
import type { Label } from '../../types.js';
import type { FetchFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import { collect, colorOptions, LIMIT_HELP } from '../options.js';
import type { SetCode } from './index.js';

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

export function scanCommand(program: Command, io: CliIO, setCode: SetCode): void {
  const scan = program
    .command('scan')
    .description('score postings from files, folders (recursive), WARC files, http(s) URLs or - (stdin) and write one verdict per posting')
    .argument(
      '[inputs...]',
      'files (.csv .tsv .jsonl .ndjson .json .html .htm .txt, optionally .gz; .warc .warc.gz, and Common Crawl WET .warc.wet.gz), folders, http(s) URLs, or - for stdin',
    )
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped models/default.json)')
    .option('--no-model', 'score with the rules only')
    .option('--explain', "add the tokens that weighed most for and against the model's label")
    .option('--base-rate <label=p>', "share of a label in this feed, for the model's probabilities (repeatable; default from rules/scoring.yaml)", collect)
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, else jsonl; parquet: to a file or a pipe)').choices([...OUTPUT_FORMATS]),
    )
    .option('-o, --out <file>', 'write output to a file (written whole or not at all)')
    .option('--only-flagged', 'write flagged verdicts (and error records) only')
    .option(
      '--fail-on <label|any|error>',
      'exit 1 when a posting is flagged with this label, or any label, or when there are error records (error); comma-separated, e.g. forced-criminality,error',
    )
    .addOption(new Option('--input-format <format>', 'read every input as this format instead of by extension').choices([...INPUT_FORMATS]))
    .option(
      '--encoding <label>',
      'text encoding of files and stdin, e.g. gbk, big5, shift_jis, windows-1252 (default: UTF-8; bytes that are not UTF-8 are read in the likeliest legacy encoding, with a warning)',
    )
    .option('--map <field=column,...>', 'column mapping for CSV/JSON input, e.g. title=headline,description=body,id=ref,label=class')
    .option('--max-record <size>', LIMIT_HELP.maxRecord)
    .option('--max-ratio <n>', LIMIT_HELP.maxRatio)
    .option('--include-text', "copy every field's full text into the verdict")
    .option('--source-name <name>', "the name the input's records carry as their file and in their ids (a shard's or stdin's: the whole file's name)")
    .option('--line-offset <n>', "lines (JSONL) or data rows (CSV, TSV) of the whole file before this shard, so records carry the whole file's numbers")
    .option('--summary-out <file>', 'also write the run summary as JSON to this file (lurescan summary merge adds shards up)')
    .option(
      '--top <n>',
      'a review budget: write only the n flagged postings the scoring is most certain of, most certain first (the summary says how many were left out)',
    )
    .option('--errors-out <file>', 'write error records to this file (JSONL) instead of among the verdicts, so every output row is a verdict')
    .option(
      '--redact',
      'replace every phone number, handle, e-mail, domain and wallet in the output by a keyed hash (HMAC-SHA256; key from --redact-key-file or LURESCAN_REDACT_KEY)',
    )
    .option('--redact-key-file <file>', 'the key for --redact: the first line of this file (implies --redact)')
    .option(
      '-j, --jobs <n>',
      'scoring threads (default: one per core, within half the memory at about 210 MB each; 0: score on the main thread, without a time budget)',
    )
    .option(
      '--time-budget <ms>',
      "work time per posting, on the scoring thread's CPU clock (plus 2 s per million characters); a posting over it twice, the second time on a fresh thread, is skipped as SCORE_TIMEOUT",
      String(DEFAULT_BUDGET_MS),
    )
    .option('--urls <file>', 'also fetch the URLs listed in this file (one a line; # starts a comment)')
    .option('--concurrency <n>', 'URL fetches in flight at once, over all hosts (default 8)')
    .option('--per-host <n>', 'URL fetches in flight at once to one host (default 2)')
    .option('--delay <ms>', 'least time between two requests to one host (default 250; robots.txt Crawl-delay can raise it)')
    .option('--timeout <seconds>', 'time allowed per request: connect, headers and body (default 30)')
    .option('--retries <n>', 'retries after a network error, 429 or 5xx, with exponential backoff (default 3)')
    .option('--max-body <size>', 'largest page accepted, e.g. 10MB, 500KB (default 10MB)')
    .option('--user-agent <text>', 'User-Agent header sent with requests (default names lurescan)')
    .option('--ignore-robots', 'fetch pages that robots.txt disallows')
    .option('--cache <dir>', 'keep fetched pages in this folder and reuse them (ETag / Last-Modified) on the next run')
    .option('--no-progress', 'no progress line on a terminal')
    .option('--no-summary', 'no summary on stderr')
    .option('-q, --quiet', 'nothing on stderr but fatal errors: no summary, progress, warnings or exit-1 reason')
    .option('-v, --verbose', "also each error record and each posting's warnings on stderr as they come")
    .option(
      '--config <file>',
      'settings file (default: .lurescan.yaml, .lurescan.yml or a "lurescan" key in package.json, in this folder or the nearest above it); flags win',
    )
    .option('--no-config', 'read no settings file');
  colorOptions(scan).action((inputs: string[], options: ScanOptions, command: Command) =>
    setCode(
      (async () => {
        const [{ applyConfig }, { runScan }] = await Promise.all([import('../config.js'), import('../scan.js')]);
        const config = await applyConfig(options as Record<string, unknown>, (key) => command.getOptionValueSource(key) === 'cli', io.cwd);
        return runScan(inputs, { ...options, ...(config !== undefined ? { configFile: config } : {}) }, io);
      })(),
    ),
  );
}
