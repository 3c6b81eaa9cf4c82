// The folder lurescan keeps derived files in between runs (assembled rule sets with their compile
// plans, model tables, ReDoS verdicts), and writing one entry there safely. Every entry is an
// optimisation only: a caller passes over a folder it cannot read or write.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

export const CACHE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'lurescan');

/**
 * Write `file` in `dir` atomically (a temporary name unique to this writer, then a rename: tests
 * and parallel scans may write the same entry at once), then keep only the `keep` newest entries
 * whose names match `kind`.
 */
export async function writeCacheEntry(dir: string, file: string, data: string | Uint8Array, kind: RegExp, keep: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
  const cached = (await readdir(dir)).filter((name) => kind.test(name));
  if (cached.length <= keep) return;
  const dated = await Promise.all(cached.map(async (name) => ({ name, time: (await stat(path.join(dir, name))).mtimeMs })));
  dated.sort((a, b) => b.time - a.time);
  await Promise.all(dated.slice(keep).map(({ name }) => rm(path.join(dir, name), { force: true })));
}
