// The command line: parses argv, runs a command, and returns the exit code (0 ok, 1 findings, 2 usage
// or configuration error). Never throws and never prints a stack trace for a user's mistake.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../paths.js';
import { removeOpenTemps } from '../run/output-files.js';
import { LurescanError } from '../types.js';
import { COMMANDS, type SetCode } from './commands/index.js';
import { EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';

export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './io.js';

/** What main() runs with: the arguments (without node and script), and the streams, environment and working folder. */
export interface MainParams extends CliIO {
  argv: string[];
}

/** The program: its name, version and help, and every command's registration (commands/). */
function buildProgram(io: CliIO, setCode: SetCode): Command {
  const program = new Command('lurescan')
    .description('Flag job postings that look like recruitment into forced criminality (scam compounds) or employment fraud, with the evidence for every flag.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run `lurescan --help` for usage)');

  for (const register of COMMANDS) register(program, io, setCode);
  return program;
}

/**
 * Run the CLI with `params.argv` and return the exit code (EXIT_OK, EXIT_FINDINGS, EXIT_USAGE).
 * Everything it reads from outside comes in `params` (argv, streams, environment, working folder):
 * `bin/` passes the process's own (processIO()), tests their own. A user's mistake is a message and exit 2; anything else (a
 * crash) is thrown to the caller, and bin/lurescan.js reports it with crashed().
 */
export async function main(params: MainParams): Promise<number> {
  const { argv, ...io } = params;
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
