// Where lurescan keeps its cache (src/cache-dir.ts): LURESCAN_CACHE_DIR, else the package's
// node_modules/.cache when it can be written, else the user's cache folder.
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDirFor, writeCacheEntry } from '../src/cache-dir.js';
import { loadRuleSet } from '../src/run/rules.js';
import { loadModelTables } from '../src/run/model-tables.js';
import { runBinary, runMain, tempDir } from './helpers.js';

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
    // A rule file and a model trained here: a scan caches whichever rule set and model it reads, and
    // building the shipped model's tables (19 MB of JSON) would only make this slower.
    const dir = tempDir();
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(
      path.join(dir, 'rules', 'r.yaml'),
      `rules:
  - id: FC-TEST-HUB
    title: a hub town
    label: forced-criminality
    category: destination
    points: 4
    references: [WIKI]
    falsepositives: Only in this test.
    any: [{keywords: [poipet]}]
`,
    );
    const rows = ['id,title,description,label'];
    for (let i = 0; i < 20; i++)
      rows.push(`f${i},Typist,"Typing job ${i} in Poipet, free flight",forced-criminality`, `l${i},Nurse,"Hospital ${i} in Manila",legit`);
    const postings = path.join(dir, 'postings.csv');
    writeFileSync(postings, `${rows.join('\n')}\n`);
    const model = path.join(dir, 'model.json');
    expect((await runMain(['train', postings, '-o', model])).code).toBe(0);
    const cache = tempDir();
    const run = await runBinary(['scan', postings, '--rules', path.join(dir, 'rules'), '--model', model, '--format', 'jsonl'], {
      env: { LURESCAN_CACHE_DIR: cache },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(40);
    const names = readdirSync(cache);
    expect(names.filter((name) => /^rules-[0-9a-f]+\.json$/.test(name))).toHaveLength(1);
    expect(names.filter((name) => /^model-[0-9a-f]+\.bin$/.test(name))).toHaveLength(1);
    expect(names.filter((name) => /^prefilter-[0-9a-f]+\.bin$/.test(name))).toHaveLength(1);
    // Scanned with threads: the set's head for the next scan's main thread (run/rules-head.ts).
    expect(names.filter((name) => /^rules-[0-9a-f]+\.scan$/.test(name))).toHaveLength(1);
    // The rule file was written just now: no key that would let the next scan pass over reading it.
    expect(names.filter((name) => name.startsWith('rules-key-'))).toEqual([]);
    // A second scan reads them and gives the same verdicts.
    const again = await runBinary(['scan', postings, '--rules', path.join(dir, 'rules'), '--model', model, '--format', 'jsonl'], {
      env: { LURESCAN_CACHE_DIR: cache },
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(run.stdout);
  });

  it('binary: a later scan takes an unchanged rules folder by its key entry, without reading its files', async () => {
    const cache = tempDir();
    const dir = tempDir();
    const hourAgo = new Date(Date.now() - 3_600_000);
    const folder = (name: string, town: string): string => {
      mkdirSync(path.join(dir, name));
      const file = path.join(dir, name, 'r.yaml');
      writeFileSync(
        file,
        `rules:\n  - id: FC-TEST-${name.toUpperCase()}\n    title: ${town}\n    label: forced-criminality\n    category: destination\n    points: 4\n    references: [WIKI]\n    any: [{keywords: [${town}]}]\n`,
      );
      // Older than the last seconds: a load remembers the folder by its files' identities (run/rules.ts).
      utimesSync(file, hourAgo, hourAgo);
      return path.join(dir, name);
    };
    const a = folder('a', 'poipet');
    const b = folder('b', 'bavet');
    const postings = path.join(dir, 'postings.csv');
    writeFileSync(postings, 'id,title,description\np1,Typist,"Typing work in Poipet, then Bavet"\n');
    const hits = async (rules: string): Promise<string[]> => {
      const run = await runBinary(['scan', postings, '--rules', rules, '--no-model', '--jobs', '0', '--format', 'jsonl'], {
        env: { LURESCAN_CACHE_DIR: cache },
      });
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { hits: { rule: string }[] }).hits.map((hit) => hit.rule);
    };
    expect(await hits(a)).toEqual(['FC-TEST-A']);
    expect(await hits(b)).toEqual(['FC-TEST-B']);
    const keys = readdirSync(cache).filter((name) => name.startsWith('rules-key-'));
    expect(keys).toHaveLength(2);
    const entries = keys.map((name) => ({ name, ...(JSON.parse(readFileSync(path.join(cache, name), 'utf8')) as { place: string; cacheFile: string }) }));
    const ofA = entries.find((entry) => entry.place === a)!;
    const ofB = entries.find((entry) => entry.place === b)!;
    expect(ofA.cacheFile).not.toBe(ofB.cacheFile);
    // a's entry made to name b's cached set: the next scan of a takes the set the entry names, so it
    // did not read a's file. Any write to the file would have changed what the entry is kept against.
    writeFileSync(path.join(cache, ofA.name), JSON.stringify({ ...ofA, name: undefined, cacheFile: ofB.cacheFile }));
    expect(await hits(a)).toEqual(['FC-TEST-B']);
    writeFileSync(path.join(a, 'r.yaml'), readFileSync(path.join(a, 'r.yaml'), 'utf8'));
    expect(await hits(a)).toEqual(['FC-TEST-A']);
  });

  it("binary: a scan with threads reads an unchanged set's head alone; one on its own thread, the whole set", async () => {
    const cache = tempDir();
    const dir = tempDir();
    mkdirSync(path.join(dir, 'rules'));
    const file = path.join(dir, 'rules', 'r.yaml');
    writeFileSync(
      file,
      'rules:\n  - id: FC-TEST-HEAD\n    title: poipet\n    label: forced-criminality\n    category: destination\n    points: 4\n    references: [WIKI]\n    any: [{keywords: [poipet]}]\n',
    );
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);
    const postings = path.join(dir, 'postings.csv');
    writeFileSync(postings, 'id,title,description\np1,Typist,"Typing work in Poipet"\np2,Nurse,Hospital in Manila\n');
    const scan = async (jobs: string): Promise<string> => {
      const run = await runBinary(['scan', postings, '--rules', path.join(dir, 'rules'), '--no-model', '--jobs', jobs, '--format', 'jsonl'], {
        env: { LURESCAN_CACHE_DIR: cache },
      });
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const first = await scan('1');
    expect(first).toContain('FC-TEST-HEAD');
    const whole = readdirSync(cache).find((name) => /^rules-[0-9a-f]{32}\.json$/.test(name))!;
    expect(readdirSync(cache)).toContain(whole.replace(/\.json$/, '.scan'));
    // The whole set's entry gone: a scan with threads gives the same verdicts without writing it back,
    // so its main thread did not load the set; a scan on its own thread needs it, and writes it.
    rmSync(path.join(cache, whole));
    expect(await scan('1')).toBe(first);
    expect(readdirSync(cache)).not.toContain(whole);
    expect(await scan('0')).toBe(first);
    expect(readdirSync(cache)).toContain(whole);
  });

  it('keeps the rule sets used most recently, not only those written last', async () => {
    // A rules folder in use (the shipped one) read between throwaway ones (a test's, an author's
    // drafts): more of them are written than the cache keeps, and the one in use stays.
    const cache = tempDir();
    const dir = tempDir();
    const folder = (n: number): string => {
      mkdirSync(path.join(dir, `set${n}`));
      writeFileSync(
        path.join(dir, `set${n}`, 'r.yaml'),
        `rules:\n  - id: FC-TEST-SET${n}\n    title: set ${n}\n    label: forced-criminality\n    category: destination\n    points: 4\n    references: [WIKI]\n    any: [{keywords: [poipet${n}]}]\n`,
      );
      return path.join(dir, `set${n}`);
    };
    const entries = (): string[] => readdirSync(cache).filter((name) => /^rules-[0-9a-f]+\.json$/.test(name));
    const inUse = folder(0);
    await loadRuleSet(inUse, cache);
    const [entry] = entries();
    for (let n = 1; n <= 10; n++) {
      await loadRuleSet(folder(n), cache);
      expect(entries(), `after set ${n}`).toContain(entry);
      expect((await loadRuleSet(inUse, cache)).rules.map((r) => r.id)).toEqual(['FC-TEST-SET0']);
    }
    // Ten sets of a few KB fit the budget beside the one in use (writeCacheEntry's test below prunes).
    expect(entries()).toHaveLength(11);
    expect(entries()).toContain(entry);
  });

  it('prunes an entry kind to its count and bytes, those used least recently first, never the one written', async () => {
    const cache = tempDir();
    const prune = { kind: /^e-\w+\.bin$/, keep: 4, bytes: 1000 };
    const entries = (): string[] =>
      readdirSync(cache)
        .filter((name) => prune.kind.test(name))
        .sort();
    // Written a second apart (times set, not waited for), oldest first.
    let clock = Date.now() / 1000 - 100;
    const write = async (name: string, size: number): Promise<void> => {
      await writeCacheEntry(cache, path.join(cache, name), Buffer.alloc(size), prune);
      utimesSync(path.join(cache, name), clock, clock);
      clock += 1;
    };
    writeFileSync(path.join(cache, 'other.bin'), Buffer.alloc(5000));
    await write('e-big.bin', 600);
    for (const n of [1, 2, 3]) await write(`e-small${n}.bin`, 10);
    // Small entries beside a large one, within both limits: all stay, another kind is not counted.
    expect(entries()).toEqual(['e-big.bin', 'e-small1.bin', 'e-small2.bin', 'e-small3.bin']);
    // The large one is used again (its time set as touchCacheEntry sets it, on this test's clock); a
    // fifth entry is one over the count: the one used least recently goes, not the one written first.
    utimesSync(path.join(cache, 'e-big.bin'), clock, clock);
    clock += 1;
    await write('e-small4.bin', 10);
    expect(entries()).toEqual(['e-big.bin', 'e-small2.bin', 'e-small3.bin', 'e-small4.bin']);
    // Over the bytes: a second large entry pushes out, oldest first, all used before the other large one, and it.
    await write('e-big2.bin', 500);
    expect(entries()).toEqual(['e-big2.bin', 'e-small4.bin']);
    // An entry over the whole budget is still kept as written; everything older goes.
    await write('e-huge.bin', 2000);
    expect(entries()).toEqual(['e-huge.bin']);
    expect(readdirSync(cache)).toContain('other.bin');
  });
  it('keeps the model tables used most recently, not only those written last', async () => {
    // The model in use read between models trained after it (a test run's, an author's): more of
    // them than the three large tables the cache keeps, and the one in use stays.
    const dir = tempDir();
    const cache = tempDir();
    const model = async (n: number): Promise<string> => {
      const rows = ['id,title,description,label'];
      for (let i = 0; i < 10; i++)
        rows.push(`f${i},Typist,"Typing job ${i} in Poipet ${n}, free flight",forced-criminality`, `l${i},Nurse,"Ward ${i} in Manila ${n}",legit`);
      writeFileSync(path.join(dir, `p${n}.csv`), `${rows.join('\n')}\n`);
      const file = path.join(dir, `m${n}.json`);
      expect((await runMain(['train', path.join(dir, `p${n}.csv`), '-o', file, '--date', '2026-01-01'])).code).toBe(0);
      return file;
    };
    const entries = (): string[] => readdirSync(cache).filter((name) => /^model-[0-9a-f]+\.bin$/.test(name));
    const inUse = await model(0);
    const first = await loadModelTables(inUse, dir, cache);
    const [entry] = entries();
    for (let n = 1; n <= 4; n++) {
      await loadModelTables(await model(n), dir, cache);
      expect(entries(), `after model ${n}`).toContain(entry);
      expect((await loadModelTables(inUse, dir, cache)).header.fingerprint).toBe(first.header.fingerprint);
    }
    // Small tables, all within the budget.
    expect(entries()).toHaveLength(5);
  });
});
