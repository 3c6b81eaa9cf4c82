// Hostile and huge inputs: every one is judged in bounded memory and time, with an error record
// (or warning) that names the limit and the option that raises it. The inputs are generated here,
// at sizes just over a small `--max-record`, so the cases run in seconds; the record limit is the
// same code at its default of 16 MB.
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import path from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord, Posting, ReadItem } from '../src/types.js';
import { readAllItems, runMain as run, tempDir, writeInput } from './helpers.js';

const dir = tempDir('lurescan-limits-');
const postings = (items: ReadItem[]): Posting[] => items.flatMap((i) => (i.kind === 'posting' ? [i.posting] : []));
const errors = (items: ReadItem[]): ErrorRecord[] => items.flatMap((i) => (i.kind === 'error' ? [i.record] : []));
const KB = 1024;
const limits = { maxRecord: 64 * KB };
const lure = 'Typist job in Sihanoukville, free flight and visa, contact Telegram @hr_job88';

describe('record limit (--max-record)', () => {
  it('skips a CSV field over the limit and reads on from the next row', async () => {
    const file = writeInput(dir, 'bigfield.csv', `title,description\n"job","${'b'.repeat(300 * KB)}"\nTypist,"${lure}"\n`);
    const items = await readAllItems([file], { limits });
    expect(errors(items).map((e) => [e.source.row, e.error.code])).toEqual([[2, 'RECORD_TOO_LARGE']]);
    expect(errors(items)[0]!.error.message).toMatch(/64 KB record limit.*--max-record/);
    expect(postings(items).map((p) => [p.source.row, p.fields.title])).toEqual([[3, 'Typist']]);
  });

  it('skips a long quoted field holding line breaks and quotes, counting rows as before', async () => {
    const field = `${'line with a ""quoted"" word\n'.repeat(4 * KB)}`;
    const file = writeInput(dir, 'multiline.csv', `title,description\nNurse,Hospital job\n"big","${field}"\nTypist,"${lure}"\n`);
    const items = await readAllItems([file], { limits });
    expect(items.map((i) => (i.kind === 'posting' ? i.posting.source.row : `error ${i.record.source.row}`))).toEqual([2, 'error 3', 4]);
  });

  it('stops at a header row over the limit, saying it is the header', async () => {
    const file = writeInput(dir, 'bighead.csv', `${'h'.repeat(200 * KB)},description\nx,y\n`);
    const items = await readAllItems([file], { limits });
    expect(errors(items)).toHaveLength(1);
    expect(errors(items)[0]!.error.message).toMatch(/^row 1, the header, is longer than/);
  });

  it('ends an unclosed quote over the limit with one error record, not the whole file in memory', async () => {
    const file = writeInput(dir, 'unclosed.csv', `title,description\nNurse,Hospital job\n"job","${'c\n'.repeat(200 * KB)}`);
    const items = await readAllItems([file], { limits });
    expect(postings(items)).toHaveLength(1);
    expect(errors(items).map((e) => [e.source.row, e.error.code])).toEqual([[3, 'RECORD_TOO_LARGE']]);
  });

  it('reads the same CSV at the default limit', async () => {
    const file = writeInput(dir, 'fine.csv', `title,description\n"job","${'b'.repeat(300 * KB)}"\nTypist,"${lure}"\n`);
    const items = await readAllItems([file]);
    expect(errors(items)).toEqual([]);
    expect(postings(items)).toHaveLength(2);
  });

  it('skips a JSONL line over the limit, and passes over millions of blank lines without a record each', async () => {
    const file = writeInput(
      dir,
      'lines.jsonl',
      `${JSON.stringify({ title: 'x', description: 'y'.repeat(100 * KB) })}\n${'\n'.repeat(3_000_000)}${JSON.stringify({ title: 'Typist', description: lure })}\n`,
    );
    const items = await readAllItems([file], { limits });
    expect(errors(items).map((e) => [e.source.line, e.error.code])).toEqual([[1, 'RECORD_TOO_LARGE']]);
    expect(postings(items).map((p) => p.source.line)).toEqual([3_000_002]);
  });

  it('refuses a single JSON document over the limit before it is all read', async () => {
    const file = writeInput(dir, 'one.json.gz', gzipSync(JSON.stringify({ title: 'x', description: 'a'.repeat(500 * KB) })));
    const items = await readAllItems([file], { limits });
    expect(errors(items).map((e) => e.error.code)).toEqual(['RECORD_TOO_LARGE']);
    expect(errors(items)[0]!.error.message).toMatch(/single JSON document.*--max-record.*JSON array or as JSONL/);
  });

  it('refuses a text file or page over the limit', async () => {
    const txt = writeInput(dir, 'big.txt', 'word '.repeat(20 * KB));
    const html = writeInput(dir, 'big.html', `<html><body>${'<p>text</p>'.repeat(10 * KB)}</body></html>`);
    const items = await readAllItems([txt, html], { limits });
    expect(errors(items).map((e) => [e.source.file, e.error.code])).toEqual([
      [txt, 'RECORD_TOO_LARGE'],
      [html, 'RECORD_TOO_LARGE'],
    ]);
  });
});

