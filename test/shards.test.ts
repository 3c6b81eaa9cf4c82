// A run done in shards equals one run: the same verdicts (ids and sources of the whole file), and
// summaries that add up to the whole run's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain as run, tempDir, writeInput } from './helpers.js';

const dir = tempDir('lurescan-shards-');

/** A file as scan names it: relative to the working folder when inside it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** Postings of the fixtures, and a few holding line separators inside their strings. */
function postingsJsonl(): string {
  const lines = readFileSync(path.join('fixtures/postings/asia-multilingual.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const odd = [
    { title: 'Typist\u2028Bavet', description: 'Typing job in Bavet\u2029free visa and ticket\u0085contact Telegram @boss' },
    { title: 'Nurse', description: 'Ward nurse, day shifts\u2028apply at the hospital HR office with your licence.' },
  ].map((p) => JSON.stringify(p));
  return [...lines.slice(0, 20), ...odd, ...lines.slice(20)].map((line) => `${line}\n`).join('');
}

function shards(text: string, count: number): Array<{ text: string; offset: number }> {
  const lines = text.split('\n').filter((line) => line !== '');
  const size = Math.ceil(lines.length / count);
  return Array.from({ length: count }, (_, k) => ({
    text: lines
      .slice(k * size, (k + 1) * size)
      .map((line) => `${line}\n`)
      .join(''),
    offset: k * size,
  }));
}

describe('sharded runs', () => {
  it('give the verdicts and, merged, the summary of one run over the whole file', async () => {
    const whole = postingsJsonl();
    const file = writeInput(dir, 'whole.jsonl', whole);
    const name = shown(file);
    const single = await run(['scan', file, '-j', '0', '--format', 'jsonl', '--summary-out', path.join(dir, 'whole.summary.json')]);
    expect(single.code).toBe(0);
    const wholeLines = single.stdout.trim().split('\n');
    expect(wholeLines.length).toBeGreaterThan(30);

    const parts = shards(whole, 3);
    const shardLines: string[] = [];
    for (const [k, part] of parts.entries()) {
      // As an engine pipes a shard: on stdin, told the whole file's name and where the shard starts.
      const result = await run(
        [
          'scan',
          '-',
          '--input-format',
          'jsonl',
          '--source-name',
          name,
          '--line-offset',
          String(part.offset),
          '-j',
          '0',
          '--format',
          'jsonl',
          '--summary-out',
          path.join(dir, `shard-${k}.json`),
        ],
        { input: part.text },
      );
      expect(result.code).toBe(0);
      shardLines.push(...result.stdout.trim().split('\n'));
    }
    expect(shardLines).toEqual(wholeLines);

    const merged = await run(['summary', 'merge', ...parts.map((_, k) => path.join(dir, `shard-${k}.json`))]);
    expect(merged.code).toBe(0);
    const withoutTime = (text: string): unknown => ({ ...(JSON.parse(text) as object), elapsedMs: 0 });
    expect(withoutTime(merged.stdout)).toEqual(withoutTime(readFileSync(path.join(dir, 'whole.summary.json'), 'utf8')));
  });

  it('numbers CSV shard rows as the whole file does', async () => {
    const header = 'title,description\n';
    const rows = ['Typist,Typing job in Bavet free visa', 'Nurse,Ward nurse day shifts', 'Driver,Delivery driver with own motorbike'];
    const file = writeInput(dir, 'whole.csv', header + rows.join('\n'));
    const single = await run(['scan', file, '-j', '0', '--format', 'jsonl']);
    const name = shown(file);
    const second = await run(['scan', '-', '--input-format', 'csv', '--source-name', name, '--line-offset', '2', '-j', '0', '--format', 'jsonl'], {
      input: header + rows[2]!,
    });
    const last = single.stdout.trim().split('\n')[2]!;
    expect(second.stdout.trim()).toBe(last);
    expect(JSON.parse(last)).toMatchObject({ id: `${name}:4`, source: { file: name, row: 4 } });
  });

  it('refuses shards scored with another rule set, and shard flags with more than one input', async () => {
    const rulesDir = tempDir('lurescan-shard-rules-');
    writeInput(rulesDir, 'one.yaml', readFileSync('rules/forced-criminality/destination.yaml', 'utf8'));
    const input = writeInput(dir, 'small.jsonl', `${JSON.stringify({ title: 'Typist', description: 'Typing job in Bavet' })}\n`);
    await run(['scan', input, '-j', '0', '--format', 'jsonl', '--summary-out', path.join(dir, 'a.json')]);
    await run(['scan', input, '-j', '0', '--format', 'jsonl', '--rules', rulesDir, '--no-model', '--summary-out', path.join(dir, 'b.json')]);
    const refused = await run(['summary', 'merge', path.join(dir, 'a.json'), path.join(dir, 'b.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot merge: summary 2 was scored with rule set/);
    const two = await run(['scan', input, input, '--line-offset', '5', '-j', '0']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--line-offset names one input/);
    const notSummary = await run(['summary', 'merge', input]);
    expect(notSummary.code).toBe(2);
  });
});
