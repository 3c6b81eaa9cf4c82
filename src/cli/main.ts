// The command line: parses argv, runs a command, and returns the exit code (0 ok, 1 findings, 2 usage
// or configuration error). Never throws and never prints a stack trace for a user's mistake.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../paths.js';
import { LurescanError } from '../types.js';
import { processIO, type CliIO } from './io.js';
import { runScan, type ScanOptions } from './scan.js';

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
    .description('score postings from files, folders (recursive) or - (stdin) and write one verdict per posting')
    .argument('[inputs...]', 'files (.csv .tsv .jsonl .ndjson .json .html .htm .txt, optionally .gz), folders, or - for stdin')
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, else jsonl)').choices(['jsonl', 'csv', 'json', 'table']))
    .option('-o, --out <file>', 'write output to a file (written whole or not at all)')
    .option('--only-flagged', 'write flagged verdicts (and error records) only')
    .option('--fail-on <label|any>', 'exit 1 when a posting is flagged with this label (comma-separated, or any)')
    .addOption(new Option('--input-format <format>', 'read every input as this format instead of by extension').choices(['csv', 'tsv', 'jsonl', 'json', 'html', 'txt']))
    .option('--map <field=column,...>', 'column mapping for CSV/JSON input, e.g. title=headline,description=body,id=ref,label=class')
    .option('--include-text', 'copy every field\'s full text into the verdict')
    .option('-j, --jobs <n>', 'scoring threads (0: score on the main thread, without a time budget)')
    .option('--time-budget <ms>', 'time budget per posting before it is skipped as SCORE_TIMEOUT (plus 2 s per million characters)', '5000')
    .option('--no-color', 'no colours in table output (NO_COLOR is honoured too)')
    .option('--no-progress', 'no progress line on a terminal')
    .option('--no-summary', 'no summary on stderr')
    .action((inputs: string[], options: ScanOptions) => setCode(runScan(inputs, options, io)));

  return program;
}

/** Run the CLI with `argv` (without node and script) and return the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
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
    io.stderr.write(`lurescan: internal error: ${(error as Error)?.message ?? String(error)}\n(please report this with the command you ran)\n`);
    return EXIT_USAGE;
  }
}
