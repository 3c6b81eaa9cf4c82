// The command line: parses argv, runs a command, and returns the exit code (0 ok, 1 findings, 2 usage
// or configuration error). Never throws and never prints a stack trace for a user's mistake.
import { Argument, Command, CommanderError, Option } from 'commander';
import { VERSION } from '../paths.js';
import { OUTPUT_FORMATS } from '../report/format-names.js';
import { INPUT_FORMATS } from '../input/format-names.js';
import { DEFAULT_BUDGET_MS } from '../run/budget.js';
import { LurescanError } from '../types.js';
import { removeOpenTemps, type CliIO } from './io.js';
// Commands are loaded when they run, not here: `--help`, `--version` and a mistyped flag cost the
// command definitions only, not the rule engine, the model, the readers and the ReDoS checker.
import { registerRulesCommands } from './rules-commands.js';
import type { ScanOptions } from './scan.js';
import type { TrainOptions } from './train.js';
import type { EvalOptions } from './eval.js';
import type { RescoreOptions } from './rescore.js';
import type { ServeOptions } from './serve.js';
import type { SummaryMergeOptions } from './summary.js';
import type { LinkCliOptions } from './link.js';
import type { ReportOptions } from './report.js';
import { collect, colorOptions, LIMIT_HELP } from './options.js';
import { completionScript, SHELLS } from './completion.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

