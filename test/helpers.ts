import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli/main.js';
import { planInputs, readInputs, type ReadOptions } from '../src/sources/index.js';
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

/** Everything the readers yield for some inputs. */
export async function readAllItems(inputs: string[], options: ReadOptions = {}): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of readInputs(await planInputs(inputs), options)) items.push(item);
  return items;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Run the built binary (npm test builds first) from the project folder. */
export function runCli(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
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

/** Run main() in this process with captured streams (no colour), as the binary would run. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(args, { stdout, stderr, stdin, env: { NO_COLOR: '1' } });
  return { code, stdout: out, stderr: err };
}
