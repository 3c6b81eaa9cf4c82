// The output format registry: names and extensions in report/format-names.ts, writers in
// report/formats.ts. Each -o extension implies its format, each format has a writer that writes
// a scored posting, and the README's option table lists every name and extension.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FORMAT_EXTENSIONS, OUTPUT_FORMATS, type OutputFormat } from '../src/report/format-names.js';
import { formatFromOutName, OUTPUT_WRITERS, type WriterContext } from '../src/report/formats.js';
import { emptySummary } from '../src/report/summary.js';
import type { Verdict } from '../src/types.js';

const verdict: Verdict = {
  id: 'p-1',
  source: { file: 'ads.csv', row: 2 },
  posting: { title: 'Typist, Sihanoukville', description: 'Free visa. Telegram @hr_team' },
  lang: 'en',
  flagged: true,
  labels: ['forced-criminality'],
  scores: { 'forced-criminality': 9, 'employment-fraud': 1 },
  hits: [],
};

const context: WriterContext = {
  version: '9.9.9',
  ruleset: 'abcdef0123456789abcdef',
  model: { used: false, reason: '--no-model: rules only' },
  color: new Chalk({ level: 0 }),
};

describe('output format registry', () => {
  it('reads the format an -o name implies from its extension, in any case, and nothing from others', () => {
    for (const [format, extensions] of Object.entries(OUTPUT_FORMAT_EXTENSIONS) as [OutputFormat, readonly string[]][]) {
      for (const extension of extensions) {
        expect(formatFromOutName(`verdicts${extension}`), extension).toBe(format);
        expect(formatFromOutName(`out/VERDICTS${extension.toUpperCase()}`), extension).toBe(format);
      }
    }
    expect(formatFromOutName('verdicts.xlsx')).toBeUndefined();
    expect(formatFromOutName('verdicts')).toBeUndefined();
    expect(formatFromOutName(undefined)).toBeUndefined();
  });

  it('gives every format a writer that writes the posting it is handed', async () => {
    for (const format of OUTPUT_FORMATS) {
      const output = await OUTPUT_WRITERS[format].open(context);
      if (output.kind === 'text') {
        const { writer } = output;
        const text =
          writer.begin() +
          writer.record(verdict, { id: 'p-1', source: {}, fields: { title: 'Typist' } }) +
          writer.end(emptySummary('9.9.9', { fingerprint: context.ruleset, rules: 1, files: 1 }));
        expect(text, format).toContain('p-1');
      } else {
        expect(OUTPUT_WRITERS[format].binary, `${format} writes rows: it is binary`).toBeDefined();
        expect(output.writer.row(verdict).id, format).toBe('p-1');
      }
    }
  });

  it("is listed whole in the README's scan options: every name for --format, every extension for -o", () => {
    const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const formatRow = readme.split('\n').find((line) => line.startsWith('| `--format jsonl'));
    expect(formatRow).toContain(`\`--format ${OUTPUT_FORMATS.join('\\|')}\``);
    const outRow = readme.split('\n').find((line) => line.startsWith('| `-o, --out <file>` | write to a file, in the format its name implies'));
    for (const extension of Object.values(OUTPUT_FORMAT_EXTENSIONS).flat()) expect(outRow, extension).toContain(`\`${extension}\``);
  });
});
