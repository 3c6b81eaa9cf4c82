// `lurescan report`: the page's data (counts, ranking, the --max-postings cut, clusters joined to
// verdicts), its escaping of hostile postings and its policy against remote loads, the errors on
// bad input; and the pure pieces (highlighting, record kinds). What the page does in a browser is
// checked in test/process/report-browser.test.ts.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, scriptJson } from '../src/report/html.js';
import { classifyRecord, highlightParts, readClusterRecord } from '../src/report/review.js';
import { Ranked } from '../src/report/top.js';
import { runMain as run, tempDir, writeInput } from './helpers.js';
import { embeddedData, HOSTILE_CLUSTER, HOSTILE_ID, HOSTILE_TITLE, rankOf, reportInputs, type ReportInputs } from './report-fixtures.js';

let inputs: ReportInputs;
let dir: string;
let html: string;

beforeAll(async () => {
  dir = tempDir('lurescan-report-');
  inputs = await reportInputs(dir);
  const out = path.join(dir, 'report.html');
  const result = await run(['report', inputs.verdicts, inputs.contacts, '--clusters', inputs.clusters, '--summary', inputs.summary, '-o', out]);
  expect(result.code, result.stderr).toBe(0);
  html = readFileSync(out, 'utf8');
});

const cardValue = (page: string, id: string): number => Number(new RegExp(`id="${id}" data-value="(\\d+)"`).exec(page)?.[1]);

