// The streams and environment a command runs with, so tests can drive main() without a process.
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { InputUnit } from '../input/index.js';
import { LurescanError } from '../types.js';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The working folder: where a settings file is looked up from, and what paths are shown relative to. */
  cwd: string;
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

/** The real process's streams, environment and working folder: for bin/ only; tests pass their own. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** Buffered writes with backpressure; a closed pipe (e.g. `| head`) ends output quietly. */
export class Sink {
  private parts: string[] = [];
  private size = 0;
  broken = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.broken = true;
      else throw error;
    });
  }

  async write(text: string): Promise<void> {
    if (text === '' || this.broken) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.broken) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await this.drained();
  }

  /** Resolves on 'drain' (or 'close', for a pipe that went away), leaving no listener behind. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
    });
  }
}

/** Temporary files of AtomicFiles not yet committed or aborted: what an interrupted run must remove. */
const openTemps = new Set<string>();

/**
 * Remove the temporary files of every output still being written (synchronously: for a signal
 * handler that is about to exit) and return their targets, none of which was written.
 */
export function removeOpenTemps(): string[] {
  const targets: string[] = [];
  for (const temp of openTemps) {
    rmSync(temp, { force: true });
    targets.push(path.join(path.dirname(temp), path.basename(temp).replace(/^\.(.*)\.\d+\.tmp$/, '$1')));
  }
  openTemps.clear();
  return targets;
}

/** A file written beside its target and renamed into place when complete, so a failed run leaves no half file. */
export class AtomicFile {
  readonly stream: Writable;
  private readonly temp: string;

  constructor(private readonly target: string) {
    this.temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    openTemps.add(this.temp);
    this.stream = createWriteStream(this.temp);
    // An open that fails is reported by opened(); without a listener it would also crash the process.
    this.stream.on('error', () => {});
  }

  async opened(): Promise<void> {
    await once(this.stream, 'open');
  }

  async commit(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(this.temp, this.target);
    openTemps.delete(this.temp);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.temp, { force: true });
    openTemps.delete(this.temp);
  }
}

/** Why a file could not be written, in words a user can act on (not a bare errno). */
export function describeWriteError(target: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const dir = path.dirname(target);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `cannot write ${target}: the folder ${dir} does not exist; create it first or choose another path`;
    case 'EACCES':
    case 'EPERM':
      return `cannot write ${target}: permission denied in ${dir}`;
    case 'EISDIR':
      return `cannot write ${target}: it is a folder; name a file inside it`;
    case 'EROFS':
      return `cannot write ${target}: ${dir} is on a read-only file system`;
    case 'ENOSPC':
      return `cannot write ${target}: no space left on the device`;
    default:
      return `cannot write ${target}: ${code ?? (error as Error).message}`;
  }
}

/**
 * Open `target` for writing as an AtomicFile, after checking what can be checked before any work is
 * done: that it is not a folder, and that its folder exists and takes new files.
 */
export async function openOutput(target: string): Promise<AtomicFile> {
  let info;
  try {
    info = await stat(target);
  } catch {
    info = undefined;
  }
  if (info?.isDirectory()) throw new LurescanError('OUTPUT_UNWRITABLE', describeWriteError(target, { code: 'EISDIR' }));
  const file = new AtomicFile(target);
  try {
    await file.opened();
  } catch (error) {
    await file.abort();
    throw new LurescanError('OUTPUT_UNWRITABLE', describeWriteError(target, error));
  }
  return file;
}

/** Write a whole text to `target` atomically; a failure is an OUTPUT_UNWRITABLE usage error naming the file. */
export async function writeWholeFile(target: string, text: string): Promise<void> {
  const file = await openOutput(target);
  try {
    file.stream.write(text);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw new LurescanError('OUTPUT_UNWRITABLE', describeWriteError(target, error));
  }
}

/** A report: to `out` when one is given (written whole or not at all), else to stdout. */
export async function writeReport(text: string, out: string | undefined, io: CliIO): Promise<void> {
  if (!out) {
    io.stdout.write(text);
    return;
  }
  await writeWholeFile(out, text);
}

/**
 * The input an output file would overwrite: one of `units` that is the same file as `out` (by path,
 * or by inode for a link or another spelling of it), else undefined. A file that does not exist yet
 * is no input. Standard input (`-`) is never one.
 */
export async function inputAt(out: string, units: readonly InputUnit[]): Promise<InputUnit | undefined> {
  const target = path.resolve(out);
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) return undefined;
  for (const unit of units) {
    if (unit.kind !== 'file' || unit.path === undefined || unit.name === '-') continue;
    const same =
      path.resolve(unit.path) === target ||
      (await stat(unit.path).then(
        (other) => other.ino === info.ino && other.dev === info.dev,
        () => false,
      ));
    if (same) return unit;
  }
  return undefined;
}