describe('gzip ratio (--max-ratio)', () => {
  // 65 MB of line breaks packs into about 64 KB: a ratio near 1,000, as a decompression bomb's.
  // Run-length matching packs it as small as level 9's full search does, in a third of the time.
  const bomb = gzipSync(Buffer.alloc(65 * 1024 * KB, '\n'), { level: 9, strategy: constants.Z_RLE });

  it('stops unpacking a decompression bomb past 64 MB, naming the ratio and the option', async () => {
    const file = writeInput(dir, 'newlines.jsonl.gz', bomb);
    const items = await readAllItems([file]);
    expect(errors(items).map((e) => e.error.code)).toEqual(['GZIP_RATIO']);
    expect(errors(items)[0]!.error.message).toMatch(/more than 100 times its packed size.*--max-ratio/);
  });

  it('reads it when the ratio is raised, as for real data that packs that well', async () => {
    const file = writeInput(dir, 'newlines2.jsonl.gz', bomb);
    const items = await readAllItems([file], { limits: { maxRatio: 2000 } });
    expect(errors(items).map((e) => e.error.code)).toEqual(['EMPTY_FILE']);
  });
});

/** One WARC response record holding `body` (an HTML page), with a Content-Length that can lie. */
function warcRecord(uri: string, body: Buffer, options: { headers?: string; contentLength?: number } = {}): Buffer {
  const http = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n${options.headers ?? ''}\r\n`), body]);
  const head = `WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: ${uri}\r\nWARC-Record-ID: <urn:uuid:${uri.length}>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${options.contentLength ?? http.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), http, Buffer.from('\r\n\r\n')]);
}

const page = Buffer.from(`<html><head><title>Customer service</title></head><body><h1>Customer service</h1><p>${lure}. Salary $1500.</p></body></html>`);

describe('WARC files', () => {
  it('scans a page cut short at the end of the file with a warning, instead of hanging', async () => {
    const whole = Buffer.concat([warcRecord('https://example.com/job/1', page), warcRecord('https://example.com/job/2', page)]);
    const file = writeInput(dir, 'cut.warc', whole.subarray(0, whole.length - 80));
    const items = await readAllItems([file]);
    expect(postings(items).map((p) => p.source.url)).toEqual(['https://example.com/job/1', 'https://example.com/job/2']);
    expect(postings(items)[0]!.warnings).toBeUndefined();
    expect(postings(items)[1]!.warnings?.map((w) => w.code)).toEqual(['WARC_CUT_SHORT']);
  });

  it('refuses a record that claims 10 GB without waiting for it', async () => {
    const file = writeInput(dir, 'claim.warc', warcRecord('https://example.com/job/1', page, { contentLength: 10 * 1024 ** 3 }));
    const items = await readAllItems([file], { limits });
    expect(errors(items).map((e) => e.error.code)).toEqual(['RECORD_TOO_LARGE']);
  });

  it('stops unpacking a gzip-encoded page at the limit, then reads the next record', async () => {
    const bombBody = gzipSync(Buffer.concat([Buffer.from('<p>'), Buffer.alloc(4 * 1024 * KB, ' ')]));
    const file = writeInput(
      dir,
      'encbomb.warc',
      Buffer.concat([
        warcRecord('https://example.com/bomb', bombBody, { headers: 'Content-Encoding: gzip\r\n' }),
        warcRecord('https://example.com/job/2', page),
      ]),
    );
    const items = await readAllItems([file], { limits });
    expect(items.map((i) => (i.kind === 'posting' ? i.posting.source.url : i.record.error.code))).toEqual(['RECORD_TOO_LARGE', 'https://example.com/job/2']);
    expect(errors(items)[0]!.error.message).toMatch(/once unpacked/);
  });
});

describe('limit options on the command line', () => {
  it('scan --max-record sets the record limit; a bad size is a usage error', async () => {
    const file = writeInput(dir, 'cli.csv', `title,description\n"job","${'b'.repeat(300 * KB)}"\nTypist,"${lure}"\n`);
    const small = await run(['scan', file, '--max-record', '64KB', '--no-model', '-j', '0', '--format', 'jsonl']);
    expect(small.code).toBe(0);
    expect(small.stdout).toContain('"code":"RECORD_TOO_LARGE"');
    expect(small.stderr).toContain('read 2 = scored 1 + errors 1');
    const bad = await run(['scan', file, '--max-record', 'big', '--no-model']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-record must be a size such as 10MB');
    const ratio = await run(['scan', file, '--max-ratio', '0.5', '--no-model']);
    expect(ratio.code).toBe(2);
    expect(ratio.stderr).toContain('--max-ratio must be a number of at least 1');
  });

  it('refuses a model file too large to be a lurescan model before reading it', async () => {
    const model = path.join(dir, 'huge-model.json');
    const fd = openSync(model, 'w');
    ftruncateSync(fd, 200 * 1024 * KB); // sparse: no disk used
    closeSync(fd);
    const result = await run(['scan', writeInput(dir, 'one.txt', lure), '--model', model, '-j', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is 200 MB, over the 128 MB a model file may take');
  });
});
