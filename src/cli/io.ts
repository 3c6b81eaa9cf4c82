// The streams and environment a command runs with, so tests can drive main() without a process.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { LurescanError } from '../types.js';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
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

/** A file written beside its target and renamed into place when complete, so a failed run leaves no half file. */
export class AtomicFile {
  readonly stream: Writable;
  private readonly temp: string;

  constructor(private readonly target: string) {
    this.temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    this.stream = createWriteStream(this.temp);
  }

  async opened(): Promise<void> {
    await once(this.stream, 'open');
  }

  async commit(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(this.temp, this.target);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.temp, { force: true });
  }
}

/** Write a whole text to `target` atomically; a failure is an OUTPUT_UNWRITABLE usage error naming the file. */
export async function writeWholeFile(target: string, text: string): Promise<void> {
  const file = new AtomicFile(target);
  try {
    await file.opened();
    file.stream.write(text);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw new LurescanError('OUTPUT_UNWRITABLE', `cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
