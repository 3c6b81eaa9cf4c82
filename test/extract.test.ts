// Page extraction on saved pages we wrote (fixtures/pages) and on inline cases: JSON-LD in its many
// shapes, microdata, Telegram channel previews, visible text, charsets, and WARC files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePage, declaredCharset } from '../src/input/charset.js';
import { extractPage } from '../src/input/pages/page.js';
import { parseLenient, repairJson } from '../src/input/pages/repair.js';
import type { ErrorRecord, Posting, ReadItem } from '../src/types.js';
import { readAllItems, tempDir, writeInput } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const pages = path.join(root, 'fixtures/pages');
const fixture = (name: string): Buffer => readFileSync(path.join(pages, name));
const postings = (items: ReadItem[]): Posting[] => items.flatMap((i) => (i.kind === 'posting' ? [i.posting] : []));
const errors = (items: ReadItem[]): ErrorRecord[] => items.flatMap((i) => (i.kind === 'error' ? [i.record] : []));

describe('JSON-LD', () => {
  it('follows @graph references and flattens organisation, place, salary and contact', async () => {
    const page = await extractPage(fixture('forced-criminality-jsonld-graph-kk-typist.html').toString('utf8'));
    expect(page.method).toBe('json-ld');
    expect(page.postings).toHaveLength(1);
    const [job] = page.postings;
    expect(job).toMatchObject({
      title: 'Chinese-English Typist (Overseas, Free Flight)',
      company: 'Golden Triangle Digital Co., Ltd.',
      location: 'Myawaddy, Kayin State, Myanmar',
      salary: 'USD 1,200 - 3,000 / month',
      url: 'https://jobs.example.org/listing/88231-typist-overseas',
      employmentType: 'FULL_TIME',
    });
    expect(job!.contact).toContain('Telegram @gtd_hr_amy');
    expect(job!.contact).toContain('hr.goldentriangle@gmail.com');
    // The description was HTML escaped once more (&lt;p&gt;); it comes out as plain lines.
    expect(job!.description).toMatch(/^Typist \/ Customer Service for a fast-growing online company/);
    expect(job!.description).toContain('\nFree flight ticket to Bangkok');
    expect(job!.description).not.toMatch(/[<>]|&lt;/);
  });

  it('reads single objects, arrays, ItemLists and @graph alike', async () => {
    const job = (title: string) => ({ '@type': 'JobPosting', title, description: `About ${title}` });
    const shapes = [
      job('one'),
      [job('one'), job('two')],
      { '@context': 'https://schema.org', '@graph': [{ '@type': 'WebSite', name: 'x' }, job('one'), job('two')] },
      {
        '@type': 'ItemList',
        itemListElement: [
          { '@type': 'ListItem', item: job('one') },
          { '@type': 'ListItem', item: job('two') },
        ],
      },
      { '@type': ['JobPosting', 'Thing'], title: 'one', description: 'About one' },
      { '@type': 'http://schema.org/JobPosting', title: 'one', description: 'About one' },
    ];
    const counts = [];
    for (const shape of shapes) {
      const page = await extractPage(
        `<html><head><script type="application/ld+json">${JSON.stringify(shape)}</script></head><body><p>page text</p></body></html>`,
      );
      expect(page.postings[0]).toMatchObject({ title: 'one', description: 'About one' });
      counts.push(page.postings.length);
    }
    expect(counts).toEqual([1, 2, 2, 2, 1, 1]);
  });

  it('counts the same posting described twice once', async () => {
    const block = JSON.stringify({ '@type': 'JobPosting', title: 'Typist', description: 'Poipet' });
    const page = await extractPage(`<script type="application/ld+json">${block}</script><script type="application/ld+json">${block}</script>`);
    expect(page.postings).toHaveLength(1);
  });

  it('repairs the JSON that templates break, and says so', async () => {
    const page = await extractPage(fixture('forced-criminality-jsonld-malformed.html').toString('utf8'));
    expect(page.method).toBe('json-ld');
    expect(page.postings[0]).toMatchObject({
      title: 'Customer Support Agent (Thai / English)',
      company: 'Bright Future Trading',
      location: 'Poipet, Cambodia',
    });
    expect(page.postings[0]!.description).toContain('Cross the border at Poipet with a tourist visa');
    expect(page.warnings.map((w) => w.code)).toEqual(['JSONLD_REPAIRED']);
  });

  it('falls back to the page text when a JobPosting block cannot be read, and reports it', async () => {
    const page = await extractPage(
      '<html><head><title>CSR</title><script type="application/ld+json">{"@type": "JobPosting", "title": </script></head><body><main><p>Work in Bavet, Telegram @hr</p></main></body></html>',
    );
    expect(page.method).toBe('text');
    expect(page.postings[0]).toMatchObject({ title: 'CSR', description: 'Work in Bavet, Telegram @hr' });
    expect(page.warnings.map((w) => w.code)).toEqual(['JSONLD_REPAIRED']);
    const broken = await extractPage('<script type="application/ld+json">{"@type": "JobPosting" "title" "x" ::: }}}</script>');
    expect(broken.postings).toEqual([]);
    expect(broken.warnings.map((w) => w.code)).toEqual(['EXTRACT_JSONLD']);
  });

  it('repairs JSON token by token, never inside strings', () => {
    expect(parseLenient('{"a": "line\nbreak, }", "b": [1, 2,],}')).toEqual({ value: { a: 'line\nbreak, }', b: [1, 2] }, repaired: true });
    expect(parseLenient("<!--\n{'a': 'it\\'s'} // note\n-->")).toEqual({ value: { a: "it's" }, repaired: true });
    expect(parseLenient('{"a": 1}\n{"b": 2}')).toEqual({ value: [{ a: 1 }, { b: 2 }], repaired: true });
    expect(parseLenient('[{"a": 1} {"b": 2}]')).toEqual({ value: [{ a: 1 }, { b: 2 }], repaired: true });
    expect(parseLenient('{"a": "C:\\ path", "t": "tab\there"}')).toEqual({ value: { a: 'C:\\ path', t: 'tab\there' }, repaired: true });
    expect(parseLenient('{"a": {"b": "cut sh')).toEqual({ value: { a: { b: 'cut sh' } }, repaired: true });
    expect(parseLenient('{"ok": true}')).toEqual({ value: { ok: true }, repaired: false });
    expect('error' in parseLenient('{"a" 1 2 3')).toBe(true);
    expect(repairJson('{"url": "http://x/y"}')).toBe('{"url": "http://x/y"}');
  });
});

