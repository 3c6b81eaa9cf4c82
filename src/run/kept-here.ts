// What a process keeps between scans (rule sets, their compiles, model keys, prefilter tables):
// small maps of the most recently used entries, and the status a file had when an entry was made;
// and what it leaves for the next process: key entries in the cache folder.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Put `value` under `key` as the most recently used entry, dropping the least recent past `kept`; returns `value`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, kept: number): V {
  map.delete(key);
  map.set(key, value);
  for (const old of map.keys()) if (map.size > kept) map.delete(old);
  return value;
}

/** A file's identity as its status gives it: any write changes it (inode, size, modification and change times). */
export const fileIdentity = (status: Stats): string => `${status.dev}:${status.ino}:${status.size}:${status.mtimeMs}:${status.ctimeMs}`;

/**
 * What a key entry in the cache folder is kept against (`model-key-*.json`: a model file's tables
 * key; `rules-key-*.json`: a rules folder's cached set): the file's or folder's place, its identity
 * when the value was found, and lurescan's version and the layout the value was made under.
 */
export interface KeptAgainst {
  place: string;
  identity: string;
  under: string;
}

/** The key entry of `kind` (`model-key`, `rules-key`) for a place, in a cache folder. */
export function keyEntryFile(cacheDir: string, kind: string, place: string): string {
  return path.join(cacheDir, `${kind}-${createHash('sha256').update(place).digest('hex').slice(0, 32)}.json`);
}

/**
 * The value (its `field`) another process left in a key entry, when the entry was kept against
 * exactly this place, identity and version, and the value has the form `valid` asks; else
 * undefined. Best effort, like every cache read: an unreadable or foreign entry is a miss.
 */
export async function keptValue(file: string, against: KeptAgainst, field: string, valid: RegExp): Promise<string | undefined> {
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const fresh = kept.place === against.place && kept.identity === against.identity && kept.under === against.under;
    const value = kept[field];
    return fresh && typeof value === 'string' && valid.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
