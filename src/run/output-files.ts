// Output files and buffered streams: a file written beside its target and renamed into place when
// complete (so a failed or interrupted run leaves no half file), what an output would overwrite, and
// writes with backpressure. Shared by the commands and the run flows under them.
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { InputUnit } from '../input/index.js';
import { LurescanError } from '../types.js';

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

/** Output files opened together, each an AtomicFile: committed together when the run completes, else all aborted. */
export class OutputFiles {
  private readonly files: AtomicFile[] = [];

  /** Open `target` (see openOutput), or nothing when there is none. */
  async open(target: string | undefined): Promise<AtomicFile | undefined> {
    if (target === undefined) return undefined;
    const file = await openOutput(target);
    this.files.push(file);
    return file;
  }

  async commit(): Promise<void> {
    for (const file of this.files) await file.commit();
  }

  async abort(): Promise<void> {
    for (const file of this.files) await file.abort();
  }
}

/** A usage error, worded by `say`, when one of `targets` is one of the inputs (see inputAt). */
export async function refuseInputAsOutput(
  targets: ReadonlyArray<string | undefined>,
  units: readonly InputUnit[],
  say: (target: string, input: string) => string,
): Promise<void> {
  for (const target of targets) {
    const input = target === undefined ? undefined : await inputAt(target, units);
    if (target !== undefined && input !== undefined) throw new LurescanError('USAGE', say(target, input.name));
  }
}

/** Write `chunks` to `stream` through a Sink (buffered, with backpressure), flushed at the end. */
export async function writeChunks(stream: Writable, chunks: Iterable<string>): Promise<void> {
  const sink = new Sink(stream);
  for (const chunk of chunks) await sink.write(chunk);
  await sink.flush();
}
