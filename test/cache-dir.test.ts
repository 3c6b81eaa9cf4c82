// Where lurescan keeps its cache (src/cache-dir.ts): LURESCAN_CACHE_DIR, else the package's
// node_modules/.cache when it can be written, else the user's cache folder.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cacheDirFor } from '../src/cache-dir.js';
import { runBinary, tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

describe('the cache folder', () => {
  const yes = (): boolean => true;
  const no = (): boolean => false;

  it('is LURESCAN_CACHE_DIR when set, resolved', () => {
    expect(cacheDirFor({ LURESCAN_CACHE_DIR: '/srv/cache/ls' }, '/opt/lurescan', '/home/a', no)).toBe('/srv/cache/ls');
    expect(cacheDirFor({ LURESCAN_CACHE_DIR: 'rel' }, '/opt/lurescan', '/home/a', no)).toBe(path.resolve('rel'));
  });

  it("is the package's node_modules/.cache when it can be written, else the user's cache folder", () => {
    expect(cacheDirFor({}, '/opt/lurescan', '/home/a', yes)).toBe('/opt/lurescan/node_modules/.cache/lurescan');
    expect(cacheDirFor({ LURESCAN_CACHE_DIR: ' ' }, '/opt/lurescan', '/home/a', yes)).toBe('/opt/lurescan/node_modules/.cache/lurescan');
    expect(cacheDirFor({}, '/usr/lib/node_modules/lurescan', '/home/a', no)).toBe('/home/a/.cache/lurescan');
    expect(cacheDirFor({ XDG_CACHE_HOME: '/home/a/xdg' }, '/usr/lib/node_modules/lurescan', '/home/a', no)).toBe('/home/a/xdg/lurescan');
  });

  // binary: the cache folder is read from the environment once, when the process starts (cache-dir.ts).
  it("binary: holds what a scan caches: the rule set with its plan, the prefilter's and the model's tables", async () => {
    const cache = tempDir();
    const run = await runBinary(['scan', path.join(root, 'fixtures/postings/fc-en.csv'), '--format', 'jsonl'], { env: { LURESCAN_CACHE_DIR: cache } });
    expect(run.code, run.stderr).toBe(0);
    const names = readdirSync(cache);
    expect(names.filter((name) => /^rules-[0-9a-f]+\.json$/.test(name))).toHaveLength(1);
    expect(names.filter((name) => /^model-[0-9a-f]+\.bin$/.test(name))).toHaveLength(1);
    expect(names.filter((name) => /^prefilter-[0-9a-f]+\.bin$/.test(name))).toHaveLength(1);
    // A second scan reads them and gives the same verdicts.
    const again = await runBinary(['scan', path.join(root, 'fixtures/postings/fc-en.csv'), '--format', 'jsonl'], { env: { LURESCAN_CACHE_DIR: cache } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(run.stdout);
  });
});
