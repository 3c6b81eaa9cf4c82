// The CLI, in-process through main() (runMain), on URLs served by a loopback server, WARC files and
// saved pages: records in input order, an error record per failed URL, a summary that adds up, exit
// codes, option errors.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorRecord, Verdict } from '../src/types.js';
import { startServer, type TestServer } from './fetch-server.js';
import { runMain, tempDir, writeInput, type CliRun, jsonLines } from './helpers.js';

function run(args: string[]): Promise<CliRun> {
  // Rules only: the verdicts below must not move when the shipped model is retrained. No politeness
  // delay on our own loopback server, unless a test sets one. Scored on the calling thread (--jobs 0):
  // fetching is the point here, not the scoring threads.
  const defaults = ['--no-model', '--jobs', '0', ...(args.includes('--delay') ? [] : ['--delay', '0'])];
  return runMain([...args, ...defaults], { env: { NO_COLOR: '1' } });
}

const records = (stdout: string) => jsonLines<Verdict | ErrorRecord>(stdout);
const outcome = (record: Verdict | ErrorRecord): string => ('error' in record ? record.error.code : record.labels.join('+') || 'clean');

function summary(stderr: string): { read: number; scored: number; errors: number } {
  const m = /read (\d+) = scored (\d+) \+ errors (\d+)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { read: Number(m![1]), scored: Number(m![2]), errors: Number(m![3]) };
}

let server: TestServer;
const url = (p: string): string => `${server.base}${p}`;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('lurescan scan <urls...>', () => {
  it('writes records in input order, one error record per failed URL, and a summary that adds up', async () => {
    const inputs = ['/job.html', '/missing', '/slow-headers', '/listing.html', '/binary', '/flaky', '/huge', '/loop/a'].map(url);
    const { code, stdout, stderr } = await run(['scan', ...inputs, 'fixtures/pages/legit-microdata-warehouse.html', '--timeout', '1', '--max-body', '1MB']);
    expect(code).toBe(0);
    const all = records(stdout);
    expect(all.map((r) => r.id)).toEqual([
      url('/job.html'),
      url('/missing'),
      url('/slow-headers'),
      ...[1, 2, 3, 4].map((n) => `${url('/listing.html')}#${n}`),
      url('/binary'),
      url('/flaky'),
      url('/huge'),
      url('/loop/a'),
      'fixtures/pages/legit-microdata-warehouse.html',
    ]);
    expect(all.map(outcome)).toEqual([
      'forced-criminality',
      'FETCH_HTTP_STATUS',
      'FETCH_TIMEOUT',
      'forced-criminality',
      'clean',
      'forced-criminality',
      'clean',
      'FETCH_CONTENT_TYPE',
      'forced-criminality',
      'FETCH_TOO_LARGE',
      'FETCH_REDIRECTS',
      'clean',
    ]);
    for (const record of all.filter((r): r is ErrorRecord => 'error' in r)) {
      expect(record.source.url).toBe(record.id);
      expect(record.error.message.startsWith(record.id)).toBe(true);
    }
    const counts = summary(stderr);
    expect(counts).toEqual({ read: 12, scored: 7, errors: 5 });
  });

  it('reads --urls files, honours --fail-on, and exits 2 when no URL could be read', async () => {
    const dir = tempDir('lurescan-urls-');
    const list = writeInput(dir, 'urls.txt', `# lures to check\n${url('/s/channel')}\n\n${url('/plain.html')}\n`);
    const flagged = await run(['scan', '--urls', list, '--fail-on', 'forced-criminality']);
    expect(flagged.code).toBe(1);
    expect(records(flagged.stdout).map((r) => r.id)).toEqual([...[1, 2, 3, 4].map((n) => `${url('/s/channel')}#${n}`), url('/plain.html')]);
    const broken = writeInput(dir, 'broken.txt', `${url('/missing')}\nnot a url\nftp://example.org/x\n`);
    const none = await run(['scan', '--urls', broken]);
    expect(none.code).toBe(2);
    expect(records(none.stdout).map(outcome)).toEqual(['FETCH_HTTP_STATUS', 'FETCH_BAD_URL', 'FETCH_BAD_URL']);
  });

  it('honours robots.txt unless --ignore-robots, and reuses --cache on a re-run', async () => {
    const blocked = await run(['scan', url('/private/secret.html')]);
    expect(records(blocked.stdout).map(outcome)).toEqual(['FETCH_ROBOTS']);
    const allowed = await run(['scan', url('/private/secret.html'), '--ignore-robots']);
    expect(records(allowed.stdout).map(outcome)).toEqual(['forced-criminality']);

    const cache = path.join(tempDir('lurescan-cli-cache-'), 'pages');
    const first = await run(['scan', url('/max-age'), url('/etag'), '--cache', cache]);
    const second = await run(['scan', url('/max-age'), url('/etag'), '--cache', cache]);
    expect(second.stdout).toBe(first.stdout);
    expect(server.hits.get('/max-age')).toBe(1);
    expect(server.headers.get('/etag')!.at(-1)!['if-none-match']).toBe('"v1"');
  });

  it('reads WARC files and saved pages with several postings', async () => {
    const { code, stdout, stderr } = await run(['scan', 'fixtures/warc/sample-crawl.warc.gz', 'fixtures/pages/mixed-telegram-channel-preview.html']);
    expect(code).toBe(0);
    const all = records(stdout);
    expect(all.map(outcome)).toEqual([
      'forced-criminality',
      'clean',
      'forced-criminality',
      'forced-criminality',
      'employment-fraud',
      'clean',
      'forced-criminality',
      'forced-criminality',
      'forced-criminality',
      'employment-fraud',
      'clean',
    ]);
    expect(all.at(-1)!.id).toBe('fixtures/pages/mixed-telegram-channel-preview.html#4');
    expect(summary(stderr).read).toBe(11);
  });

  it('flags the saved pages we wrote as their names (or, for mixed pages, this test) say', async () => {
    const { stdout } = await run(['scan', 'fixtures/pages']);
    const mixed: Record<string, string> = {
      'mixed-listing-jsonld-itemlist.html#1': 'forced-criminality',
      'mixed-listing-jsonld-itemlist.html#2': 'clean',
      'mixed-listing-jsonld-itemlist.html#3': 'forced-criminality',
      'mixed-listing-jsonld-itemlist.html#4': 'clean',
      'mixed-telegram-channel-preview.html#1': 'forced-criminality',
      'mixed-telegram-channel-preview.html#2': 'forced-criminality',
      'mixed-telegram-channel-preview.html#3': 'employment-fraud',
      'mixed-telegram-channel-preview.html#4': 'clean',
    };
    const all = records(stdout);
    expect(all).toHaveLength(16);
    for (const record of all) {
      const name = path.basename(record.id);
      const expected = mixed[name] ?? (/^legit-/.test(name) ? 'clean' : /^(forced-criminality|employment-fraud)/.exec(name)![1]);
      expect(outcome(record), name).toBe(expected);
    }
  });

  it.each([
    [['--timeout', '0'], /--timeout must be a number of seconds > 0/],
    [['--concurrency', 'lots'], /--concurrency must be a whole number/],
    [['--per-host', '0'], /--per-host must be a whole number from 1/],
    [['--delay', '-5'], /--delay must be a whole number/],
    [['--retries', '1.5'], /--retries must be a whole number/],
    [['--max-body', 'big'], /--max-body must be a size/],
    [['--urls', 'no/such/list.txt'], /--urls no\/such\/list\.txt: no such file/],
  ])('rejects %j with exit 2', async (flags, message) => {
    const { code, stderr } = await run(['scan', 'http://127.0.0.1:1/x', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
