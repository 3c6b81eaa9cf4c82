import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { planColumns } from '../src/input/fields.js';
import { formatFromName, sniffFormat } from '../src/input/index.js';
import { INPUT_FORMAT_EXTENSIONS, type InputFormat } from '../src/input/format-names.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodePage, guessLegacyEncoding } from '../src/input/charset.js';
import type { ReadItem } from '../src/types.js';
import { readAllItems, tempDir, writeInput } from './helpers.js';

const dir = tempDir();
const postings = (items: ReadItem[]) => items.flatMap((i) => (i.kind === 'posting' ? [i.posting] : []));
const errors = (items: ReadItem[]) => items.flatMap((i) => (i.kind === 'error' ? [i.record] : []));

describe('column mapping', () => {
  it('maps the contract names and the shared data sets without flags', () => {
    const plan = planColumns(['Job_ID', 'jobTitle', 'jobDescription', 'companyName', 'jobAddr', 'jobSalary', 'fraudulent', 'label_raw', 'jobCity'], {});
    expect(plan.idColumn).toBe('Job_ID');
    expect(plan.labelColumn).toBe('fraudulent');
    expect(Object.fromEntries(plan.fieldOf)).toEqual({
      jobTitle: 'title',
      jobDescription: 'description',
      companyName: 'company',
      jobAddr: 'location',
      jobSalary: 'salary',
      jobCity: 'jobCity',
    });
    expect(plan.skipped.has('label_raw')).toBe(true);
    expect(planColumns(['text', 'fraudulent'], {}).fieldOf.get('text')).toBe('description');
  });

  it('lets --map override the automatic mapping', () => {
    const plan = planColumns(['headline', 'body', 'title'], { title: 'headline' });
    expect(plan.fieldOf.get('headline')).toBe('title');
    expect(plan.fieldOf.get('body')).toBe('description');
    expect(plan.fieldOf.get('title')).toBe('title_2');
  });
});

describe('columns nobody named', () => {
  it('maps nested JSON keys when no top-level key names the field', () => {
    const plan = planColumns(['jobPosting.title', 'jobPosting.description', 'hiringOrganization.name', 'company.id', 'title2'], {});
    expect(Object.fromEntries(plan.fieldOf)).toEqual({
      'jobPosting.title': 'title',
      'jobPosting.description': 'description',
      'hiringOrganization.name': 'company',
      'company.id': 'company.id',
      title2: 'title2',
    });
    expect(plan.idColumn).toBeUndefined();
    // A top-level key wins over a nested one.
    expect(planColumns(['title', 'job.title'], {}).fieldOf.get('job.title')).toBe('job.title');
  });

  it('reads the longest text as the description when no column is named like a title or description, and says so', async () => {
    const csv = writeInput(
      dir,
      'unnamed.csv',
      'ref,Anuncio completo\nA1,"Typing job in Sihanoukville, free flight and visa, contact Telegram @hr"\nA2,"Nurse in Manila"\n',
    );
    const all = postings(await readAllItems([csv]));
    expect(all.map((p) => p.fields.description)).toEqual(['Typing job in Sihanoukville, free flight and visa, contact Telegram @hr', 'Nurse in Manila']);
    expect(all[1]!.warnings?.[0]?.message).toMatch(
      /no column is named like a title or a description \(columns: `ref`, `Anuncio completo`\), so `Anuncio completo`.*--map/,
    );
    const jsonl = writeInput(
      dir,
      'unnamed.jsonl',
      `${JSON.stringify({ ref: 'A1', anuncio: 'Typing job in Sihanoukville, free flight and visa' })}\n${JSON.stringify({ title: 'Nurse', ref: 'A2' })}\n`,
    );
    const records = postings(await readAllItems([jsonl]));
    expect(records[0]!.fields.description).toBe('Typing job in Sihanoukville, free flight and visa');
    expect(records[0]!.warnings?.map((w) => w.code)).toEqual(['NO_TEXT_COLUMN']);
    expect(records[1]!.warnings).toBeUndefined();
    // --map names columns itself: no guess.
    expect(postings(await readAllItems([csv], { map: { id: 'ref' } }))[0]!.fields.description).toBeUndefined();
  });
});