function buildProgram(io: CliIO, setCode: (run: Promise<number>) => void): Command {
  const program = new Command('lurescan')
    .description('Flag job postings that look like recruitment into forced criminality (scam compounds) or employment fraud, with the evidence for every flag.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run `lurescan --help` for usage)');

  program
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
    .option('--no-config', 'read no settings file')
    .action((inputs: string[], options: ScanOptions, command: Command) =>
      setCode(
        (async () => {
          const [{ applyConfig }, { runScan }] = await Promise.all([import('./config.js'), import('./scan.js')]);
          const config = await applyConfig(options as Record<string, unknown>, (key) => command.getOptionValueSource(key) === 'cli', io.cwd);
          return runScan(inputs, { ...options, ...(config !== undefined ? { configFile: config } : {}) }, io);
        })(),
      ),
    );

  // `eval` and `rescore` report figures per group the same way.
  const byOption = (): Option =>
    new Option('--by <grouping>', "figures per group: lang (the posting's meta.lang, else as detected), source (file), meta.<key>, or none").default('lang');

  const labelled = (command: Command): Command =>
    command
      .option('--label <column>', 'the answer-key column (default: a column named label, fraudulent, is_scam, ...)')
      .option(
        '--label-map <value=label,...>',
        'what label values mean, e.g. 2=employment-fraud,0.5=legit (built in: 0/1, true/false, legit, fraud, employment-fraud, forced-criminality, ...)',
      )
      .option('--map <field=column,...>', 'column mapping, as for scan')
      .option('--default-label <label>', 'what a posting without a label is (e.g. legit, for job-board sets presumed legitimate)')
      .addOption(new Option('--input-format <format>', 'read every input as this format instead of by extension').choices([...INPUT_FORMATS]))
      .option('--encoding <label>', 'text encoding of the inputs, as for scan')
      .option('--max-record <size>', LIMIT_HELP.maxRecord)
      .option('--max-ratio <n>', LIMIT_HELP.maxRatio);

  labelled(
    program
      .command('train')
      .description('learn a model from labelled postings (same input, same model file, byte for byte)')
      .argument('<labelled...>', 'labelled files or folders'),
  )
    .option('-o, --out <file>', 'model file to write (written whole or not at all)')
    .option('--update <file>', 'learn into this model (written back unless --out names another file); known ids are not counted twice, relabelled ones move')
    .option('--date <YYYY-MM-DD>', 'training date recorded in the model (default: SOURCE_DATE_EPOCH, else today)')
    .option('--kind <kind>', 'logistic (weights fitted on all postings at once; the default) or naive-bayes (counts: the kind --update can add to)')
    .option('--alpha <n>', 'naive Bayes: Lidstone smoothing (default 0.05)')
    .option('--max-vocabulary <n>', 'keep at most this many tokens, the most frequent (default 400000)')
    .option('--min-language-legit <n>', 'the model abstains on a language it learned fewer legitimate postings in than this (default 40)')
    .option('--min-language-label <n>', 'the model adds no points for a label in a language it learned fewer postings of that label in (default 30)')
    .option('--reports <column=value>', 'legitimate postings with this value are reports (news, advisories): they train the report head')
    .action((inputs: string[], options: TrainOptions) => setCode(import('./train.js').then((m) => m.runTrain(inputs, options, io))));

  labelled(
    program
      .command('eval')
      .description('precision, recall and F1 of the rules, the model and both combined on labelled postings')
      .argument('<labelled...>', 'labelled files or folders'),
  )
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped model)')
    .option('--no-model', 'rules only')
    .option('--folds <k>', 'k-fold cross-validation: train a model per fold on the inputs instead of using --model')
    .option('--base-rate <label=p>', "share of a label in this set, for the model's probabilities (repeatable), e.g. employment-fraud=0.46", collect)
    .addOption(byOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --out <file>', 'write the report to a file')
    .action((inputs: string[], options: EvalOptions) => setCode(import('./eval.js').then((m) => m.runEval(inputs, options, io))));

  labelled(
    program
      .command('rescore')
      .description(
        "learn every rule's points and the model's from labelled postings, false positives costing more than misses; report before and after, and write the scoring file",
      )
      .argument('<labelled...>', 'labelled files or folders'),
  )
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped model)')
    .option('--no-model', "fit the rules' points alone (the model's points are left as they are)")
    .option('--folds <k>', 'judge each posting by a model trained on the other folds of the inputs (for a set the model was trained on)')
    .option('--base-rate <label=p>', "share of a label in the feed the points are for, for the model's probabilities (repeatable)", collect)
    .option(
      '--target-fpr <rate>',
      "false-positive rate on legitimate postings to stay at or under; the false-positive cost is searched for the lowest that does (default 0.01); label=rate sets one label's own rate, its cost searched on its own (repeatable)",
      collect,
    )
    .option(
      '--fpr-on <input>',
      'judge the target rate on the legitimate postings of this input file or folder only, e.g. your hard look-alikes (repeatable; the others still count in the fit)',
      collect,
    )
    .addOption(byOption())
    .addOption(new Option('--format <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('-o, --out <file>', "write the scoring file with the learned points here (the rules folder's own, updated)")
    .option('--write', "update the rules folder's own scoring file in place, keeping its comments")
    .action((inputs: string[], options: RescoreOptions) => setCode(import('./rescore.js').then((m) => m.runRescore(inputs, options, io))));

  program
    .command('summary')
    .description('work with run summaries')
    .command('merge')
    .description('add up the summaries of a run done in shards (each written by scan --summary-out); refuses shards scored with other rules or another model')
    .argument('<summaries...>', 'summary files (scan --summary-out, or whole --format json outputs)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
    .option('-o, --out <file>', 'write the merged summary to a file')
    .action((files: string[], options: SummaryMergeOptions) => setCode(import('./summary.js').then((m) => m.runSummaryMerge(files, options, io))));

  program
    .command('report')
    .description(
      'one HTML page for reviewers, offline: flagged postings ranked with their evidence marked in the text, filters, charts, clusters and the run summary',
    )
    .argument('<verdicts...>', 'JSONL verdict files lurescan scan wrote (--include-text shows the whole text; .gz read too), or - for standard input')
    .option('-o, --out <file>', 'the HTML file to write (written whole or not at all)')
    .option('--clusters <file>', 'cluster records lurescan link wrote (JSONL): shown with their members, and as a filter')
    .option('--summary <file>', "the run's summary (scan --summary-out): its counts, rule-set fingerprint and model (else counts from the records)")
    .option('--max-postings <n>', 'the most flagged postings the page holds, the highest-scoring (default 5000); every record is counted whatever it holds')
    .option('--title <text>', 'the page title (default: lurescan review report)')
    .option('-q, --quiet', 'nothing on stderr but fatal errors')
    .action((verdicts: string[], options: ReportOptions) => setCode(import('./report.js').then((m) => m.runReport(verdicts, options, io))));

  program
    .command('serve')
    .description('score postings over HTTP for review queues: POST /v1/score (one posting), POST /v1/batch (JSON array or JSONL), GET /healthz, GET /metrics')
    .option('--host <address>', 'address to listen on (default 127.0.0.1: this machine only)')
    .option('--port <n>', 'port to listen on (default 8080; 0 picks a free one, named on stderr)')
    .option('--token-file <file>', 'require `Authorization: Bearer <token>`, the token being the first line of this file (or set LURESCAN_TOKEN)')
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped models/default.json)')
    .option('--no-model', 'score with the rules only')
    .option('--base-rate <label=p>', "share of a label in the feed, for the model's probabilities (repeatable)", collect)
    .option('-j, --jobs <n>', 'scoring threads (default: one per core, within half the memory; 0: on the serving thread, without a time budget)')
    .option('--time-budget <ms>', 'work time per posting on its scoring thread', String(DEFAULT_BUDGET_MS))
    .option('--max-body <size>', 'largest request body (default 10MB; 413 past it)')
    .option('--max-batch <n>', 'most postings in one batch (default 10000; 413 past it)')
    .option('--request-timeout <seconds>', 'time a client has to send a whole request (default 300)')
    .option('--include-text', "copy every field's full text into the verdict")
    .option('--explain', "add the tokens that weighed most for and against the model's label")
    .option('--redact', 'answer with every contact replaced by a keyed hash, as scan --redact (key from --redact-key-file or LURESCAN_REDACT_KEY)')
    .option('--redact-key-file <file>', 'the key for --redact: the first line of this file (implies --redact)')
    .action((options: ServeOptions) => setCode(import('./serve.js').then((m) => m.runServe(options, io))));

  program
    .command('link')
    .description(
      'group postings into networks: those that share an identifier (phone, handle, email, domain, wallet) or are near-duplicates of one template, in any script; one cluster record per network',
    )
    .argument(
      '<inputs...>',
      'verdict files (scan --format jsonl, best with --include-text), or postings to score here (anything scan reads), folders, or - for stdin',
    )
    .option('-o, --out <file>', 'write the cluster records (JSONL) to a file (default: stdout)')
    .option('--edges <file>', 'also write the links as CSV: source, target, kind (contact or template), key, similarity, cluster')
    .option('--graphml <file>', 'also write the clusters as a GraphML graph (Gephi, yEd, networkx)')
    .option('--similarity <j>', 'estimated Jaccard similarity of two texts (4-character shingles) at which they are one template', '0.6')
    .option('--generic-over <n>', 'an identifier carried by postings of more than n different texts is generic and joins nothing', '50')
    .option('--min-size <n>', 'smallest cluster written', '2')
    .option('--allow <file>', 'identifiers never used to join: one key (phone:+85512345678) or value (hr_linda_kh) a line, # comments')
    .option('--summary-out <file>', 'also write the run summary as JSON to this file (identifiers filtered, with why)')
    .option(
      '--redact',
      'replace identifiers by keyed hashes (HMAC-SHA256; key from --redact-key-file or LURESCAN_REDACT_KEY) before linking: clusters join on the hashes, and no raw number, handle, e-mail, domain or wallet is written',
    )
    .option('--redact-key-file <file>', 'the key for --redact: the first line of this file (implies --redact)')
    .option('--rules <dir>', 'rules folder, for postings scored here (default: the shipped rules/)')
    .option('--model <file>', 'model file, for postings scored here (default: the shipped model)')
    .option('--no-model', 'score postings here with the rules only')
    .option('-j, --jobs <n>', 'scoring threads for postings scored here (default: one per core, within memory)')
    .addOption(new Option('--input-format <format>', 'read every input that is not a verdict file as this format').choices([...INPUT_FORMATS]))
    .option('--map <field=column,...>', 'column mapping for postings scored here, as for scan')
    .option('--encoding <label>', 'text encoding of the inputs, as for scan')
    .option('--max-record <size>', LIMIT_HELP.maxRecord)
    .option('--max-ratio <n>', LIMIT_HELP.maxRatio)
    .option('--no-summary', 'no summary on stderr')
    .option('-q, --quiet', 'nothing on stderr but fatal errors')
    .action((inputs: string[], options: LinkCliOptions) => setCode(import('./link.js').then((m) => m.runLink(inputs, options, io))));

  for (const name of ['scan', 'eval', 'rescore']) colorOptions(program.commands.find((command) => command.name() === name)!);
  registerRulesCommands(program, io, setCode);
  program
    .command('completion')
    .description('print a shell completion script: eval "$(lurescan completion bash)" (bash, zsh), or save the fish one in ~/.config/fish/completions')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: string) => {
      io.stdout.write(completionScript(program, shell));
    });
  return program;
}

