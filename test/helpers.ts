import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
