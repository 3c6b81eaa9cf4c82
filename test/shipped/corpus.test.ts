import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'corpus');
const LABELS = ['forced-criminality', 'employment-fraud', 'legit'];

function batches(part: string): Array<{ file: string; rows: Array<Record<string, any>> }> {
  return readdirSync(path.join(ROOT, part))
    .filter((f) => f.endsWith('.jsonl'))
    .map((file) => ({
      file,
      rows: readFileSync(path.join(ROOT, part, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l)),
    }));
}

describe('the corpus', () => {
  const train = batches('train');
  const dev = batches('dev');

  it('keeps every batch on its side of the split: batch n in dev when n is a multiple of 3, and the general sample', () => {
    // Rounds 21 to 23 were written to measure, as samples of what a feed holds (corpus/README.md): all dev.
    const general = new Set<string>(JSON.parse(readFileSync(path.join(ROOT, 'general-sample.json'), 'utf8')));
    expect(general.size).toBe(64);
    const sideOf = (file: string): string => {
      const name = file.replace(/\.jsonl$/, '');
      const n = Number(name.slice(name.lastIndexOf('-') + 1));
      return n % 3 === 0 || name === 'ru-2' || general.has(name) ? 'dev' : 'train';
    };
    for (const name of general)
      expect(
        dev.some(({ file }) => file === `${name}.jsonl`),
        name,
      ).toBe(true);
    for (const { file } of train) expect(sideOf(file), file).toBe('train');
    for (const { file } of dev) expect(sideOf(file), file).toBe('dev');
    expect(train.length).toBeGreaterThan(40);
    expect(dev.length).toBeGreaterThan(20);
  });

  it('holds labelled postings with unique ids, a body, and the metadata eval groups by', () => {
    const ids = new Set<string>();
    let rows = 0;
    for (const { file, rows: list } of [...train, ...dev]) {
      const batch = file.replace(/\.jsonl$/, '');
      for (const row of list) {
        rows++;
        expect(ids.has(row.id), `${file}: duplicate id ${row.id}`).toBe(false);
        ids.add(row.id);
        expect(LABELS, `${file}: ${row.id}`).toContain(row.label);
        expect(typeof row.description === 'string' && row.description.trim() !== '', `${file}: ${row.id} has no description`).toBe(true);
        expect(row.meta?.batch, `${file}: ${row.id}`).toBe(batch);
        expect(typeof row.meta?.lang, `${file}: ${row.id}`).toBe('string');
        expect(['written', 'real'], `${file}: ${row.id}`).toContain(row.meta?.origin);
        if (row.meta.origin === 'real') expect(typeof row.meta.source?.url, `${file}: ${row.id} cites no source`).toBe('string');
      }
    }
    expect(rows).toBeGreaterThanOrEqual(1500);
  });

  it("keeps writers' notes out of the text a model learns from", () => {
    // "Grameenphone (impersonated)" in a company field taught the model that such words mean fraud:
    // no real ad says so of itself. Notes go in meta.writer_notes. A bracket that warns the reader
    // ("（唔好信其他假冒帳號）": don't trust the fake accounts) is the ad's own text, which lures write.
    const note =
      /[(（](?!\s*(?:唔好|不要|别|別|勿|切勿|don't|do not|never|jangan|đừng|อย่า))[^()（）]{0,60}(?:impersonat|claimed|unnamed|not stated|\bfake\b|spoof|mạo danh|giả mạo|แอบอ้าง|冒名|冒充|假冒|사칭|자칭|名乗|palsu|mengaku|自称|自稱|ended in)[^()（）]{0,60}[)）]/i;
    const noted: string[] = [];
    let kept = 0;
    for (const { rows: list } of [...train, ...dev]) {
      for (const row of list) {
        for (const [field, value] of Object.entries(row))
          if (field !== 'meta' && typeof value === 'string' && note.test(value)) noted.push(`${row.id} ${field}`);
        if (row.meta?.writer_notes) kept++;
      }
    }
    expect(noted).toEqual([]);
    expect(kept).toBeGreaterThan(50);
  });
});
