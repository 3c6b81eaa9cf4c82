// A model's tables in shared memory (src/model/tables.ts) and their binary cache
// (src/cli/model-file.ts): the same probabilities and evidence as the model file's own scorer, a
// stale or damaged binary never trusted, and a scan's threads started only when there is work.
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelTables } from '../src/run/model-tables.js';
import { loadScorer } from '../src/model/model.js';
import { decodeTables, encodeTables, tablesOf } from '../src/model/tables.js';
import { compiledRules } from '../src/run/compiled-rules.js';
import { loadRuleSet } from '../src/run/rules.js';
import { scorePosting } from '../src/score/index.js';
import { runMain, tempDir, writeInput } from './helpers.js';
import { expectTablesScoreAsFile } from './tables-check.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * A model trained from the labelled fixtures, as its file loads, once a file (in a fraction of the
 * 19 MB shipped model's load; the language gate lowered so that it judges English and abstains on
 * the rest, as the shipped one abstains on some): the tests below read it.
 */
let small: Promise<ReturnType<typeof loadScorer>> | undefined;
const smallModel = (): Promise<ReturnType<typeof loadScorer>> =>
  (small ??= (async () => {
    const file = path.join(tempDir('lurescan-tables-'), 'model.json');
    const labelled = ['fc-en.csv', 'ef-en.csv', 'legit-en.csv', 'asia-multilingual.jsonl'].map((name) => path.join(root, 'fixtures/postings', name));
    const trained = await runMain(['train', ...labelled, '--out', file, '--date', '2026-01-01', '--min-language-legit', '20', '--min-language-label', '20']);
    expect(trained.code, trained.stderr).toBe(0);
    return loadScorer(readFileSync(file, 'utf8'));
  })());

describe('model tables', () => {
  it('score every fixture exactly as the model file does, from shared memory and through the binary', async () => {
    // A model trained from the fixtures (the shipped one: test/shipped/model-tables.test.ts).
    await expectTablesScoreAsFile(await smallModel());
  });

  it('refuses a binary built from other bytes, of another layout, or cut short', async () => {
    const { scorer, info } = await smallModel();
    const bytes = encodeTables(tablesOf(scorer, info, 'abc'));
    const copy = (edit?: (b: Uint8Array) => Uint8Array): ArrayBuffer => {
      const b = edit ? edit(bytes.slice()) : bytes.slice();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    };
    expect(decodeTables(copy(), 'abc')).toBeDefined();
    expect(decodeTables(copy(), 'abd')).toBeUndefined();
    expect(
      decodeTables(
        copy((b) => b.subarray(0, b.length - 8)),
        'abc',
      ),
    ).toBeUndefined();
    expect(
      decodeTables(
        copy((b) => {
          b[4] = 99;
          return b;
        }),
        'abc',
      ),
    ).toBeUndefined();
    expect(
      decodeTables(
        copy((b) => b.subarray(0, 10)),
        'abc',
      ),
    ).toBeUndefined();
  });

  it('are cached as a binary, read back on the next load, and rebuilt when the binary is damaged', async () => {
    // A model trained here: built twice below, the shipped model's 19 MB would only be slower.
    const dir = tempDir();
    const rows = ['id,title,description,label'];
    for (let i = 0; i < 20; i++)
      rows.push(`f${i},Typist,"Typing job ${i} in Poipet, free flight",forced-criminality`, `l${i},Nurse,"Hospital ${i} in Manila",legit`);
    writeFileSync(path.join(dir, 'train.csv'), `${rows.join('\n')}\n`);
    const model = path.join(dir, 'model.json');
    expect((await runMain(['train', path.join(dir, 'train.csv'), '-o', model])).code).toBe(0);
    const cache = tempDir();
    const first = await loadModelTables(model, root, cache);
    // Legitimate and forced-criminality postings, none of employment fraud.
    expect(first.header.documents).toEqual([20, 0, 20]);
    const cached = readdirSync(cache).filter((name) => name.endsWith('.bin'));
    expect(cached).toHaveLength(1);
    const second = await loadModelTables(model, root, cache);
    expect(second.header).toEqual(first.header);
    expect(second.tables.header.bytes).toBe(first.tables.header.bytes);
    // Read from the binary, the tables sit after its header in the buffer.
    expect(second.tables.base).toBeGreaterThan(0);
    const file = path.join(cache, cached[0]!);
    // Read once a process: the binary read is kept while it is the same file with the same header,
    // also once another process's scan touched it (its times are no part of that).
    utimesSync(file, new Date(), new Date());
    expect((await loadModelTables(model, root, cache)).tables.buffer).toBe(second.tables.buffer);
    const damaged = readFileSync(file);
    damaged.fill(0, 0, 4);
    writeFileSync(file, damaged);
    const third = await loadModelTables(model, root, cache);
    expect(third.tables.base).toBe(0);
    expect(third.header).toEqual(first.header);
    expect(readFileSync(file).subarray(0, 4).equals(Buffer.from('LSMT'))).toBe(true);
    // Another model written over the same file: this process hashed the file before, and must see
    // that it changed (its key comes from its bytes, not its name).
    writeFileSync(path.join(dir, 'fewer.csv'), `${rows.slice(0, 31).join('\n')}\n`);
    expect((await runMain(['train', path.join(dir, 'fewer.csv'), '-o', model])).code).toBe(0);
    const retrained = await loadModelTables(model, root, cache);
    expect(retrained.header.documents).toEqual([15, 0, 15]);
    expect(readdirSync(cache).filter((name) => name.endsWith('.bin'))).toHaveLength(2);
  });
});