describe('CSV', () => {
  it('reads a CSV without a header row as postings, first row included, and says how it named the columns', async () => {
    const file = writeInput(
      dir,
      'nohead.csv',
      '"Typist wanted","Typing job in Sihanoukville, free flight and visa, contact Telegram @hr"\n"Nurse","Hospital job in Manila with SSS and PhilHealth benefits, apply in person"\n',
    );
    const all = postings(await readAllItems([file]));
    expect(all.map((p) => p.fields.title)).toEqual(['Typist wanted', 'Nurse']);
    expect(all[0]!.fields.description).toContain('Sihanoukville');
    expect(all[0]!.warnings?.map((w) => w.code)).toContain('CSV_NO_HEADER');
    // An ordinary header is still a header.
    const headed = writeInput(dir, 'headed.csv', 'Heading,Notes\nTypist,Some notes\n');
    const [only, ...rest] = postings(await readAllItems([headed]));
    expect(rest).toEqual([]);
    expect(only!.fields.title).toBe('Typist');
    expect(only!.warnings ?? []).toEqual([]);
  });

  it('reads quoted multi-line fields, a BOM and spreadsheet row numbers', async () => {
    const file = writeInput(dir, 'a.csv', '\ufeffid,title,description,label\nA1,"CSR, night","line one\nline ""two""",legit\n,Typist,plain,legit\n');
    const items = await readAllItems([file]);
    expect(errors(items)).toEqual([]);
    const [first, second] = postings(items);
    expect(first).toMatchObject({ id: 'A1', source: { row: 2 }, fields: { title: 'CSR, night', description: 'line one\nline "two"' }, label: 'legit' });
    expect(second!.id).toMatch(/a\.csv:3$/);
  });

  it('detects semicolon and tab delimiters', async () => {
    const semi = writeInput(dir, 'semi.csv', 'title;description\nCSR;Sihanoukville\n');
    expect(postings(await readAllItems([semi]))[0]!.fields).toEqual({ title: 'CSR', description: 'Sihanoukville' });
    const tsv = writeInput(dir, 'tab.tsv', 'title\tdescription\nCSR, urgent\tfree flight\n');
    expect(postings(await readAllItems([tsv]))[0]!.fields).toEqual({ title: 'CSR, urgent', description: 'free flight' });
  });

  it('turns a row with too many fields into an error record and goes on', async () => {
    const file = writeInput(dir, 'count.csv', 'title,description\nok,fine\nbad,x,y\nshort\nlast,one\n');
    const items = await readAllItems([file]);
    expect(items.map((i) => i.kind)).toEqual(['posting', 'error', 'posting', 'posting']);
    expect(errors(items)[0]).toMatchObject({ source: { row: 3 }, error: { code: 'CSV_FIELD_COUNT' } });
    expect(errors(items)[0]!.error.message).toContain('row 3 has 3 fields but the header has 2');
    expect(postings(items)[1]!.warnings?.[0]?.code).toBe('CSV_FIELD_COUNT');
  });

  it('reports an unclosed quote', async () => {
    const file = writeInput(dir, 'quote.csv', 'title,description\nok,fine\nbad,"never closed\nmore,text\n');
    const items = await readAllItems([file]);
    expect(errors(items)).toEqual([
      expect.objectContaining({ source: expect.objectContaining({ row: 3 }), error: expect.objectContaining({ code: 'CSV_QUOTES' }) }),
    ]);
  });

  it('reports a header-only file and an empty file', async () => {
    expect(errors(await readAllItems([writeInput(dir, 'head.csv', 'title,description\n')]))[0]!.error.code).toBe('NO_POSTINGS');
    expect(errors(await readAllItems([writeInput(dir, 'empty.csv', '')]))[0]!.error.code).toBe('EMPTY_FILE');
  });

  it('streams a large file without reading it whole', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},Title ${i},"Body ${i}, with comma"`).join('\n');
    const file = writeInput(dir, 'big.csv', `id,title,description\n${rows}\n`);
    const items = await readAllItems([file]);
    expect(items).toHaveLength(20_000);
    expect(postings(items)[19_999]!.id).toBe('19999');
  });
});

describe('JSONL and JSON', () => {
  it('maps each record by its own keys: a --map key one record lacks is a warning, not the end of the file', async () => {
    const file = writeInput(
      dir,
      'mixed.jsonl',
      [
        '{"id":"1","headline":"Typist","body":"Typing job in Bavet"}',
        '{"id":"2","title":"Nurse","description":"Hospital job"}',
        '{"id":"3","headline":"CSR","body":"Poipet, free visa"}',
      ].join('\n'),
    );
    const items = await readAllItems([file], { map: { title: 'headline', description: 'body' } });
    const all = postings(items);
    expect(items.length).toBe(3);
    expect(all.map((p) => p.fields.title)).toEqual(['Typist', 'Nurse', 'CSR']);
    expect(all[2]!.fields.description).toBe('Poipet, free visa');
    expect(all[1]!.warnings?.map((w) => w.code)).toEqual(['MAP_KEY_MISSING']);
    expect(all[0]!.warnings ?? []).toEqual([]);
  });

  it('reads JSONL and reports bad lines by line number', async () => {
    const file = writeInput(dir, 'a.jsonl', '{"title":"a","description":"x"}\n\n{"title": broken}\n[1,2]\n{"title":"b","nested":{"city":"Poipet"}}\n');
    const items = await readAllItems([file]);
    expect(items.map((i) => i.kind)).toEqual(['posting', 'error', 'error', 'posting']);
    expect(errors(items)[0]).toMatchObject({ source: { line: 3 }, error: { code: 'JSON_SYNTAX' } });
    expect(errors(items)[1]).toMatchObject({ source: { line: 4 }, error: { code: 'NOT_AN_OBJECT' } });
    expect(postings(items)[1]!.fields['nested.city']).toBe('Poipet');
  });

  it('splits a JSON array element by element, across chunk boundaries', async () => {
    const objects = Array.from({ length: 300 }, (_, i) => ({ jobTitle: `T${i}`, jobDescription: `has "quotes", [brackets] and {braces} ${i}` }));
    const file = writeInput(dir, 'arr.json', JSON.stringify(objects, null, 1));
    const got = postings(await readAllItems([file]));
    expect(got).toHaveLength(300);
    expect(got[299]!.fields).toEqual({ title: 'T299', description: 'has "quotes", [brackets] and {braces} 299' });
    expect(got[299]!.id).toMatch(/arr\.json#300$/);
  });

  it('reports a bad element and keeps the rest; rejects deep nesting', async () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    const file = writeInput(dir, 'mixed.json', `[{"title":"ok"}, {"title": nope}, ${deep}, "text", {"title":"last"}]`);
    const items = await readAllItems([file]);
    expect(items.map((i) => (i.kind === 'error' ? i.record.error.code : 'posting'))).toEqual([
      'posting',
      'JSON_SYNTAX',
      'JSON_TOO_DEEP',
      'NOT_AN_OBJECT',
      'posting',
    ]);
  });

  it('reads a single object and a wrapper object', async () => {
    expect(postings(await readAllItems([writeInput(dir, 'one.json', '{"title":"Solo","description":"d"}')]))).toHaveLength(1);
    const wrapped = postings(await readAllItems([writeInput(dir, 'wrap.json', '{"jobs":[{"title":"a"},{"title":"b"}]}')]));
    expect(wrapped.map((p) => p.fields.title)).toEqual(['a', 'b']);
  });

  it('reports truncated JSON', async () => {
    const items = await readAllItems([writeInput(dir, 'trunc.json', '[{"title":"a"}, {"title":"b"')]);
    expect(items.map((i) => i.kind)).toEqual(['posting', 'error']);
  });
});

describe('legacy encodings', () => {
  const samples: Record<string, string> = {
    gb18030: 'bcedc6d2d5afcef7b8dbb8dfd0bdb4f2d7d6d4b1a3acb0fcbbfac6b1a3acc1aacfb5b7c9bbfa',
    big5: 'ac5aae48b9eba6e8b4e4b0aac17ea5b4a672adfba141a55dbef7b2bca141c170c3b4adb8bef7',
    shift_jis: '834a8393837b8357834182c58d828efb93fc81418d718bf38c948e788b8b81418365838c834f8389838082c59841978d',
    'euc-kr': 'c4afbab8b5f0bec620b0edbcf6c0cd20bbf3b4e3bff820b8f0c1fd2c20c7d7b0f8b1c720c1f6bff8',
    'windows-1252': '54726162616a6f20656e2043616d626f79612c207675656c6f2070616761646f2c206de17320696e666f726d616369f36e',
  };

  it('guesses the encoding of text that is not UTF-8 (Excel exports on Chinese, Japanese, Korean and Western Windows)', () => {
    for (const [encoding, hex] of Object.entries(samples)) expect(guessLegacyEncoding(Buffer.from(hex, 'hex')), encoding).toBe(encoding);
  });

  it('reads a GBK page that declares no charset as Chinese, and windows-1252 quotes as quotes', () => {
    const page = decodePage(Buffer.concat([Buffer.from('<html><body><p>'), Buffer.from(samples.gb18030!, 'hex'), Buffer.from('</p></body></html>')]));
    expect(page.encoding).toBe('gb18030');
    expect(page.text).toContain('柬埔寨西港高薪打字员');
    const western = decodePage(
      Buffer.from([
        ...Buffer.from('<p>'),
        0x93,
        ...Buffer.from('Se busca'),
        0x94,
        0x20,
        0x96,
        0x20,
        ...Buffer.from('m'),
        0xe1,
        ...Buffer.from('s info, Bogot'),
        0xe1,
        ...Buffer.from('</p>'),
      ]),
    );
    expect(western.encoding).toBe('windows-1252');
    expect(western.text).toContain('\u201cSe busca\u201d \u2013 más info');
  });

  it('reads a GBK CSV as Chinese with a warning, or as --encoding says', async () => {
    const body = Buffer.concat([Buffer.from('title,description\nTypist,'), Buffer.from(samples.gb18030!, 'hex'), Buffer.from('\n')]);
    const file = writeInput(dir, 'gbk.csv', body);
    const [guessed] = postings(await readAllItems([file]));
    expect(guessed!.fields.description).toBe('柬埔寨西港高薪打字员，包机票，联系飞机');
    expect(guessed!.warnings?.map((w) => w.code)).toContain('ENCODING_GUESSED');
    const [declared] = postings(await readAllItems([file], { encoding: 'gbk' }));
    expect(declared!.fields.description).toBe('柬埔寨西港高薪打字员，包机票，联系飞机');
    expect(declared!.warnings ?? []).toEqual([]);
  });
});

describe('bad bytes', () => {
  it('refuses binary files with a reason', async () => {
    const zip = writeInput(dir, 'sheet.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 0, 0, 0]));
    const zipped = errors(await readAllItems([zip]))[0]!.error;
    expect(zipped).toMatchObject({ code: 'BINARY_FILE', message: expect.stringContaining('save the sheet as CSV (UTF-8)') });
    expect(zipped.message).not.toMatch(/CSV, not CSV/);
    const noise = writeInput(dir, 'noise.jsonl', Buffer.alloc(4096, 0));
    expect(errors(await readAllItems([noise]))[0]!.error.code).toBe('BINARY_FILE');
  });

  it('names packed and columnar files it does not read, with the one line that reads them', async () => {
    const cases: Array<[string, number[], RegExp]> = [
      ['dump.jsonl.zst', [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0], /zstd-compressed.*`zstd -dc \S*dump\.jsonl\.zst \| lurescan scan - --input-format jsonl`/],
      ['dump.csv.bz2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59], /bzip2-compressed.*`bzip2 -dc \S*dump\.csv\.bz2 \| lurescan scan - --input-format csv`/],
      ['dump.jsonl.xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0], /xz-compressed.*`xz -dc \S*dump\.jsonl\.xz/],
      ['verdicts.dat', [0x50, 0x41, 0x52, 0x31, 0, 0, 0, 0], /a Parquet file.*duckdb/],
    ];
    for (const [name, bytes, message] of cases) {
      const [error] = errors(await readAllItems([writeInput(dir, name, Buffer.from(bytes))]));
      expect(error!.error.code).toBe('BINARY_FILE');
      expect(error!.error.message).toMatch(message);
    }
  });

  it('scans text with invalid UTF-8 and stray NUL bytes, with warnings', async () => {
    const bytes = Buffer.concat([Buffer.from('title,description\nCSR,"Poipet '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(' job\u0000 here"\n')]);
    const [posting] = postings(await readAllItems([writeInput(dir, 'bad-utf8.csv', bytes)]));
    expect(posting!.fields.description).toContain('Poipet');
    expect(posting!.warnings?.map((w) => w.code)).toEqual(['INVALID_UTF8', 'NUL_BYTES']);
  });

  it('reads gzip and UTF-16', async () => {
    const gz = writeInput(dir, 'a.jsonl.gz', gzipSync('{"title":"zipped"}\n'));
    expect(postings(await readAllItems([gz]))[0]!.fields.title).toBe('zipped');
    const utf16 = writeInput(dir, 'u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('title\n西港\n', 'utf16le')]));
    expect(postings(await readAllItems([utf16]))[0]!.fields.title).toBe('西港');
  });
});

