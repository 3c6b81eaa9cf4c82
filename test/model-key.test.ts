// A model file's key (the hash that names its cached tables) kept in the cache folder with the file's
// identity, so a later process does not hash the file again (src/run/model-tables.ts). Through the
// binary, as separate processes use it: the key is written, and a model written again at the same
// place is never scored with the tables of the model that was there before.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinary, runMain, tempDir } from './helpers.js';

async function trainAt(dir: string, file: string, town: string): Promise<void> {
  const rows = ['id,title,description,label'];
  for (let i = 0; i < 12; i++)
    rows.push(`f${i},Typist,"Typing job ${i} in ${town}, free flight",forced-criminality`, `l${i},Nurse,"Ward ${i} in Manila",legit`);
  const postings = path.join(dir, `${town}.csv`);
  writeFileSync(postings, `${rows.join('\n')}\n`);
  expect((await runMain(['train', postings, '-o', file, '--date', '2026-01-01'])).code).toBe(0);
}

describe("a model file's kept key", () => {
  it('is written beside the tables and never outlives a change to the file', async () => {
    const dir = tempDir();
    const cache = tempDir();
    const model = path.join(dir, 'model.json');
    const postings = path.join(dir, 'scan.csv');
    writeFileSync(postings, 'id,title,description\n1,Typist,"Typing job in Poipet, free flight"\n2,Nurse,"Ward in Manila"\n');
    // One rule: the claim is the model's. Each scan with an empty cache folder (the first, and the
    // fresh one below) would parse, check and plan the whole shipped rule set and build its prefilter.
    const rules = path.join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      path.join(rules, 'r.yaml'),
      'rules:\n  - id: FC-TEST-HUB\n    title: a hub town\n    label: forced-criminality\n    category: destination\n    points: 8\n    any: [{keywords: [poipet]}]\n',
    );
    const scan = (cacheDir: string) =>
      runBinary(['scan', postings, '--rules', rules, '--model', model, '--jobs', '0', '--format', 'jsonl'], { env: { LURESCAN_CACHE_DIR: cacheDir } });

    await trainAt(dir, model, 'Poipet');
    const first = await scan(cache);
    expect(first.code, first.stderr).toBe(0);
    const keys = readdirSync(cache).filter((name) => /^model-key-[0-9a-f]+\.json$/.test(name));
    expect(keys).toHaveLength(1);
    const kept = JSON.parse(readFileSync(path.join(cache, keys[0]!), 'utf8')) as { place: string; source: string };
    expect(kept.place).toBe(path.resolve(model));
    expect(readdirSync(cache)).toContain(`model-${kept.source}.bin`);
    // Read from the key: the same verdicts.
    expect((await scan(cache)).stdout).toBe(first.stdout);

    // Another model at the same place: its own tables, as a scan with an empty cache finds them.
    await trainAt(dir, model, 'Bavet');
    const changed = await scan(cache);
    const fresh = await scan(tempDir());
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toBe(fresh.stdout);
    // The summary names the model by the data it learned from.
    const modelLine = (stderr: string): string | undefined => /^ {2}model: .*$/m.exec(stderr)?.[0];
    expect(modelLine(first.stderr)).toMatch(/data [0-9a-f]+/);
    expect(modelLine(changed.stderr)).toBe(modelLine(fresh.stderr));
    expect(modelLine(changed.stderr)).not.toBe(modelLine(first.stderr));
  });
});
