import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRuleSet, evaluateRules, prepareFields, sharedPrefilter } from '../src/rules/engine.js';
import { loadRuleSet } from '../src/run/rules.js';
import { createHash } from 'node:crypto';
import { decodePrefilterTables, encodePrefilterTables, threadPlan, type PrefilterTables } from '../src/rules/prefilter-tables.js';
import { loadPrefilterTables } from '../src/run/prefilter-tables.js';
import { readAllItems } from './helpers.js';

/** Tables as one comparable value: their counts and every array's bytes, hashed (deep equality of typed arrays this size is slow). */
function digest(tables: PrefilterTables | undefined): string | undefined {
  if (tables === undefined) return undefined;
  const hash = createHash('sha256').update(`${tables.mask} ${tables.literals} ${tables.groups}`);
  for (const name of ['rootNext', 'slotNode', 'slotUnit', 'slotTarget', 'fail', 'terminal', 'dictionary', 'groupStart', 'literalGroups'] as const) {
    const array = tables[name];
    hash.update(`${name}:${array.length}:`).update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return hash.digest('hex');
}

// Scoring threads scan with one prefilter built in shared memory (or read from the cache folder)
// rather than each building its own: the hits must be those of a prefilter built in the thread.
describe('a prefilter shared between threads', () => {
  let ruleset: Awaited<ReturnType<typeof loadRuleSet>>;
  const postings: Array<Record<string, string>> = [];
  let cacheDir: string;
  /**
   * The shipped set's shared tables, built once for the three tests that read them (each build
   * compiles the whole set again); nothing below writes to them. The cache test builds its own.
   */
  let built: PrefilterTables | undefined;
  const shared = (): PrefilterTables => (built ??= sharedPrefilter(ruleset.rules, ruleset.scoring, ruleset.plan));
  beforeAll(async () => {
    ruleset = await loadRuleSet(new URL('../rules', import.meta.url).pathname);
    for (const item of await readAllItems([new URL('../fixtures/postings', import.meta.url).pathname]))
      if (item.kind === 'posting') postings.push(item.posting.fields);
    cacheDir = await mkdtemp(path.join(tmpdir(), 'lurescan-prefilter-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('is in shared memory and gives every fixture the hits of a prefilter built in place', () => {
    const tables = shared();
    expect(tables.rootNext.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(tables.literals).toBeGreaterThan(10_000);
    const own = compileRuleSet(ruleset.rules, ruleset.scoring, ruleset.plan);
    const fromShared = compileRuleSet(ruleset.rules, ruleset.scoring, ruleset.plan, tables);
    // A thread is sent the plan without its literals: the count of each matcher's sets is enough there.
    const slim = threadPlan(ruleset.plan!);
    expect(Object.values(slim).filter((entry) => entry.literals !== undefined || entry.also !== undefined)).toEqual([]);
    expect(Object.values(slim).filter((entry) => entry.sets !== undefined).length).toBeGreaterThan(1000);
    const inThread = compileRuleSet(ruleset.rules, ruleset.scoring, slim, tables);
    expect(postings.length).toBeGreaterThan(300);
    let hits = 0;
    for (const fields of postings) {
      const prepared = prepareFields({ id: 'x', source: {}, fields });
      const expected = evaluateRules(own, prepared);
      expect(evaluateRules(fromShared, prepared)).toEqual(expected);
      expect(evaluateRules(inThread, prepared)).toEqual(expected);
      hits += expected.length;
    }
    expect(hits).toBeGreaterThan(1000);
  });

  it('refuses to serve a rule set it was not built from', () => {
    const tables = shared();
    const fewer = ruleset.rules.filter((rule) => !(rule.type === 'pattern' && rule.any !== undefined && rule.any.length > 1)).slice(0, 50);
    expect(() => compileRuleSet(fewer, ruleset.scoring, ruleset.plan, tables)).toThrow(/groups/);
    // A plan without its literals cannot build a prefilter of its own.
    expect(() => compileRuleSet(ruleset.rules, ruleset.scoring, threadPlan(ruleset.plan!))).toThrow(/needs the prefilter tables/);
  });

  it('is read back from its binary, and a damaged or foreign binary is refused', () => {
    const tables = shared();
    const hash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
    const bytes = encodePrefilterTables(tables, 'key-a', hash);
    const back = decodePrefilterTables(bytes, 'key-a', hash);
    expect(back).toBeDefined();
    expect(back!.slotTarget.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(digest(back)).toBe(digest(tables));
    expect(decodePrefilterTables(bytes, 'key-b', hash)).toBeUndefined();
    const damaged = bytes.slice();
    damaged[damaged.length - 3]! ^= 0x40;
    expect(decodePrefilterTables(damaged, 'key-a', hash)).toBeUndefined();
    expect(decodePrefilterTables(bytes.subarray(0, bytes.length - 8), 'key-a', hash)).toBeUndefined();
  });

  it('views bytes already in shared memory where they lie, and copies any others', () => {
    const tables = shared();
    const hash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
    const bytes = encodePrefilterTables(tables, 'key-a', hash);
    const inShared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    inShared.set(bytes);
    const viewed = decodePrefilterTables(inShared, 'key-a', hash);
    expect(viewed!.slotTarget.buffer).toBe(inShared.buffer);
    expect(digest(viewed)).toBe(digest(tables));
    const copied = decodePrefilterTables(bytes, 'key-a', hash);
    expect(copied!.slotTarget.buffer).not.toBe(bytes.buffer);
    expect(digest(copied)).toBe(digest(tables));
  });

  it('is cached in the cache folder, read on the next scan, and rebuilt when the binary is damaged', async () => {
    const built = await loadPrefilterTables(ruleset, cacheDir);
    const files = (await readdir(cacheDir)).filter((name) => name.startsWith('prefilter-'));
    expect(files).toHaveLength(1);
    const file = path.join(cacheDir, files[0]!);
    const read = await loadPrefilterTables(ruleset, cacheDir);
    expect(digest(read)).toBe(digest(built));
    const bytes = await readFile(file);
    bytes[bytes.length - 100]! ^= 0xff;
    await writeFile(file, bytes);
    const rebuilt = await loadPrefilterTables(ruleset, cacheDir);
    expect(digest(rebuilt)).toBe(digest(built));
    // Rebuilt and written again, whole.
    expect(digest(await loadPrefilterTables(ruleset, cacheDir))).toBe(digest(built));
    expect((await readFile(file)).equals(bytes)).toBe(false);
  });
});
