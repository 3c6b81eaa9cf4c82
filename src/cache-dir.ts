// The folder lurescan keeps derived files in between runs (assembled rule sets with their compile
// plans, model tables, ReDoS verdicts), and writing one entry there safely. Every entry is an
// optimisation only: a caller passes over a folder it cannot read or write.
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

/**
 * Where the cache lives: `LURESCAN_CACHE_DIR` when set; else `node_modules/.cache/lurescan` in
 * the package (beside the other tools' caches of a project that depends on lurescan) when the
 * package's folder can be written; else, for an install the user cannot write to (a global
 * install as root), `$XDG_CACHE_HOME/lurescan` or `~/.cache/lurescan`.
 */
export function cacheDirFor(env: NodeJS.ProcessEnv, packageRoot: string, home: string, canWrite: (dir: string) => boolean): string {
  const named = env.LURESCAN_CACHE_DIR?.trim();
  if (named) return path.resolve(named);
  const local = path.join(packageRoot, 'node_modules', '.cache', 'lurescan');
  if (canWrite(local)) return local;
  return path.join(env.XDG_CACHE_HOME?.trim() || path.join(home, '.cache'), 'lurescan');
}

/** Whether `dir` can be written, or made: its nearest existing ancestor can be written. */
function canWrite(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      accessSync(at, constants.W_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) return false;
    }
  }
}

export const CACHE_DIR = cacheDirFor(process.env, PACKAGE_ROOT, homedir(), canWrite);

/**
 * Mark a cache entry just read as used: pruning (writeCacheEntry) removes the entries with the
 * oldest times, so an entry in use outlives those written after it (least recently used, not least
 * recently written). Best effort, like every cache operation.
 */
export async function touchCacheEntry(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
}

/**
 * How much of one kind of entry the cache keeps: the entries whose names match `kind`, those used
 * most recently first, while there are at most `keep` of them and they add up to at most `bytes`.
 * A budget in bytes, not only a count: a test run's or an author's small throwaway entries (a rule
 * file, a model trained on a few rows) then cannot push out the large one in use (the shipped rule
 * set, the shipped model's tables), while large entries stay as few as a count would keep them.
 */
export interface CachePrune {
  kind: RegExp;
  keep: number;
  bytes: number;
}

/**
 * Write `file` in `dir` atomically (a temporary name unique to this writer, then a rename: tests
 * and parallel scans may write the same entry at once); with `prune`, then remove the entries of
 * its kind over its budget, those used least recently first. The entry just written always stays.
 */
export async function writeCacheEntry(dir: string, file: string, data: string | Uint8Array, prune?: CachePrune): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
  if (!prune) return;
  const { kind, keep, bytes } = prune;
  const cached = (await readdir(dir)).filter((name) => kind.test(name));
  const entries = await Promise.all(
    cached.map(async (name) => {
      const info = await stat(path.join(dir, name)).catch(() => undefined);
      return { name, time: info?.mtimeMs ?? 0, size: info?.size ?? 0 };
    }),
  );
  const written = path.basename(file);
  entries.sort((a, b) => Number(b.name === written) - Number(a.name === written) || b.time - a.time);
  let total = 0;
  const over = entries.filter((entry, k) => {
    total += entry.size;
    return k > 0 && (k >= keep || total > bytes);
  });
  await Promise.all(over.map(({ name }) => rm(path.join(dir, name), { force: true })));
}