describe('files, folders and stdin', () => {
  it('reads saved pages and text files', async () => {
    const html = writeInput(
      dir,
      'page.html',
      '<!doctype html><html><head><title>CSR job</title><style>p{}</style></head><body><nav>Home | Jobs</nav><main><h1>CSR</h1><p>Work in Bavet &amp; free visa</p></main><footer>(c) board</footer><script>track()</script></body></html>',
    );
    const [page] = postings(await readAllItems([html]));
    expect(page!.fields.title).toBe('CSR job');
    expect(page!.fields.description).toBe('CSR\nWork in Bavet & free visa');
    const txt = writeInput(dir, 'ad.txt', 'Typist wanted\nGood pay, Telegram @x\n');
    expect(postings(await readAllItems([txt]))[0]!.fields).toMatchObject({ title: 'Typist wanted' });
  });

  it('walks folders in name order, skipping hidden files and reporting unknown types', async () => {
    const folder = tempDir('lurescan-folder-');
    writeInput(folder, 'b.txt', 'second');
    writeInput(folder, 'a.txt', 'first');
    writeInput(folder, '.hidden.txt', 'never');
    writeInput(folder, 'notes.docx', 'x');
    const items = await readAllItems([folder]);
    expect(items.map((i) => (i.kind === 'posting' ? i.posting.fields.description : i.record.error.code))).toEqual(['first', 'second', 'UNSUPPORTED_FORMAT']);
    const notes = items.find((i) => i.kind === 'error');
    expect(notes!.kind === 'error' && notes!.record.error.message).toContain('save it as plain text (.txt)');
  });

  it('fails fast on a folder with nothing to read', async () => {
    const empty = tempDir('lurescan-empty-');
    await expect(readAllItems([empty])).rejects.toMatchObject({ code: 'INPUT_EMPTY' });
    writeInput(empty, '.only-hidden.csv', 'title\nx\n');
    await expect(readAllItems([empty])).rejects.toMatchObject({ code: 'INPUT_EMPTY' });
  });

  it('fails fast on a missing input', async () => {
    await expect(readAllItems([`${dir}/missing.csv`])).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
  });

  it('reads each extension of the format registry as that format, and the README lists them', () => {
    const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Input formats'), readme.indexOf('**Limits.**'));
    for (const [format, extensions] of Object.entries(INPUT_FORMAT_EXTENSIONS) as [InputFormat, readonly string[]][]) {
      for (const extension of extensions) {
        expect(formatFromName(`ads${extension}`), extension).toBe(format);
        expect(formatFromName(`ads${extension.toUpperCase()}.gz`), `${extension}.gz`).toBe(format);
        expect(table, `README's input table names ${extension}`).toContain(`\`${extension}\``);
      }
    }
    expect(formatFromName('ads.xlsx')).toBeUndefined();
  });

  it('sniffs the format of stdin', async () => {
    expect(sniffFormat('{"a":1}\n{"a":2}')).toBe('jsonl');
    expect(sniffFormat('  [{"a":1}]')).toBe('json');
    expect(sniffFormat('<!DOCTYPE html><p>x')).toBe('html');
    // The same test as a fetched or archived body's (input/media-type.ts): a page that starts with its <title> is HTML.
    expect(sniffFormat('<title>Typist, Sihanoukville</title>\n<p>free visa, contact on Telegram</p>')).toBe('html');
    expect(sniffFormat('title\tdescription\nx\ty')).toBe('tsv');
    expect(sniffFormat('title,description\nx,y')).toBe('csv');
    // One line with commas and nothing under it is an ad, not a CSV header.
    expect(sniffFormat('Typing job in Bavet, free visa, Telegram @hr\n')).toBe('txt');
    const ad = Readable.from([Buffer.from('Typing job in Bavet, free visa, Telegram @hr\n')]);
    expect(postings(await readAllItems(['-'], { stdin: ad }))[0]!.fields.title).toBe('Typing job in Bavet, free visa, Telegram @hr');
    const stdin = Readable.from([Buffer.from('{"title":"from stdin"}\n')]);
    expect(postings(await readAllItems(['-'], { stdin }))[0]).toMatchObject({ id: '-:1', fields: { title: 'from stdin' } });
  });
});
