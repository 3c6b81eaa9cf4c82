import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import { planInputs, readInputs, type ReadOptions } from '../src/input/index.js';
import type { ReadItem } from '../src/types.js';

/** A fresh temporary folder for one test file's inputs. */
export function tempDir(prefix = 'lurescan-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeInput(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/**
 * A scoring file without its learned `points` and `rescored` records (they close the shipped file,
 * and name rules of every rule file): what `lurescan rescore` starts from.
 */
export function unlearned(scoringText: string): string {
  const at = scoringText.indexOf('  # Learned points');
  return at < 0 ? scoringText : scoringText.slice(0, at);
}

/** Everything the readers yield for some inputs. */
export async function readAllItems(inputs: string[], options: ReadOptions = {}): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of readInputs(await planInputs(inputs), options)) items.push(item);
  return items;
}

/** The JSON values of a JSONL text, one a non-empty line. */
export function jsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The built CLI (npm test builds first), typed as its source. Tests drive the same code the binary
 * runs, so a scan's scoring threads start from dist/run/worker.js as they do in the binary. (Every
 * `../src/*.js` import of the tests is the build too: see vitest.config.ts.)
 */
const cli = (await import(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href)) as typeof import('../src/cli/main.js');

export interface RunOptions {
  /** Standard input (default: empty). */
  input?: string;
  /** The environment, beside NO_COLOR and FORCE_COLOR left empty. */
  env?: Record<string, string>;
}

/**
 * Run the CLI in this process: main() with in-memory streams (not a terminal), the given
 * environment and the project folder as working folder. What a user's run prints and exits with;
 * a crash (which the binary reports as exit 2) is thrown, so the test shows it. Tests pass
 * `--jobs 0` (score on this thread, without a time budget) unless the scoring threads are the point:
 * starting threads costs more than scoring a fixture, and no verdict can then time out under load.
 */
export async function runMain(args: string[], options: RunOptions = {}): Promise<CliRun> {
  // main() shows paths relative to its cwd, but the readers below it still open relative paths (and
  // name inputs) from the process's own working folder: the two must be the same folder.
  if (realpathSync(process.cwd()) !== realpathSync(ROOT)) throw new Error(`run the tests from ${ROOT} (working folder: ${process.cwd()})`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await cli.main({ argv: args, stdout, stderr, stdin, env: { NO_COLOR: '', FORCE_COLOR: '', ...options.env }, cwd: ROOT });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/**
 * Run the built binary (npm test builds first) from the project folder, for what only a process
 * shows: exit codes as the shell sees them, signals, start-up, the environment read at start-up,
 * scoring threads under a time budget. Everything else runs in-process with runMain().
 */
export function runBinary(args: string[], options: RunOptions & { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(ROOT, 'bin/lurescan.js'), ...args],
      { cwd: options.cwd ?? ROOT, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}