describe('microdata', () => {
  it('reads nested items and element values as the standard defines them', async () => {
    const page = await extractPage(fixture('employment-fraud-microdata-reshipping.html').toString('utf8'));
    expect(page.method).toBe('microdata');
    expect(page.postings[0]).toMatchObject({
      title: 'Package Inspector – Work from Home',
      company: 'Global Parcel Logistics LLC',
      location: 'Remote, US',
      salary: 'USD 30 / item',
    });
    expect(page.postings[0]!.description).toMatch(/^Receive packages at your home address.*\nEarn \$30 for every package/s);
    const legit = await extractPage(fixture('legit-microdata-warehouse.html').toString('utf8'));
    expect(legit.postings[0]).toMatchObject({
      company: 'Riverside Distribution Center',
      location: 'Columbus, OH',
      salary: 'USD 19.50 per hour',
      employmentType: 'FULL_TIME',
    });
  });
});

describe('Telegram channel previews', () => {
  it('gives one posting per message with text, skipping photos and quoted replies', async () => {
    const page = await extractPage(fixture('mixed-telegram-channel-preview.html').toString('utf8'), 'https://t.me/s/overseas_jobs_hiring_2025');
    expect(page.method).toBe('telegram');
    expect(page.postings.map((p) => p.url)).toEqual([101, 103, 104, 105].map((n) => `https://t.me/overseas_jobs_hiring_2025/${n}`));
    const [first, second, third] = page.postings;
    expect(first).toMatchObject({ title: '🔥 URGENT HIRING – CUSTOMER SERVICE (ENGLISH) 🔥', company: 'Overseas Jobs Hiring 2025' });
    expect(first!.description!.split('\n')).toHaveLength(7);
    expect(second!.forwardedFrom).toBe('KK Recruit Team');
    expect(third!.description).toMatch(/^Part-time online job/);
    expect(third!.description).not.toContain('URGENT HIRING');
  });
});

