// The library: `createScanner` scores what `scan` scores, the same way. That the packed package can
// be imported by name from another folder, with types: test/shipped/package.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScanner, isErrorRecord, type Scanner, type Verdict } from '../src/index.js';
import { readAllItems, runMain, tempDir, jsonLines } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const lures = path.join(root, 'fixtures/postings/fc-en.csv');

describe('createScanner', () => {
  let scanner: Scanner;
  beforeAll(async () => {
    scanner = await createScanner({ jobs: 0 });
  });
  afterAll(async () => {
    await scanner.close();
  });

  it('gives the verdicts scan gives for a fixture file, all but where each came from', async () => {
    const { code, stdout } = await runMain(['scan', lures, '-j', '0', '--format', 'jsonl']);
    expect(code).toBe(0);
    const fromScan = jsonLines<Verdict>(stdout);
    expect(fromScan.length).toBeGreaterThan(10);
    const postings = (await readAllItems([lures])).flatMap((item) => (item.kind === 'posting' ? [{ id: item.posting.id, fields: item.posting.fields }] : []));
    expect(postings.length).toBe(fromScan.length);
    const fromLibrary: Verdict[] = [];
    for await (const record of scanner.scanStream(postings)) {
      expect(isErrorRecord(record)).toBe(false);
      fromLibrary.push(record as Verdict);
    }
    // The library knows a posting by its place in what it was given, not by a file and a row.
    const strip = (v: Verdict): Omit<Verdict, 'source'> => {
      const { source: _source, ...rest } = v;
      return rest;
    };
    expect(fromLibrary.map(strip)).toEqual(fromScan.map(strip));
    expect(fromLibrary.filter((v) => v.labels.includes('forced-criminality')).length).toBeGreaterThan(5);
  });

  it('reads a flat object as a JSONL line is read, and names what it was given', async () => {
    const verdict = (await scanner.score({
      id: 'ad-7',
      title: 'Customer service, Sihanoukville',
      description: 'Free flight and visa, salary $1,800, no experience needed, contact Telegram @hr_kh only',
    })) as Verdict;
    expect(verdict.id).toBe('ad-7');
    expect(verdict.posting.title).toBe('Customer service, Sihanoukville');
    expect(verdict.flagged).toBe(true);
    const plain = (await scanner.score({
      fields: { title: 'Staff nurse', description: 'Ward nurse, day shifts, apply with your licence at the hospital HR office.' },
    })) as Verdict;
    expect(plain.flagged).toBe(false);
    expect(plain.id).toBe('posting:1');
    expect(scanner.ruleset.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(scanner.model.used).toBe(true);
  });

  it('answers what is not a posting with an error record, and refuses bad options', async () => {
    const record = await scanner.score('just text' as unknown as Record<string, unknown>);
    expect(record).toMatchObject({ error: { code: 'NOT_A_POSTING' } });
    await expect(createScanner({ jobs: -1 })).rejects.toThrow(/jobs must be a whole number/);
    await expect(createScanner({ thresholds: { scam: 3 } as never })).rejects.toThrow(/`scam` is not a label/);
  });

  it('made again in the same process, scores with the rules and thresholds it was given, an edited rule file included', async () => {
    // A process keeps the rule sets it loaded (by their files' texts) and their compiles (by
    // fingerprint and scoring), so a second scanner need not parse and compile them again: an edit
    // to a rule file, or other thresholds, must still show on the next scanner.
    const rules = path.join(tempDir('lurescan-api-again-'), 'rules');
    mkdirSync(rules);
    const write = (keyword: string): void =>
      writeFileSync(
        path.join(rules, 'r.yaml'),
        `rules:\n  - id: FC-TEST-AGAIN\n    title: a hub town\n    label: forced-criminality\n    category: destination\n    points: 8\n    any: [{keywords: [${keyword}]}]\n`,
      );
    const posting = { title: 'Clerk', description: 'Office work in Poipet, free visa' };
    const verdictOf = async (options: Parameters<typeof createScanner>[0]): Promise<Verdict> => {
      const made = await createScanner({ rules, model: false, jobs: 0, ...options });
      try {
        return (await made.score(posting)) as Verdict;
      } finally {
        await made.close();
      }
    };
    write('poipet');
    const first = await verdictOf({});
    expect(first.hits.map((hit) => hit.rule)).toEqual(['FC-TEST-AGAIN']);
    expect(first.labels).toEqual(['forced-criminality']);
    expect((await verdictOf({})).labels).toEqual(['forced-criminality']);
    const stricter = await verdictOf({ thresholds: { 'forced-criminality': 9 } });
    expect(stricter.hits.map((hit) => hit.rule)).toEqual(['FC-TEST-AGAIN']);
    expect(stricter.labels).toEqual([]);
    write('bavet');
    const edited = await verdictOf({});
    expect(edited.hits).toEqual([]);
    expect(edited.labels).toEqual([]);
  });

  it('scores on threads as on the calling thread, and cannot score once closed', async () => {
    // Threads run the built code (a worker is dist/run/worker.js), so this one is built too.
    const built = (await import('../dist/index.js')) as typeof import('../src/index.js');
    const threaded = await built.createScanner({ jobs: 1 });
    const posting = { title: 'Typist', description: 'Typing job in Bavet, free visa and ticket, contact Telegram @boss' };
    const here = await scanner.score(posting);
    const there = await threaded.score(posting);
    await threaded.close();
    expect(there).toEqual({ ...here, id: there.id, source: there.source });
    await expect(threaded.score(posting)).rejects.toThrow(/closed/);
  });
});
