// What a process keeps between scans (rule sets, their compiles, model keys, prefilter tables):
// small maps of the most recently used entries, and the status a file had when an entry was made.
import type { Stats } from 'node:fs';

/** Put `value` under `key` as the most recently used entry, dropping the least recent past `kept`; returns `value`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, kept: number): V {
  map.delete(key);
  map.set(key, value);
  for (const old of map.keys()) if (map.size > kept) map.delete(old);
  return value;
}

/** A file's identity as its status gives it: any write changes it (inode, size, modification and change times). */
export const fileIdentity = (status: Stats): string => `${status.dev}:${status.ino}:${status.size}:${status.mtimeMs}:${status.ctimeMs}`;
