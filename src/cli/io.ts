// The streams and environment a command runs with, so tests can drive main() without a process.
import type { Readable, Writable } from 'node:stream';
import { writeWholeFile } from '../run/output-files.js';

/** What a command returns: 0 ok, 1 findings (flagged postings, failed checks: what --fail-on and CI act on), 2 an error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The working folder: where a settings file is looked up from, and what paths are shown relative to. */
  cwd: string;
  /**
   * This process is lurescan's own (bin/ runs it), not a caller's that runs main() in-process: a
   * command may then set process-wide V8 settings for itself (`scan`'s, see run/heap-settings.ts).
   */
  ownsProcess?: boolean;
}

let graceful: ((signal: 'SIGINT' | 'SIGTERM') => void) | undefined;

/**
 * Let a long-running command (serve) end on Ctrl-C or SIGTERM in its own way: finish what is in
 * flight, then return. Returns the function that takes the handler back.
 */
export function onShutdown(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void {
  graceful = handler;
  return () => {
    if (graceful === handler) graceful = undefined;
  };
}

/**
 * For bin/: hand a signal to the command that asked for it (once); false when none did or it has
 * already been told, and the process should stop now.
 */
export function takeShutdown(signal: 'SIGINT' | 'SIGTERM'): boolean {
  const handler = graceful;
  if (handler === undefined) return false;
  graceful = undefined;
  handler(signal);
  return true;
}

/** A command's warnings: `lurescan: warning: ...` lines on stderr, none with -q (`quiet`). */
export function warner(io: CliIO, quiet?: boolean): (message: string) => void {
  return (message) => {
    if (!quiet) io.stderr.write(`lurescan: warning: ${message}\n`);
  };
}

/** The real process's streams, environment and working folder: for bin/ only; tests pass their own. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), ownsProcess: true };
}

/** A report: to `out` when one is given (written whole or not at all), else to stdout. */
export async function writeReport(text: string, out: string | undefined, io: CliIO): Promise<void> {
  if (!out) {
    io.stdout.write(text);
    return;
  }
  await writeWholeFile(out, text);
}