describe('visible text', () => {
  it('leaves out scripts, styles, navigation, site header and footer, but keeps an article header', async () => {
    const page = await extractPage(
      '<html><head><title>T</title><style>p{}</style></head><body><header><nav>Home</nav>Site banner</header><main><article><header><h1>Typist</h1></header><p>Free <b>visa</b>,<br>Telegram @x</p><div hidden>secret</div><table><tr><td>Pay</td><td>USD 900</td></tr></table></article></main><footer>(c)</footer><script>x()</script></body></html>',
    );
    expect(page.postings[0]).toEqual({ title: 'T', description: 'Typist\nFree visa,\nTelegram @x\nPay USD 900' });
  });

  it('takes the title from OpenGraph, then <title>, then the first heading; the description from meta tags on an empty page', async () => {
    expect((await extractPage('<meta property="og:title" content="OG"><title>Doc</title><h1>H</h1><p>x</p>')).postings[0]!.title).toBe('OG');
    expect((await extractPage('<h1>Heading</h1><p>x</p>')).postings[0]!.title).toBe('Heading');
    const empty = await extractPage(
      '<html><head><title>Job</title><meta name="description" content="Work in Poipet"></head><body><script>app()</script></body></html>',
    );
    expect(empty.postings[0]).toEqual({ title: 'Job', description: 'Work in Poipet' });
    expect((await extractPage('<html><body><script>x</script></body></html>')).postings).toEqual([]);
  });

  it('survives pathological nesting', async () => {
    const deep = `${'<div>'.repeat(5000)}Poipet${'</div>'.repeat(5000)}`;
    expect((await extractPage(deep)).postings[0]!.description).toBe('Poipet');
  });
});

describe('charsets', () => {
  it('finds <meta charset>, http-equiv and XML declarations', () => {
    expect(declaredCharset(Buffer.from('<meta charset="gbk">'))).toBe('gbk');
    expect(declaredCharset(Buffer.from("<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=Shift_JIS'>"))).toBe('Shift_JIS');
    expect(declaredCharset(Buffer.from('<?xml version="1.0" encoding="big5"?><html>'))).toBe('big5');
    expect(declaredCharset(Buffer.from('<meta name="x" content="charset=nope">'))).toBeUndefined();
  });

  it('decodes by BOM, header, page declaration, or a guess, warning when something is off', () => {
    const text = '招聘 客服';
    expect(decodePage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).text).toBe(text);
    const gbk = fixture('forced-criminality-gbk-xigang.html');
    expect(decodePage(gbk).encoding).toBe('gbk');
    expect(decodePage(gbk, 'text/html; charset=gb2312').encoding).toBe('gbk');
    const thai = decodePage(fixture('forced-criminality-tis620-myawaddy.html'));
    expect(thai.encoding).toBe('windows-874');
    expect(thai.text).toContain('เมียวดี');
    const cp1252 = decodePage(Buffer.from([0x93, 0x68, 0x69, 0x94, 0x20, 0x80, 0x35]));
    expect(cp1252).toMatchObject({ text: '“hi” €5', encoding: 'windows-1252' });
    expect(cp1252.warnings.map((w) => w.code)).toEqual(['CHARSET_GUESSED']);
    const unknown = decodePage(Buffer.from('<p>ok</p>'), 'text/html; charset=x-klingon');
    expect(unknown).toMatchObject({ text: '<p>ok</p>', encoding: 'utf-8' });
    expect(unknown.warnings.map((w) => w.code)).toEqual(['UNKNOWN_CHARSET']);
    const apache = decodePage(Buffer.from('<p>Café in Poipet – 西港</p>'), 'text/html; charset=ISO-8859-1');
    expect(apache).toMatchObject({ text: '<p>Café in Poipet – 西港</p>', encoding: 'utf-8' });
    expect(apache.warnings.map((w) => w.code)).toEqual(['CHARSET_MISMATCH']);
    const damaged = decodePage(Buffer.concat([Buffer.from('Poipet café '), Buffer.from([0xc3, 0x28])]));
    expect(damaged.encoding).toBe('utf-8');
    expect(damaged.warnings.map((w) => w.code)).toEqual(['INVALID_UTF8']);
  });
});