describe('lurescan report', () => {
  it('counts every record and lists the flagged postings, highest score first', () => {
    const verdicts = inputs.records.filter((r) => r.error === undefined);
    const flagged = verdicts.filter((r) => r.flagged);
    expect(cardValue(html, 'count-read')).toBe(inputs.records.length);
    expect(cardValue(html, 'count-verdicts')).toBe(verdicts.length);
    expect(cardValue(html, 'count-errors')).toBe(1);
    expect(cardValue(html, 'count-flagged')).toBe(flagged.length);
    expect(cardValue(html, 'count-fc')).toBe(flagged.filter((r) => r.labels!.includes('forced-criminality')).length);
    expect(cardValue(html, 'count-ef')).toBe(flagged.filter((r) => r.labels!.includes('employment-fraud')).length);
    const data = embeddedData(html);
    expect(data.postings.map((p) => p.n)).toEqual(flagged.map((_, k) => k + 1));
    expect(data.postings.map((p) => p.score)).toEqual(flagged.map(rankOf).sort((a, b) => b - a));
    expect(data.leftOut).toBe(0);
    // The error record is counted by its code and listed.
    expect(html).toContain('CSV_QUOTES 1');
    // The run summary's rule-set fingerprint.
    const summary = JSON.parse(readFileSync(inputs.summary, 'utf8')) as { ruleset: { fingerprint: string } };
    expect(html).toContain(`<code id="fingerprint">${summary.ruleset.fingerprint}</code>`);
  });

  it('writes the same page byte for byte from the same verdicts when SOURCE_DATE_EPOCH is set', async () => {
    const pages: string[] = [];
    for (const name of ['again-1.html', 'again-2.html']) {
      const out = path.join(dir, name);
      const result = await run(['report', inputs.verdicts, '-o', out], { env: { SOURCE_DATE_EPOCH: '1767225600' } });
      expect(result.code, result.stderr).toBe(0);
      pages.push(readFileSync(out, 'utf8'));
    }
    expect(pages[0]).toBe(pages[1]);
    expect(pages[0]).toContain('2026-01-01T00:00:00Z');
  });

  it('joins cluster members to the verdicts by id and source, or by id alone', () => {
    const data = embeddedData(html);
    const rank = (id: string): number | undefined => data.postings.find((p) => p.id === id)?.n;
    const [first, second, hostile] = data.clusters;
    expect(first!.members).toEqual([
      expect.objectContaining({ id: 'fc-en-hub-001', status: 'listed', n: rank('fc-en-hub-001') }),
      expect.objectContaining({ id: 'contacts-demo-1', status: 'listed', n: rank('contacts-demo-1') }),
      expect.objectContaining({ id: 'fc-en-gone-099', status: 'missing' }),
    ]);
    expect(second!.members.map((m) => m.status)).toEqual(['listed', 'listed', 'not-flagged']);
    expect(hostile!.id).toBe(HOSTILE_CLUSTER);
    expect(hostile!.members.map((m) => m.status)).toEqual(['listed', 'listed']);
    expect(data.postings.find((p) => p.id === 'contacts-demo-2')!.clusters).toEqual([HOSTILE_CLUSTER]);
    expect(data.postings.find((p) => p.id === 'fc-en-hub-001')!.clusters).toEqual(['c-000001']);
  });

  it('keeps hostile text as text: no markup of its own, no raw line separators, nothing it could load', () => {
    // Two scripts only (the data, not executed, and the page's own), whatever the postings hold.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<svg onload/i);
    expect(html).not.toMatch(/[\u2028\u2029]/);
    // Markup in the clusters table is escaped; in the data it survives as the same string.
    expect(html).toContain('c-&lt;/script&gt;&lt;script&gt;alert(7)&lt;/script&gt;');
    const data = embeddedData(html);
    const hostile = data.postings.find((p) => p.id === HOSTILE_ID)!;
    expect(hostile.title).toBe(HOSTILE_TITLE);
    // U+2028 and U+2029 are escaped in the page's source, and the same characters once parsed.
    expect(JSON.stringify(hostile)).toContain('Cambodia.\u2028');
    expect(JSON.stringify(hostile)).toContain('first.\u2029');
    // Nothing remote: the policy allows only this page's own script and style, by hash.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const sha = (text: string): string => createHash('sha256').update(text).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${sha(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha(style)}'`);
    expect(html).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(style).not.toMatch(/url\(|@import|@font-face/);
  });

  it('keeps the --max-postings highest-scoring, says how many were left out, and still counts all', async () => {
    const out = path.join(dir, 'top.html');
    const { code, stderr } = await run(['report', inputs.verdicts, '--max-postings', '10', '--clusters', inputs.clusters, '-o', out]);
    expect(code).toBe(0);
    const page = readFileSync(out, 'utf8');
    const flagged = inputs.scanned.filter((r) => r.flagged);
    const data = embeddedData(page);
    expect(data.postings.map((p) => p.score)).toEqual(
      flagged
        .map(rankOf)
        .sort((a, b) => b - a)
        .slice(0, 10),
    );
    expect(data.leftOut).toBe(flagged.length - 10);
    expect(page).toContain(`id="left-out" data-value="${flagged.length - 10}"`);
    expect(cardValue(page, 'count-flagged')).toBe(flagged.length);
    expect(stderr).toContain(`${flagged.length - 10} left out by --max-postings 10`);
    // Without --summary the counts come from the records, and the page says where the fingerprint is.
    expect(page).toContain('pass <code>--summary</code>');
    // A cluster member flagged but not kept is told apart from one not flagged.
    expect(data.clusters[1]!.members.map((m) => m.status)).toEqual(['left-out', 'left-out', 'not-flagged']);
  });

  it('reads .gz verdict files and standard input', async () => {
    const gz = path.join(dir, 'verdicts.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(inputs.verdicts)));
    const fromGz = await run(['report', gz, '-o', path.join(dir, 'gz.html')]);
    expect(fromGz.code, fromGz.stderr).toBe(0);
    const piped = await run(['report', '-', '-q'], { input: readFileSync(inputs.contacts, 'utf8') });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    expect(embeddedData(piped.stdout).postings.map((p) => p.id)).toEqual(['contacts-demo-1', 'contacts-demo-2']);
    expect(cardValue(readFileSync(path.join(dir, 'gz.html'), 'utf8'), 'count-read')).toBe(inputs.scanned.length);
  });

  it('streams a large verdict file: every record counted, the page holding only the best', async () => {
    const lines: string[] = [];
    const n = 20_000;
    for (let k = 0; k < n; k++) {
      const flagged = k % 4 === 0;
      const score = (k * 7919) % 1000;
      lines.push(
        JSON.stringify({
          id: `big-${k}`,
          source: { file: 'big.jsonl', line: k + 1 },
          posting: { title: `Posting ${k}`, company: '', location: '', url: '' },
          lang: k % 3 === 0 ? 'vi' : 'en',
          flagged,
          labels: flagged ? ['employment-fraud'] : [],
          scores: { 'forced-criminality': 0, 'employment-fraud': score },
          hits: [{ rule: 'EF-X', label: 'employment-fraud', category: 'advance-fee', points: 3, field: 'title', start: 0, end: 7, match: 'Posting' }],
        }),
      );
    }
    const big = writeInput(dir, 'big.jsonl', `${lines.join('\n')}\n`);
    const out = path.join(dir, 'big.html');
    const { code } = await run(['report', big, '--max-postings', '25', '-o', out]);
    expect(code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(cardValue(page, 'count-read')).toBe(n);
    expect(cardValue(page, 'count-flagged')).toBe(n / 4);
    const data = embeddedData(page);
    const best = lines
      .map((line) => JSON.parse(line))
      .filter((v) => v.flagged)
      .map((v) => v.scores['employment-fraud'] as number)
      .sort((a, b) => b - a)
      .slice(0, 25);
    expect(data.postings.map((p) => p.score)).toEqual(best);
    expect(data.leftOut).toBe(n / 4 - 25);
    expect(page.length).toBeLessThan(400_000);
  });

  it('shows the clusters with the most flagged members, and at most 100 members of each', async () => {
    const clusters = Array.from({ length: 503 }, (_, k) => ({
      cluster: `c-${k}`,
      size: k === 7 ? 150 : 2,
      flagged: k,
      members: Array.from({ length: k === 502 ? 150 : 2 }, (_, m) => ({ id: `m-${k}-${m}` })),
    }));
    const file = writeInput(dir, 'many-clusters.jsonl', clusters.map((c) => JSON.stringify(c)).join('\n'));
    const out = path.join(dir, 'many-clusters.html');
    expect((await run(['report', inputs.contacts, '--clusters', file, '-q', '-o', out])).code).toBe(0);
    const page = readFileSync(out, 'utf8');
    const data = embeddedData(page) as unknown as { clusters: Array<{ id: string; members: unknown[]; membersLeftOut: number }> };
    expect(data.clusters).toHaveLength(500);
    expect(data.clusters.map((c) => c.id).slice(0, 2)).toEqual(['c-502', 'c-501']);
    expect(data.clusters[0]!.members).toHaveLength(100);
    expect(data.clusters[0]!.membersLeftOut).toBe(50);
    expect(page).toContain('3 more cluster(s) of 503 not shown');
  });

  it('never writes over a file it reads', async () => {
    const copy = writeInput(dir, 'copy.jsonl', readFileSync(inputs.contacts));
    const { code, stderr } = await run(['report', copy, '-o', copy]);
    expect(code).toBe(2);
    expect(stderr).toContain(`-o ${copy} is one of the files read`);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(inputs.contacts, 'utf8'));
    const clustersAsOut = await run(['report', inputs.contacts, '--clusters', inputs.clusters, '-o', inputs.clusters]);
    expect(clustersAsOut.code).toBe(2);
  });

  it.each([
    ['a missing file', (d: string) => [path.join(d, 'nope.jsonl')], /nope\.jsonl: cannot read it \(no such file\)/],
    [
      'a line that is not JSON',
      (d: string) => [writeInput(d, 'broken.jsonl', `${readFileSync('fixtures/report/contacts.jsonl', 'utf8')}{"id": "x", \n`)],
      /broken\.jsonl line 4 is not JSON/,
    ],
    [
      'postings instead of verdicts',
      () => ['fixtures/postings/asia-multilingual.jsonl'],
      /asia-multilingual\.jsonl line 1 is not a verdict record: it looks like a posting/,
    ],
    ['an empty file', (d: string) => [writeInput(d, 'empty.jsonl', '\n\n')], /empty\.jsonl holds no verdict records/],
    [
      'error records only',
      (d: string) => [writeInput(d, 'errors.jsonl', '{"id":"a.csv:3","source":{"file":"a.csv","row":3},"error":{"code":"CSV_QUOTES","message":"m"}}\n')],
      /no verdict records in .*errors\.jsonl: only 1 error record/,
    ],
    [
      'a summary as verdicts',
      (d: string) => [writeInput(d, 'summary.jsonl', `${JSON.stringify({ read: 1, ruleset: {} })}\n`)],
      /summary\.jsonl line 1 is not a verdict record: it is a run summary: pass the file with --summary/,
    ],
  ])('stops with exit 2 on %s, naming the file', async (_, files, message) => {
    const d = tempDir('lurescan-report-bad-');
    const out = path.join(d, 'out.html');
    const { code, stderr } = await run(['report', ...files(d), '-o', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    // Nothing written, not even a half file.
    expect(() => readFileSync(out)).toThrow();
  });

  it('stops with exit 2 on a bad clusters file, a bad summary, a bad limit or an unwritable target', async () => {
    const d = tempDir('lurescan-report-bad-');
    const badClusters = writeInput(d, 'clusters.jsonl', `${readFileSync('fixtures/report/clusters.jsonl', 'utf8')}{"id":"x"}\n`);
    const clusters = await run(['report', inputs.contacts, '--clusters', badClusters, '-o', path.join(d, 'a.html')]);
    expect(clusters.code).toBe(2);
    expect(clusters.stderr).toMatch(/clusters\.jsonl line 3: it is not a cluster record/);
    const summary = await run(['report', inputs.contacts, '--summary', inputs.contacts, '-o', path.join(d, 'b.html')]);
    expect(summary.code).toBe(2);
    expect(summary.stderr).toMatch(/is not JSON|is not a lurescan summary/);
    const limit = await run(['report', inputs.contacts, '--max-postings', 'lots', '-o', path.join(d, 'c.html')]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--max-postings must be a whole number');
    const folder = await run(['report', inputs.contacts, '-o', path.join(d, 'no/such/folder/r.html')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('does not exist');
  });
});

describe('report pieces', () => {
  it('cuts a field into parts marked by overlapping spans, at UTF-16 offsets past emoji', () => {
    const text = '🔥 Free flight, visa; Telegram @hr';
    const at = (s: string): [number, number] => [text.indexOf(s), text.indexOf(s) + s.length];
    const [a, b] = at('Free flight, visa');
    const [c, d] = at('visa; Telegram');
    const [e, f] = at('@hr');
    const { parts, cut } = highlightParts(text, [
      { start: a, end: b, hit: 0 },
      { start: c, end: d, hit: 1 },
      { start: e, end: f, contact: 0 },
    ]);
    expect(cut).toBe(false);
    expect(parts).toEqual(['🔥 ', { m: 'Free flight, ', h: [0] }, { m: 'visa', h: [0, 1] }, { m: '; Telegram', h: [1] }, ' ', { m: '@hr', c: [0] }]);
    // Spans outside the text are not marked.
    expect(highlightParts('short', [{ start: 2, end: 40, hit: 0 }]).parts).toEqual(['short']);
  });

  it('keeps the start of a very long field and the text around its evidence, never half an emoji', () => {
    const text = `${'a'.repeat(10_000)}😀MATCH${'b'.repeat(30_000)}`;
    const start = text.indexOf('MATCH');
    const { parts, cut } = highlightParts(text, [{ start, end: start + 5, hit: 0 }], 20_000);
    expect(cut).toBe(true);
    const gaps = parts.filter((p): p is { gap: number } => typeof p === 'object' && 'gap' in p);
    expect(gaps).toHaveLength(2);
    const shown = parts.map((p) => (typeof p === 'string' ? p : 'm' in p ? p.m : '')).join('');
    expect(shown.length + gaps.reduce((n, g) => n + g.gap, 0)).toBe(text.length);
    expect(parts).toContainEqual({ m: 'MATCH', h: [0] });
    for (const part of parts) if (typeof part === 'string') expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('tells verdicts and error records from what is neither, and says what that looks like', () => {
    expect(classifyRecord({ id: 'a', flagged: false, scores: {}, hits: [] }).kind).toBe('verdict');
    expect(classifyRecord({ id: 'a', source: {}, error: { code: 'X', message: 'm' } }).kind).toBe('error');
    expect(classifyRecord({ cluster: 'c-1', members: [] })).toEqual({ kind: 'other', problem: expect.stringContaining('--clusters') });
    expect(classifyRecord({ verdicts: [] })).toEqual({ kind: 'other', problem: expect.stringContaining('--format jsonl') });
    expect(classifyRecord([1])).toEqual({ kind: 'other', problem: expect.stringContaining('an array') });
  });

  it('reads cluster records defensively: odd optional fields are dropped, not trusted', () => {
    expect(readClusterRecord({ cluster: 'c-1', members: [{ id: 'a' }], identifiers: 'x', reasons: 5, labels: { fc: 'two', ef: 1 }, exemplar: 3 })).toEqual({
      cluster: 'c-1',
      size: 1,
      members: [{ id: 'a' }],
      labels: { ef: 1 },
    });
    expect(readClusterRecord({ cluster: 'c-1', members: [{ source: {} }] })).toBe('a member has no `id`');
  });

  it('escapes markup in text and in embedded JSON', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const value = { s: '</script><!-- \u2028 & >' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('keeps the highest-ranked items, the earlier first on ties', () => {
    const ranked = new Ranked<string>(3);
    for (const [name, rank] of [
      ['a', 1],
      ['b', 5],
      ['c', 3],
      ['d', 5],
      ['e', 3],
      ['f', 0],
    ] as const)
      ranked.offer(rank, () => name);
    expect(ranked.ranked()).toEqual(['b', 'd', 'c']);
    expect(ranked.offered).toBe(6);
    let built = 0;
    ranked.offer(-1, () => String(++built));
    expect(built).toBe(0);
  });
});
