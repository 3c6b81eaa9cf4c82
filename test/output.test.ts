// Where verdicts go: -o takes its format from the name, never replaces an input, explains what it
// cannot write, leaves nothing behind when interrupted, and a failed run says why on stderr.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMain as run, tempDir, writeInput, jsonLines } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = path.join(root, 'fixtures/postings/fc-en.csv');

describe('scan -o', () => {
  it('takes the format from the file name unless --format says otherwise, and warns when they differ', async () => {
    // Two postings: the claim is which writer -o picks, for which three scans of a whole fixture file
    // (67 postings, with the model, each) only cost time.
    const dir = tempDir();
    const two = writeInput(
      dir,
      'two.csv',
      'id,title,description\nad1,Customer service - Sihanoukville,"Free flight and visa, no experience needed. Telegram @hr_kh."\nad2,Registered nurse,Our hospital in Manila hires registered nurses.\n',
    );
    expect((await run(['scan', two, '-o', path.join(dir, 'v.csv'), '--no-summary', '-j', '0'])).code).toBe(0);
    const csvLines = readFileSync(path.join(dir, 'v.csv'), 'utf8').trim().split('\n');
    expect(csvLines[0]).toMatch(/^id,file,row,/);
    expect(csvLines.slice(1).map((line) => line.split(',')[0])).toEqual(['ad1', 'ad2']);
    expect((await run(['scan', two, '-o', path.join(dir, 'v.json'), '--no-summary', '-j', '0'])).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'v.json'), 'utf8')).verdicts.map((v: { id: string }) => v.id)).toEqual(['ad1', 'ad2']);
    const forced = await run(['scan', two, '-o', path.join(dir, 'w.csv'), '--format', 'jsonl', '--no-summary', '-j', '0']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('writing jsonl to');
    expect(jsonLines<{ id: string }>(readFileSync(path.join(dir, 'w.csv'), 'utf8')).map((v) => v.id)).toEqual(['ad1', 'ad2']);
  });

  it('refuses to write the verdicts over one of the inputs, even named another way', async () => {
    const dir = tempDir();
    const ads = path.join(dir, 'ads.csv');
    copyFileSync(fixture, ads);
    const before = readFileSync(ads, 'utf8');
    for (const out of [ads, path.join(dir, '.', 'ads.csv')]) {
      const result = await run(['scan', dir, '-o', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('is one of the inputs');
    }
    expect(readFileSync(ads, 'utf8')).toBe(before);
  });

  it('names a missing folder or a folder target in words, before scanning anything', async () => {
    const dir = tempDir();
    const missing = await run(['scan', fixture, '-j', '0', '-o', path.join(dir, 'nodir', 'x.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the folder .*nodir does not exist/);
    expect(missing.stderr).not.toMatch(/ENOENT/);
    mkdirSync(path.join(dir, 'sub'));
    const folder = await run(['scan', fixture, '-j', '0', '-o', path.join(dir, 'sub')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('it is a folder');
    expect(readdirSync(dir).sort()).toEqual(['sub']);
  });

  it('says on stderr why nothing could be scored, even with --no-summary', async () => {
    const dir = tempDir();
    const bin = writeInput(dir, 'bin.jsonl', Buffer.from([0, 1, 2, 3, 0, 0]));
    const result = await run(['scan', bin, '--no-summary', '-j', '0', '-o', path.join(dir, 'out.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no posting could be scored: 1 error record, the first: .*bin\.jsonl: BINARY_FILE/);
  });
});

describe('train with a wrong --label', () => {
  it('names the column it could not find and the columns there are', async () => {
    const dir = tempDir();
    const file = writeInput(dir, 'lab.csv', 'title,description,is_scam\nA,Typing job,1\nB,Nurse job,0\n');
    const result = await run(['train', file, '--label', 'nope', '-o', path.join(dir, 'm.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--label nope: no column `nope` (columns: title, description, is_scam)');
    expect(existsSync(path.join(dir, 'm.json'))).toBe(false);
  });
});

describe('binary: an interrupted scan', () => {
  // A signal reaches a process: the built binary, run here with its stdin held open.
  it('removes its half-written output, leaves the target alone and exits 130', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.jsonl');
    const child = spawn(process.execPath, [path.join(root, 'bin/lurescan.js'), 'scan', '-', '-o', out, '-j', '0', '--no-summary'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.write('{"id":"a","description":"Typing job in Sihanoukville, free flight"}\n');
    // The temporary file appears once the output is open; stdin stays open, so the scan waits.
    const deadline = Date.now() + 60_000;
    while (!readdirSync(dir).some((name) => name.endsWith('.tmp')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).some((name) => name.endsWith('.tmp'))).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted (SIGINT)');
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  }, 90_000);
});

describe('JSONL that line splitters cannot cut', () => {
  it('escapes U+2028, U+2029 and U+0085 in verdicts, which stay the same JSON values', async () => {
    const dir = tempDir('lurescan-lines-');
    const text = 'Typist in Bavet\u2028free visa\u2029ticket paid\u0085contact Telegram @boss';
    const input = writeInput(
      dir,
      'ads.jsonl',
      `${JSON.stringify({ id: 'a', title: 'Typist', description: text })}\n${JSON.stringify({ id: 'b', title: 'Nurse\u2028ward' })}\n`,
    );
    const { stdout } = await run(['scan', input, '-j', '0', '--format', 'jsonl', '--include-text']);
    // Python's splitlines and Spark's line readers break at these too: two postings, two lines.
    const lines = stdout.split(/\r?\n|\u2028|\u2029|\u0085/).filter((line) => line !== '');
    expect(lines.length).toBe(2);
    expect(stdout).toContain('\\u2028');
    const first = JSON.parse(lines[0]!) as { id: string; text?: Record<string, string> };
    expect(first.id).toBe('a');
    expect(Object.values(first.text ?? {}).join(' ')).toContain('\u2028free visa\u2029');
  });
});

describe('scan --errors-out', () => {
  it('keeps error records apart, so every output row is a verdict, and the summary still counts them', async () => {
    const dir = tempDir('lurescan-errors-out-');
    const input = writeInput(
      dir,
      'mixed.csv',
      'title,description\nTypist,"Typing job in Bavet, free visa",extra\nNurse,Ward nurse at the hospital\nDriver,Delivery driver\n',
    );
    const errorsFile = path.join(dir, 'errors.jsonl');
    const { code, stdout, stderr } = await run(['scan', input, '-j', '0', '--format', 'csv', '--errors-out', errorsFile]);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').slice(1);
    expect(rows.length).toBe(2);
    expect(rows.every((row) => !row.includes('CSV_FIELD_COUNT'))).toBe(true);
    const errors = jsonLines<{ source: { row: number }; error: { code: string } }>(readFileSync(errorsFile, 'utf8'));
    expect(errors).toEqual([
      expect.objectContaining({ source: expect.objectContaining({ row: 2 }), error: expect.objectContaining({ code: 'CSV_FIELD_COUNT' }) }),
    ]);
    expect(stderr).toMatch(/read 3 = scored 2 \+ errors 1/);
  });
});

describe('scan --format parquet', () => {
  it('writes every record as a typed row, in order, that a Parquet reader gets back as the JSONL verdicts', async () => {
    const { parquetReadObjects, parquetMetadata } = await import('hyparquet');
    const dir = tempDir('lurescan-parquet-');
    const input = writeInput(
      dir,
      'mixed.csv',
      'title,description\nTypist,"Typing job in Bavet, free visa, Telegram @boss",extra\nCustomer service,"Sihanoukville, free flight and visa, $1,800, no experience, Telegram only"\nNurse,Ward nurse at the city hospital\n',
    );
    const out = path.join(dir, 'verdicts.parquet');
    const written = await run(['scan', input, '-j', '0', '-o', out]);
    expect(written.code).toBe(0);
    const jsonl = jsonLines<{ id: string; flagged?: boolean; scores?: Record<string, number>; error?: { code: string }; hits?: unknown[] }>(
      (await run(['scan', input, '-j', '0', '--format', 'jsonl'])).stdout,
    );
    const bytes = readFileSync(out);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.id)).toEqual(jsonl.map((v) => v.id));
    expect(rows[0]).toMatchObject({ error_code: jsonl[0]!.error!.code, flagged: null, row: 2 });
    for (const [k, verdict] of jsonl.entries()) {
      if (verdict.error) continue;
      expect(rows[k]!.flagged).toBe(verdict.flagged);
      expect(rows[k]!.score_forced_criminality).toBe(verdict.scores!['forced-criminality']);
      expect(rows[k]!.hits).toEqual(verdict.hits);
    }
    expect(typeof rows[1]!.p_legit).toBe('number');
    const metadata = parquetMetadata(file);
    expect(metadata.key_value_metadata?.map((kv) => kv.key)).toEqual(['version', 'ruleset', 'model']);
    expect(metadata.schema.find((s) => s.name === 'flagged')?.type).toBe('BOOLEAN');
  });
});

describe('the Parquet columns', () => {
  it('are all in the README table, with their type', async () => {
    const { PARQUET_COLUMNS } = await import('../src/report/parquet.js');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const column of PARQUET_COLUMNS) expect(readme, column.name).toContain(`| \`${column.name}\` | ${column.type.toLowerCase()} |`);
  });
});

describe('hit offsets', () => {
  it('come in UTF-16 code units and in code points, which differ after an emoji', async () => {
    const posting = { id: 'e', title: '🔥🔥 Typist', description: '😀 Typing job in Bavet, free visa' };
    const { stdout } = await run(['scan', '-', '--input-format', 'jsonl', '-j', '0', '--format', 'jsonl'], { input: `${JSON.stringify(posting)}\n` });
    const verdict = JSON.parse(stdout) as { hits: Array<{ field?: string; start?: number; end?: number; cpStart?: number; cpEnd?: number; match?: string }> };
    const located = verdict.hits.filter((hit) => hit.field !== undefined);
    expect(located.length).toBeGreaterThan(1);
    for (const hit of located) {
      const text = posting[hit.field as 'title' | 'description'];
      expect(text.slice(hit.start, hit.end)).toBe(hit.match);
      // As Python slices it: by code point.
      expect(Array.from(text).slice(hit.cpStart, hit.cpEnd).join('')).toBe(hit.match);
      expect(hit.cpStart).toBeLessThan(hit.start!);
    }
  });
});

describe('scan --top', () => {
  it('writes the n flagged postings it is most certain of, most certain first, and counts the rest', async () => {
    // Two files of lures, one a label: many flagged postings to rank, across both thresholds.
    const inputs = ['fixtures/postings/fc-en.csv', 'fixtures/postings/ef-en.csv'];
    const all = jsonLines<{ id: string; labels: string[]; scores: Record<string, number>; error?: unknown }>(
      (await run(['scan', ...inputs, '-j', '0', '--format', 'jsonl', '--only-flagged'])).stdout,
    ).filter((v) => !v.error);
    expect(all.length).toBeGreaterThan(50);
    expect(new Set(all.flatMap((v) => v.labels))).toEqual(new Set(['forced-criminality', 'employment-fraud']));
    const thresholds: Record<string, number> = { 'forced-criminality': 8, 'employment-fraud': 6 };
    const certainty = (v: { labels: string[]; scores: Record<string, number> }): number => Math.max(...v.labels.map((l) => v.scores[l]! / thresholds[l]!));
    const expected = all
      .map((v, k) => ({ v, k }))
      .sort((a, b) => certainty(b.v) - certainty(a.v) || a.k - b.k)
      .slice(0, 5)
      .map(({ v }) => v.id);
    const { code, stdout } = await run(['scan', ...inputs, '-j', '0', '--format', 'json', '--top', '5']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      verdicts: Array<{ id: string; error?: unknown }>;
      summary: { top: { limit: number; flagged: number; leftOut: number }; flagged: { any: number } };
    };
    expect(report.verdicts.filter((v) => !v.error).map((v) => v.id)).toEqual(expected);
    expect(report.summary.top).toEqual({ limit: 5, flagged: all.length, leftOut: all.length - 5 });
    expect(report.summary.flagged.any).toBe(all.length);
    expect((await run(['scan', ...inputs, '-j', '0', '--top', '0'])).code).toBe(2);
  });
});
