// Fetching against a server on 127.0.0.1 started here: every kind of failure becomes an error record
// naming the URL and the cause, and the other URLs are read all the same, in input order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshUntil } from '../src/input/web/cache.js';
import { retryAfterMs } from '../src/input/web/client.js';
import { parseFetchFlags, parseSize } from '../src/cli/flags.js';
import type { FetchOptions } from '../src/input/web/options.js';
import { parseRobots } from '../src/input/web/robots.js';
import type { ErrorRecord, Posting, ReadItem } from '../src/types.js';
import { startServer, type TestServer } from './fetch-server.js';
import { readAllItems, tempDir } from './helpers.js';

const FAST: Partial<FetchOptions> = { delayMs: 0, backoffMs: 20, timeoutMs: 5000, retries: 2 };

const postings = (items: ReadItem[]): Posting[] => items.flatMap((i) => (i.kind === 'posting' ? [i.posting] : []));
const errors = (items: ReadItem[]): ErrorRecord[] => items.flatMap((i) => (i.kind === 'error' ? [i.record] : []));

let server: TestServer;
const url = (path: string): string => `${server.base}${path}`;
const read = (paths: string[], fetch: Partial<FetchOptions> = {}) => readAllItems(paths.map(url), { fetch: { ...FAST, ...fetch } });

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('fetching pages', () => {
  it('extracts a structured page, names the tool in the User-Agent and keeps the URL as id and source', async () => {
    const items = await read(['/job.html']);
    expect(errors(items)).toEqual([]);
    const [job] = postings(items);
    expect(job).toMatchObject({
      id: url('/job.html'),
      source: { url: url('/job.html') },
      fields: {
        title: 'Chinese-English Typist (Overseas, Free Flight)',
        company: 'Golden Triangle Digital Co., Ltd.',
        location: 'Myawaddy, Kayin State, Myanmar',
      },
    });
    expect(server.headers.get('/job.html')![0]!['user-agent']).toMatch(/^lurescan\/\d/);
    expect(server.hits.get('/robots.txt')).toBe(1);
  });

  it('gives one record per posting on a listing page or a channel preview, ids url#1, url#2', async () => {
    const items = await read(['/listing.html', '/s/channel']);
    expect(items.map((i) => (i.kind === 'posting' ? i.posting.id : i.record.id))).toEqual([
      ...[1, 2, 3, 4].map((n) => `${url('/listing.html')}#${n}`),
      ...[1, 2, 3, 4].map((n) => `${url('/s/channel')}#${n}`),
    ]);
    // Relative JobPosting links resolve against the page's address.
    expect(postings(items)[0]!.fields.url).toBe(url('/job/5001'));
    expect(postings(items)[0]!.source).toEqual({ url: url('/listing.html'), index: 1 });
  });

  it('unpacks gzip, deflate and brotli', async () => {
    const items = await read(['/gzip.html', '/deflate.html', '/br.html']);
    expect(errors(items)).toEqual([]);
    for (const posting of postings(items)) expect(posting.fields.description).toContain('Sihanoukville');
    expect(server.headers.get('/gzip.html')![0]!['accept-encoding']).toMatch(/gzip/);
  });

  it('reads JSON-LD, JSON APIs and plain text bodies', async () => {
    const items = await read(['/ld.json', '/api.json', '/ad.txt']);
    expect(errors(items)).toEqual([]);
    const [ld, a1, a2, txt] = postings(items);
    expect(ld!.fields).toMatchObject({ title: 'Chat agent', description: 'Work in Myawaddy, free flight, Telegram HR', location: 'Myawaddy' });
    expect([a1!.id, a2!.id]).toEqual(['A-1', 'A-2']);
    expect(a1!.source).toMatchObject({ url: url('/api.json') });
    expect(txt!.fields.title).toBe('Typist wanted');
  });

  it('follows redirects and reports loops and long chains', async () => {
    const items = await read(['/redirect/1', '/loop/a', '/chain/0']);
    const [ok] = postings(items);
    expect(ok!.id).toBe(url('/redirect/1'));
    expect(ok!.fields.url).toBe(url('/plain.html'));
    const [loop, chain] = errors(items);
    expect(loop).toMatchObject({ id: url('/loop/a'), source: { url: url('/loop/a') }, error: { code: 'FETCH_REDIRECTS' } });
    expect(loop!.error.message).toMatch(/redirect loop/);
    expect(chain!.error.code).toBe('FETCH_REDIRECTS');
    expect(chain!.error.message).toMatch(/more than 5 redirects/);
    expect(server.hits.get('/chain/5')).toBe(1);
    expect(server.hits.get('/chain/6')).toBeUndefined();
  });

  it('retries a connection dropped halfway through the body', async () => {
    const items = await read(['/drop']);
    expect(errors(items)).toEqual([]);
    expect(server.hits.get('/drop')).toBe(2);
  });

  it('refuses oversized bodies, declared or not, and decompression bombs', async () => {
    const items = await read(['/huge', '/huge-declared', '/gzip-bomb'], { maxBodyBytes: 1024 * 1024 });
    const codes = errors(items).map((e) => e.error.code);
    expect(codes).toEqual(['FETCH_TOO_LARGE', 'FETCH_TOO_LARGE', 'FETCH_TOO_LARGE']);
    expect(errors(items)[2]!.error.message).toMatch(/1 MB limit once decompressed/);
  });

  it('refuses binary bodies, by Content-Type or by content', async () => {
    const items = await read(['/binary', '/binary-as-html']);
    const [typed, sniffed] = errors(items);
    expect(typed).toMatchObject({ error: { code: 'FETCH_CONTENT_TYPE' } });
    expect(typed!.error.message).toMatch(/application\/octet-stream/);
    expect(sniffed).toMatchObject({ error: { code: 'FETCH_CONTENT_TYPE' } });
    expect(sniffed!.error.message).toMatch(/PNG image/);
  });

  it("decodes by the header charset or the page's own, and survives a bad one", async () => {
    const items = await read(['/gbk', '/gbk-no-header-charset', '/bad-charset', '/mislabelled']);
    expect(errors(items)).toEqual([]);
    const [gbk, meta, bad, mislabelled] = postings(items);
    expect(gbk!.fields.description).toContain('柬埔寨西哈努克港');
    expect(meta!.fields.description).toContain('柬埔寨西哈努克港');
    expect(bad!.fields.description).toContain('Poipet');
    expect(bad!.warnings?.map((w) => w.code)).toContain('UNKNOWN_CHARSET');
    expect(mislabelled!.fields.title).toBe('Recepcionista de hotel – Cancún | Empleos Caribe');
    expect(mislabelled!.warnings?.map((w) => w.code)).toContain('CHARSET_MISMATCH');
  });

  it('honours robots.txt unless told not to', async () => {
    const [blocked] = errors(await read(['/private/secret.html']));
    expect(blocked).toMatchObject({ error: { code: 'FETCH_ROBOTS' } });
    expect(blocked!.error.message).toMatch(/disallows.*--ignore-robots/);
    expect(server.hits.get('/private/secret.html')).toBeUndefined();
    expect(postings(await read(['/private/secret.html'], { ignoreRobots: true }))).toHaveLength(1);
  });

  it('treats a site whose robots.txt answers 5xx as disallowed (RFC 9309)', async () => {
    const down = await startServer('503');
    try {
      const items = await readAllItems([`${down.base}/job.html`], { fetch: { ...FAST, retries: 1 } });
      expect(errors(items)[0]!.error.code).toBe('FETCH_ROBOTS');
      expect(errors(items)[0]!.error.message).toMatch(/robots\.txt .* could not be fetched \(HTTP 503/);
      expect(down.hits.get('/job.html')).toBeUndefined();
    } finally {
      await down.close();
    }
  });

  it('reports network errors, bad URLs and empty bodies, and keeps input order', async () => {
    const items = await readAllItems(['http://127.0.0.1:1/nothing-listens', url('/empty'), url('/plain.html')], { fetch: FAST });
    expect(items.map((i) => (i.kind === 'posting' ? 'ok' : i.record.error.code))).toEqual(['FETCH_NETWORK', 'NO_POSTINGS', 'ok']);
    expect(errors(items)[0]!.error.message).toMatch(/connection refused/);
  });

  it('fetches a URL listed twice once, and gives both records', async () => {
    const items = await read(['/busy/twice', '/busy/twice']);
    expect(postings(items).map((p) => p.id)).toEqual([url('/busy/twice'), url('/busy/twice')]);
    expect(server.hits.get('/busy/twice')).toBe(1);
  });

  // The three tests below wait on the server or a timer for most of their time (a Retry-After of 1 s,
  // responses held back for 4 s against a 0.6 s time-out, requests held 150 ms and spaced 150 ms):
  // they run side by side. Each reads its own paths, and none asserts an upper bound on time.
  it.concurrent('reports HTTP errors, retries 5xx and 429 with backoff and Retry-After', async () => {
    const items = await read(['/missing', '/flaky', '/always-503', '/rate']);
    expect(items.map((i) => (i.kind === 'posting' ? 'ok' : i.record.error.code))).toEqual(['FETCH_HTTP_STATUS', 'ok', 'FETCH_HTTP_STATUS', 'ok']);
    const [missing, always] = errors(items);
    expect(missing!.error.message).toBe(`${url('/missing')}: HTTP 404 Not Found`);
    expect(always!.error.message).toMatch(/HTTP 503 Service Unavailable \(gave up after 2 retries\)/);
    expect(server.hits.get('/missing')).toBe(1);
    expect(server.hits.get('/flaky')).toBe(2);
    expect(server.hits.get('/always-503')).toBe(3);
    const [first, second] = server.times.get('/rate')!;
    expect(second! - first!).toBeGreaterThanOrEqual(900);
  });

  it.concurrent('times out a slow response, whether the headers or the body are slow', async () => {
    // Both answers take the server 4 s: a FETCH_TIMEOUT for each shows the client gave up first,
    // without a wall-clock bound that a busy machine could break (the test's time-out guards a hang).
    const items = await read(['/slow-headers', '/slow-body', '/plain.html'], { timeoutMs: 600 });
    const [headers, body] = errors(items);
    expect(headers).toMatchObject({ error: { code: 'FETCH_TIMEOUT' } });
    expect(headers!.error.message).toMatch(/no complete response within 0.6 s/);
    expect(body).toMatchObject({ error: { code: 'FETCH_TIMEOUT' } });
    expect(body!.error.message).toMatch(/reading the body/);
    expect(postings(items)).toHaveLength(1);
  });

  it.concurrent('keeps to the per-host limit and spaces requests by the delay', async () => {
    const paths = [1, 2, 3, 4, 5, 6].map((n) => `/busy/${n}`);
    await read(paths, { perHost: 2, concurrency: 8 });
    expect(server.maxBusy).toBeLessThanOrEqual(2);
    expect(server.maxBusy).toBeGreaterThan(0);
    // Three requests to one host 150 ms apart take at least 300 ms. A lower bound on the client's
    // own elapsed time holds however busy the machine is (the server's arrival stamps did not: a
    // late stamp on the first request made the gap look shorter).
    const delayed = [1, 2, 3].map((n) => `/busy/d${n}`);
    const started = performance.now();
    await read(delayed, { perHost: 4, delayMs: 150 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(delayed.every((p) => server.times.get(p)?.length === 1)).toBe(true);
  });

  it('keeps pages in the cache: fresh ones are not asked for again, others are revalidated', async () => {
    const cacheDir = tempDir('lurescan-cache-');
    const first = await read(['/etag', '/max-age'], { cacheDir });
    const second = await read(['/etag', '/max-age'], { cacheDir });
    expect(postings(second).map((p) => p.fields)).toEqual(postings(first).map((p) => p.fields));
    expect(server.hits.get('/max-age')).toBe(1);
    expect(server.hits.get('/etag')).toBe(2);
    expect(server.headers.get('/etag')![1]!['if-none-match']).toBe('"v1"');
  });
});

describe('fetch building blocks', () => {
  it('parses robots.txt as RFC 9309 says', () => {
    const robots = parseRobots(
      'User-agent: *\nDisallow: /\n\nUser-agent: lurescan\nUser-agent: other\nDisallow: /private\nAllow: /private/ok$\nDisallow: /*.pdf$\nCrawl-delay: 2\n',
      'lurescan',
    );
    expect(robots.allows('/jobs/1')).toBe(true);
    expect(robots.allows('/private/x')).toBe(false);
    expect(robots.allows('/private/ok')).toBe(true);
    expect(robots.allows('/private/ok/more')).toBe(false);
    expect(robots.allows('/files/a.pdf')).toBe(false);
    expect(robots.allows('/files/a.pdf?x=1')).toBe(true);
    expect(robots.crawlDelayMs).toBe(2000);
    const star = parseRobots('User-agent: *\nDisallow: /search\nAllow: /search/jobs\n', 'lurescan');
    expect(star.allows('/search?q=1')).toBe(false);
    expect(star.allows('/search/jobs/7')).toBe(true);
    expect(parseRobots('', 'lurescan').allows('/anything')).toBe(true);
  });

  it('computes freshness from max-age, Expires, Last-Modified, or the lack of validators', () => {
    const at = 1_000_000_000_000;
    expect(freshUntil({ storedAt: at, headers: { 'cache-control': 'max-age=60' } })).toBe(at + 60_000);
    expect(freshUntil({ storedAt: at, headers: { 'cache-control': 'no-cache, max-age=60' } })).toBe(at);
    expect(freshUntil({ storedAt: at, headers: { etag: '"x"' } })).toBe(at);
    expect(freshUntil({ storedAt: at, headers: {} })).toBe(at + 86_400_000);
    const date = new Date(at).toUTCString();
    expect(freshUntil({ storedAt: at, headers: { date, 'last-modified': new Date(at - 100_000).toUTCString() } })).toBe(at + 10_000);
  });

  it('reads Retry-After as seconds or a date, sizes and flags', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(parseSize('10MB', '--max-body')).toBe(10 * 1024 * 1024);
    expect(parseSize('500k', '--max-body')).toBe(512_000);
    expect(() => parseSize('lots', '--max-body')).toThrow(/--max-body must be a size/);
    expect(parseFetchFlags({ timeout: '1.5', concurrency: '3', delay: '0' })).toEqual({ timeoutMs: 1500, concurrency: 3, delayMs: 0 });
    expect(() => parseFetchFlags({ timeout: '0' })).toThrow(/--timeout must be a number of seconds > 0/);
    expect(() => parseFetchFlags({ perHost: 'two' })).toThrow(/--per-host must be a whole number/);
  });
});