/**
 * Run the CLI with `argv` (without node and script) and return the exit code. Everything it reads
 * from outside comes in `io` (streams, environment, working folder): `bin/` passes the process's
 * own (processIO()), tests their own. A user's mistake is a message and exit 2; anything else (a
 * crash) is thrown to the caller, and bin/lurescan.js reports it with crashed().
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let running: Promise<number> | undefined;
  const program = buildProgram(io, (run) => {
    running = run;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync(argv, { from: 'user' });
    return running ? await running : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof LurescanError) {
      io.stderr.write(`lurescan: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** A crash (an error main() does not expect): say so without a stack trace and return exit code 2. For bin/ only. */
export function crashed(error: unknown, stderr: { write(text: string): unknown }): number {
  stderr.write(`lurescan: internal error: ${(error as Error)?.message ?? String(error)}\n(please report this with the command you ran)\n`);
  return EXIT_USAGE;
}

/**
 * Ctrl-C or a kill while a command runs: remove the half-written output files (an -o file is
 * written beside its target and renamed into place only when complete, so the target is untouched),
 * say so, and return the shell's exit code for the signal (130 for SIGINT, 143 for SIGTERM).
 */
export function interrupted(signal: 'SIGINT' | 'SIGTERM', stderr: { write(text: string): unknown }): number {
  const targets = removeOpenTemps();
  const note = targets.length > 0 ? `; not written: ${targets.join(', ')}` : '';
  stderr.write(`\nlurescan: interrupted (${signal})${note}\n`);
  return signal === 'SIGINT' ? 130 : 143;
}