describe('saved pages and WARC files through the readers', () => {
  it('reads every fixture page; a page with several postings gives file#1, file#2, ...', async () => {
    const items = await readAllItems([pages]);
    expect(errors(items)).toEqual([]);
    const ids = postings(items).map((p) => path.basename(p.id));
    expect(ids.filter((id) => id.startsWith('mixed-listing'))).toEqual([1, 2, 3, 4].map((n) => `mixed-listing-jsonld-itemlist.html#${n}`));
    const listing = postings(items).find((p) => p.id.endsWith('mixed-listing-jsonld-itemlist.html#2'))!;
    expect(listing.source).toEqual({ file: path.relative(process.cwd(), path.join(pages, 'mixed-listing-jsonld-itemlist.html')), index: 2 });
    const gbk = postings(items).find((p) => p.id.endsWith('gbk-xigang.html'))!;
    expect(gbk.fields.title).toBe('【西港】高薪招聘客服 包机票 包吃住 - 东南亚同城网');
    const cancun = postings(items).find((p) => p.id.endsWith('cancun.html'))!;
    expect(cancun.fields.title).toBe('Recepcionista de hotel – Cancún | Empleos Caribe');
  });

  it('reads gzipped pages and reports binary ones', async () => {
    const dir = tempDir('lurescan-pages-');
    writeInput(dir, 'a.html.gz', gzipSync(fixture('forced-criminality-gbk-xigang.html')));
    writeInput(dir, 'b.html', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3]));
    writeInput(dir, 'c.html', '');
    const items = await readAllItems([dir]);
    expect(postings(items)[0]!.fields.description).toContain('西港');
    expect(errors(items).map((e) => e.error.code)).toEqual(['BINARY_FILE', 'EMPTY_FILE']);
  });

  it('reads a WARC record by record: archived pages only, encodings undone', async () => {
    const items = await readAllItems([path.join(root, 'fixtures/warc/sample-crawl.warc.gz')]);
    expect(errors(items)).toEqual([]);
    expect(postings(items).map((p) => p.id)).toEqual([
      'https://jobs.example.org/listing/88231-typist-overseas',
      'https://careers.example.ph/jobs/cs-associate-night',
      ...[1, 2, 3, 4].map((n) => `https://t.me/s/overseas_jobs_hiring_2025#${n}`),
      'https://forum.example.cn/thread/7731',
    ]);
    const [gzipped, chunked] = postings(items);
    expect(gzipped!.source).toEqual({ file: 'fixtures/warc/sample-crawl.warc.gz', url: 'https://jobs.example.org/listing/88231-typist-overseas' });
    expect(gzipped!.fields.company).toBe('Golden Triangle Digital Co., Ltd.');
    expect(chunked!.fields.company).toBe('Northwind Contact Solutions Philippines Inc.');
    expect(postings(items).at(-1)!.fields.description).toContain('柬埔寨西哈努克港');
  });

  it('reports a file that is not a WARC, and one with no pages', async () => {
    const dir = tempDir('lurescan-warc-');
    writeInput(dir, 'bad.warc', 'hello, this is not an archive\r\n\r\n');
    writeInput(dir, 'empty.warc.gz', gzipSync(''));
    const items = await readAllItems([path.join(dir, 'bad.warc'), path.join(dir, 'empty.warc.gz')]);
    expect(errors(items).map((e) => e.error.code)).toEqual(['WARC_FORMAT', 'EMPTY_FILE']);
    expect(errors(items)[0]!.error.message).toMatch(/bad\.warc: it is not a WARC file/);
  });
});

describe('Common Crawl WET files', () => {
  /** One WARC record: headers, a blank line, the body, two line ends. */
  const record = (headers: Record<string, string>, body: string): Buffer => {
    const content = Buffer.from(body, 'utf8');
    const head = Object.entries({ ...headers, 'Content-Length': String(content.length) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    return Buffer.concat([Buffer.from(`WARC/1.0\r\n${head}\r\n`), content, Buffer.from('\r\n\r\n')]);
  };

  it("read each conversion record as one posting with its page's URL, the first line its title", async () => {
    const dir = tempDir('lurescan-wet-');
    const wet = Buffer.concat([
      record({ 'WARC-Type': 'warcinfo', 'WARC-Record-ID': '<urn:uuid:1>', 'Content-Type': 'application/warc-fields' }, 'software: test\r\n'),
      record(
        { 'WARC-Type': 'conversion', 'WARC-Target-URI': 'https://jobs.example/ad/1', 'WARC-Record-ID': '<urn:uuid:2>', 'Content-Type': 'text/plain' },
        'Customer service (English), Sihanoukville\nFree flight and visa, $1,800 a month, no experience, contact Telegram @hr_kh',
      ),
      record(
        { 'WARC-Type': 'conversion', 'WARC-Target-URI': 'https://jobs.example/ad/2', 'WARC-Record-ID': '<urn:uuid:3>', 'Content-Type': 'text/plain' },
        'Staff nurse\nWard nurse for a city hospital, day shifts.',
      ),
    ]);
    const file = writeInput(dir, 'CC-MAIN-sample.warc.wet.gz', gzipSync(wet));
    const items = await readAllItems([file]);
    expect(errors(items)).toEqual([]);
    expect(postings(items).map((p) => [p.fields.title, p.fields.url, p.source.url])).toEqual([
      ['Customer service (English), Sihanoukville', 'https://jobs.example/ad/1', 'https://jobs.example/ad/1'],
      ['Staff nurse', 'https://jobs.example/ad/2', 'https://jobs.example/ad/2'],
    ]);
  });
});
