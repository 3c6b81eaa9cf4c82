// Builds fixtures/warc/sample-crawl.warc.gz from the saved pages in fixtures/pages, the way a crawler
// would have archived them: a warcinfo record, request/response pairs (one gzip-encoded, one chunked),
// and the records a scan must pass over (an image, a redirect, a 404, robots.txt, metadata, a revisit).
// Run: node scripts/make-warc-fixture.mjs (needs no build; it uses warcio directly).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { WARCRecord, WARCSerializer } from 'warcio';

const pages = new URL('../fixtures/pages/', import.meta.url);
const out = new URL('../fixtures/warc/sample-crawl.warc.gz', import.meta.url);
const date = '2025-04-12T09:30:00Z';
const page = (name) => readFileSync(new URL(name, pages));

function response(url, body, headers, statusline = 'HTTP/1.1 200 OK') {
  return WARCRecord.create({ url, date, type: 'response', warcVersion: 'WARC/1.1', statusline, httpHeaders: headers }, [body]);
}

function chunked(body) {
  const half = Math.floor(body.length / 2);
  const part = (b) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
  return Buffer.concat([part(body.subarray(0, half)), part(body.subarray(half)), Buffer.from('0\r\n\r\n')]);
}

const records = [
  WARCRecord.createWARCInfo(
    { filename: 'sample-crawl.warc.gz', warcVersion: 'WARC/1.1' },
    { software: 'lurescan fixture builder', format: 'WARC File Format 1.1' },
  ),
  WARCRecord.create(
    {
      url: 'https://jobs.example.org/listing/88231-typist-overseas',
      date,
      type: 'request',
      warcVersion: 'WARC/1.1',
      statusline: 'GET /listing/88231-typist-overseas HTTP/1.1',
      httpHeaders: { Host: 'jobs.example.org', 'User-Agent': 'crawler' },
    },
    [],
  ),
  response('https://jobs.example.org/listing/88231-typist-overseas', gzipSync(page('forced-criminality-jsonld-graph-kk-typist.html')), {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Encoding': 'gzip',
  }),
  response('https://careers.example.ph/jobs/cs-associate-night', chunked(page('legit-jsonld-graph-bpo-manila.html')), {
    'Content-Type': 'text/html',
    'Transfer-Encoding': 'chunked',
  }),
  response('https://t.me/s/overseas_jobs_hiring_2025', page('mixed-telegram-channel-preview.html'), { 'Content-Type': 'text/html; charset=utf-8' }),
  response('https://jobs.example.org/static/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), {
    'Content-Type': 'image/png',
  }),
  response(
    'https://jobs.example.org/old-listing',
    Buffer.alloc(0),
    { Location: 'https://jobs.example.org/listing/88231-typist-overseas' },
    'HTTP/1.1 301 Moved Permanently',
  ),
  response(
    'https://jobs.example.org/listing/gone',
    Buffer.from('<html><body>Not found</body></html>'),
    { 'Content-Type': 'text/html' },
    'HTTP/1.1 404 Not Found',
  ),
  response('https://jobs.example.org/robots.txt', Buffer.from('User-agent: *\nAllow: /\n'), { 'Content-Type': 'text/plain' }),
  response('https://forum.example.cn/thread/7731', page('forced-criminality-gbk-xigang.html'), { 'Content-Type': 'text/html' }),
  WARCRecord.create(
    {
      url: 'https://forum.example.cn/thread/7731',
      date,
      type: 'metadata',
      warcVersion: 'WARC/1.1',
      warcHeaders: { 'Content-Type': 'application/warc-fields' },
    },
    [Buffer.from('outlinks: https://forum.example.cn/\r\n')],
  ),
  WARCRecord.create(
    {
      url: 'https://t.me/s/overseas_jobs_hiring_2025',
      date: '2025-04-13T09:30:00Z',
      type: 'revisit',
      warcVersion: 'WARC/1.1',
      refersToUrl: 'https://t.me/s/overseas_jobs_hiring_2025',
      refersToDate: date,
      warcHeaders: { 'WARC-Profile': 'http://netpreserve.org/warc/1.1/revisit/identical-payload-digest' },
    },
    [],
  ),
];

const parts = [];
for (const record of records) parts.push(await WARCSerializer.serialize(record, { gzip: true }));
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, Buffer.concat(parts));
console.log(`wrote ${out.pathname}: ${records.length} records`);