describe("a loaded rule set's compile", () => {
  it('is made once a process and scored with the scoring each caller gives', async () => {
    // What scans on the calling thread, `eval` and `rescore` share (run/compiled-rules.ts): one
    // compile of a set, each caller's thresholds in force; another set (another fingerprint) its own.
    const rule = (points: number): string =>
      `rules:\n  - id: FC-TEST-HUB\n    title: a hub country\n    label: forced-criminality\n    category: destination\n    points: ${points}\n    any: [{keywords: [cambodia]}]\n`;
    const [dirA, dirB] = [tempDir('lurescan-compiled-'), tempDir('lurescan-compiled-')];
    writeInput(dirA, 'r.yaml', rule(8));
    writeInput(dirB, 'r.yaml', rule(9));
    const a = await loadRuleSet(dirA, undefined);
    const b = await loadRuleSet(dirB, undefined);
    const first = compiledRules(a, a.scoring);
    expect(compiledRules(a, a.scoring)).toBe(first);
    const strict = { ...a.scoring, thresholds: { ...a.scoring.thresholds, 'forced-criminality': 50 } };
    const again = compiledRules(a, strict);
    expect(again.patterns).toBe(first.patterns);
    expect(again.scoring).toBe(strict);
    const posting = { id: '1', source: {}, fields: { description: 'Work in Cambodia, visa and flight paid' } };
    expect(scorePosting(first, posting).labels).toEqual(['forced-criminality']);
    expect(scorePosting(again, posting).labels).toEqual([]);
    expect(compiledRules(a, a.scoring).scoring).toBe(a.scoring);
    const other = compiledRules(b, b.scoring);
    expect(other.patterns).not.toBe(first.patterns);
    expect(scorePosting(other, posting).hits.map((hit) => hit.points)).toEqual([9]);
  });
});

describe('the scoring pool', () => {
  it('starts a thread only when a batch waits for one, up to --jobs', async () => {
    // The built pool: its threads run dist/run/worker.js.
    const { ScorePool } = (await import(path.join(root, 'dist/run/pool.js'))) as typeof import('../src/run/pool.js');
    // One rule: the claim is the pool's, when it starts a thread, not the rules'. Each thread would
    // compile the whole shipped set (thousands of regexes) for the one posting it scores.
    const rules = tempDir('lurescan-pool-rules-');
    writeInput(
      rules,
      'r.yaml',
      'rules:\n  - id: FC-TEST-HUB\n    title: a hub country\n    label: forced-criminality\n    category: destination\n    points: 8\n    any: [{keywords: [cambodia]}]\n',
    );
    const ruleset = await loadRuleSet(rules);
    const pool = new ScorePool(ruleset.rules, ruleset.scoring, { jobs: 3, budgetMs: 60_000, ...(ruleset.plan ? { plan: ruleset.plan } : {}) });
    try {
      expect(pool.threads).toBe(0);
      const posting = (id: string) => ({ id, source: {}, fields: { title: 'Customer service', description: 'Free flight to Cambodia, contact on Telegram' } });
      const one = await pool.score([posting('1')]);
      expect(one).toMatchObject([{ id: '1', hits: [{ rule: 'FC-TEST-HUB' }] }]);
      expect(pool.threads).toBe(1);
      // Sent one after another, each waits for the last: the one thread takes them all.
      for (let i = 0; i < 3; i++) await pool.score([posting(`s${i}`)]);
      expect(pool.threads).toBe(1);
      // Sent at once, the batches queue while the thread is busy: more threads start, never over --jobs.
      const many = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.score([posting(`p${i}`)])));
      expect(many.flat()).toHaveLength(8);
      expect(pool.threads).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('stops starting threads that cannot start, and answers every posting with an error record', async () => {
    const { ScorePool } = (await import(path.join(root, 'dist/run/pool.js'))) as typeof import('../src/run/pool.js');
    const { threadPlan } = (await import(path.join(root, 'dist/rules/prefilter-tables.js'))) as typeof import('../src/rules/prefilter-tables.js');
    const ruleset = await loadRuleSet(path.join(root, 'rules'));
    // A plan without its literals compiles only with the prefilter tables it was made for: without
    // them every thread fails while it compiles, before it is ready.
    const pool = new ScorePool(ruleset.rules, ruleset.scoring, { jobs: 2, budgetMs: 60_000, plan: threadPlan(ruleset.plan!) });
    try {
      const posting = (id: string) => ({ id, source: { line: Number(id) }, fields: { description: 'Free flight to Cambodia, contact on Telegram' } });
      const [a, b] = await Promise.all([pool.score([posting('1'), posting('2')]), pool.score([posting('3')])]);
      const records = [...a, ...b];
      expect(records.map((r) => r.id)).toEqual(['1', '2', '3']);
      for (const record of records) {
        expect(record).toMatchObject({
          error: { code: 'SCORE_CRASHED', message: expect.stringMatching(/could not start \(3 attempts\): .*prefilter tables/) },
        });
      }
      // Later batches are answered at once, and no thread is started again.
      expect(await pool.score([posting('4')])).toMatchObject([{ id: '4', error: { code: 'SCORE_CRASHED' } }]);
      expect(pool.threads).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
