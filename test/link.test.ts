// `lurescan link`: networks of postings by shared identifiers and near-duplicate templates, on
// verdict records written by hand per the issue 13 contract (fixtures/link/) and on ordinary
// postings scored by link itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { ClusterRecord } from '../src/contracts/cluster.js';
import { sortByKey } from '../src/link/columns.js';
import { DEFAULT_LINK_OPTIONS, EMPTY_ALLOWLIST, Linker, parseAllowlist, parseDate, templateText, xml, type LinkVerdict } from '../src/link/index.js';
import { jsonLines, runMain, tempDir, writeInput } from './helpers.js';

const network = 'fixtures/link/network.jsonl';
const templates = 'fixtures/link/templates.jsonl';
const short = 'fixtures/link/templates-short.jsonl';
const ads = 'fixtures/link/ads.csv';
const rawNetwork = 'fixtures/link/network-postings.jsonl';
const dir = tempDir('lurescan-link-');

const clustersOf = (stdout: string): ClusterRecord[] => jsonLines<ClusterRecord>(stdout);
const memberIds = (cluster: ClusterRecord): string[] => cluster.members.map((m) => m.id);
const withMember = (clusters: ClusterRecord[], id: string): ClusterRecord | undefined => clusters.find((c) => memberIds(c).includes(id));

/** Well-formed XML, by a conforming parser (saxes checks XML 1.0's characters and nesting), else the error. */
function xmlProblem(text: string): string | undefined {
  const parser = new SaxesParser();
  let problem: string | undefined;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.write(text).close();
  return problem;
}

describe('link: shared identifiers', () => {
  it('joins lures in three languages that give one Telegram handle, and two task scams that give one wallet', async () => {
    const summaryFile = path.join(dir, 'network-summary.json');
    const run = await runMain(['link', network, '--summary-out', summaryFile]);
    expect(run.code).toBe(0);
    const clusters = clustersOf(run.stdout);
    const lures = withMember(clusters, 'lure-en-1')!;
    expect(lures).toMatchObject({
      cluster: 'c-000001',
      size: 3,
      reasons: ['contact'],
      identifiers: [{ key: 'handle:hr_linda_kh', kind: 'handle', postings: 3 }],
      labels: { 'forced-criminality': 3, 'employment-fraud': 0 },
      flagged: 3,
      score: { 'forced-criminality': { max: 31, mean: 26.83 }, 'employment-fraud': { max: 0, mean: 0 } },
      langs: { en: 1, th: 1, 'zh-Hans': 1 },
      sources: { 'lures.csv': 2, 'lures-zh.jsonl': 1 },
      firstSeen: '2026-01-02',
      lastSeen: '2026-02-01',
    });
    // Members carry the verdicts' own id and source, to join on.
    expect(lures.members).toEqual([
      { id: 'lure-en-1', source: { file: 'lures.csv', row: 2 } },
      { id: 'lure-th-1', source: { file: 'lures.csv', row: 3 } },
      { id: 'lure-zh-1', source: { file: 'lures-zh.jsonl', line: 1 } },
    ]);
    expect(lures.exemplar.id).toBe('lure-en-1');
    expect(lures.exemplar.text).toContain('Contact HR Linda on Telegram @hr_linda_kh');
    const wallet = withMember(clusters, 'task-en-1')!;
    expect(memberIds(wallet)).toEqual(['task-en-1', 'task-vi-1']);
    expect(wallet.identifiers).toEqual([{ key: 'wallet:tron:TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE', kind: 'wallet', postings: 2 }]);
    expect(withMember(clusters, 'cafe-1')).toBeUndefined();
    // The error record in the file is counted, not dropped silently.
    expect(run.stderr).toContain('1 error record(s) skipped (CSV_FIELD_COUNT 1)');
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ postings: 11, errors: { total: 1, byCode: { CSV_FIELD_COUNT: 1 } } });
  });

  it("never joins on a board's own domain in the url field, and reports it", async () => {
    const summaryFile = path.join(dir, 'platform-summary.json');
    const run = await runMain(['link', network, '--summary-out', summaryFile]);
    const board = withMember(clustersOf(run.stdout), 'board-1')!;
    expect(board.identifiers.map((i) => i.key)).toEqual(['phone:+85523999999']);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.identifiers.list).toContainEqual({
      key: 'domain:jobs.example-board.com',
      kind: 'domain',
      reason: 'platform',
      postings: 5,
      source: 'board.csv',
    });
    expect(run.stderr).toContain('domain:jobs.example-board.com: platform, the url field of board.csv');
  });

  it("does not join unrelated ads through a job board's hotline once it is generic", async () => {
    const run = await runMain(['link', network, '--generic-over', '4']);
    expect(run.code).toBe(0);
    const clusters = clustersOf(run.stdout);
    for (let i = 1; i <= 5; i++) expect(withMember(clusters, `board-${i}`)).toBeUndefined();
    expect(withMember(clusters, 'lure-en-1')?.size).toBe(3);
    expect(run.stderr).toContain('phone:+85523999999: generic, in 5 postings of 5 texts');
  });

  it('treats an identifier of more than 50 different texts as generic by default, but not one of copies of a text', () => {
    // 60 unrelated ads naming one hotline, 60 copies of one ad naming another number, and two ads
    // sharing a handle: only the handle and the copies make clusters.
    let seed = 7;
    const word = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return `w${(seed >>> 8) % 5000}`;
    };
    const verdict = (id: string, description: string, keys: string[]): LinkVerdict => ({
      id,
      source: { file: 'gen.csv' },
      lang: 'en',
      flagged: false,
      labels: [],
      scores: { 'forced-criminality': 0, 'employment-fraud': 0 },
      posting: { title: id },
      text: { title: 'Job', description },
      contacts: keys.map((key) => ({ key })),
    });
    const linker = new Linker({ ...DEFAULT_LINK_OPTIONS, allow: EMPTY_ALLOWLIST });
    for (let i = 0; i < 60; i++) linker.add(verdict(`hotline-${i}`, Array.from({ length: 40 }, word).join(' '), ['phone:+85523999999']));
    const copy = Array.from({ length: 40 }, word).join(' ');
    for (let i = 0; i < 60; i++) linker.add(verdict(`copy-${i}`, copy, ['phone:+85512000000']));
    linker.add(verdict('net-1', Array.from({ length: 40 }, word).join(' '), ['handle:someone']));
    linker.add(verdict('net-2', Array.from({ length: 40 }, word).join(' '), ['handle:someone']));
    const plan = linker.build();
    expect(plan.filtered).toEqual([{ key: 'phone:+85523999999', kind: 'phone', reason: 'generic', postings: 60, templates: 60 }]);
    expect(Array.from(plan.sizes)).toEqual([60, 2]);
    for (let i = 0; i < 60; i++) expect(plan.clusterOf[i]).toBe(-1);
    expect(plan.reasons[0]).toBe(3); // the copies: one template and one number
  });

  it("keeps a network's own handle in many differently worded ads joined when most of them are flagged", () => {
    let seed = 11;
    const word = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return `w${(seed >>> 8) % 5000}`;
    };
    const verdict = (id: string, flagged: boolean, key: string): LinkVerdict => ({
      id,
      source: { file: 'gen.csv' },
      lang: 'en',
      flagged,
      labels: flagged ? ['forced-criminality'] : [],
      scores: { 'forced-criminality': flagged ? 20 : 0, 'employment-fraud': 0 },
      posting: { title: id },
      text: { title: 'Job', description: Array.from({ length: 40 }, word).join(' ') },
      contacts: [{ key }],
    });
    const linker = new Linker({ ...DEFAULT_LINK_OPTIONS, allow: EMPTY_ALLOWLIST });
    // 70 lures, 60 of them flagged, sharing one handle; 70 ordinary ads, 20 flagged, sharing a hotline.
    for (let i = 0; i < 70; i++) linker.add(verdict(`lure-${i}`, i < 60, 'handle:hr_network'));
    for (let i = 0; i < 70; i++) linker.add(verdict(`ad-${i}`, i < 20, 'phone:+85523999999'));
    const plan = linker.build();
    expect(plan.filtered).toEqual([{ key: 'phone:+85523999999', kind: 'phone', reason: 'generic', postings: 70, templates: 70 }]);
    expect(Array.from(plan.sizes)).toEqual([70]);
    for (let i = 70; i < 140; i++) expect(plan.clusterOf[i]).toBe(-1);
  });

  it('never joins on an allowlisted identifier, given as a key or a value, and says so', async () => {
    const allow = writeInput(
      dir,
      'allow.txt',
      '# identifiers that join nothing\n@HR_Linda_KH   # the handle, as written in ads\n\nwallet:tron:TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE\n',
    );
    const summaryFile = path.join(dir, 'allow-summary.json');
    const run = await runMain(['link', network, '--allow', allow, '--summary-out', summaryFile]);
    expect(run.code).toBe(0);
    const clusters = clustersOf(run.stdout);
    expect(withMember(clusters, 'lure-en-1')).toBeUndefined();
    expect(withMember(clusters, 'task-en-1')).toBeUndefined();
    expect(clusters.map((c) => c.cluster)).toEqual(['c-000001']);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.identifiers.filtered).toEqual({ allowlist: 2, generic: 0, platform: 1 });
    expect(run.stderr).toContain('handle:hr_linda_kh: allowlist, in 3 posting(s)');
  });
});

describe('link: templates', () => {
  it('joins a reworded template with its numbers changed in English, Thai and Burmese, and nothing else', async () => {
    const run = await runMain(['link', templates]);
    expect(run.code).toBe(0);
    const clusters = clustersOf(run.stdout);
    expect(clusters.map(memberIds)).toEqual([
      ['tpl-en-1', 'tpl-en-2'],
      ['tpl-th-1', 'tpl-th-2', 'tpl-th-3'],
      ['tpl-my-1', 'tpl-my-2'],
    ]);
    for (const cluster of clusters) {
      expect(cluster.reasons).toEqual(['template']);
      expect(cluster.identifiers).toEqual([]);
    }
    expect(clusters[1]!.langs).toEqual({ th: 3 });
    // The exemplar is the member scored highest.
    expect(clusters[2]!.exemplar.id).toBe('tpl-my-2');
    expect(clusters[2]!.exemplar.text).toContain('ဆီဟာနုဗီးလ်မြို့');
  });

  it('joins no template below the similarity asked for', async () => {
    const run = await runMain(['link', templates, '--similarity', '0.9']);
    expect(clustersOf(run.stdout)).toEqual([]);
    expect(run.stderr).toContain('clusters: 0 of 2+ postings');
  });

  it('warns when verdicts carry no text and templates are judged on short fields only', async () => {
    const run = await runMain(['link', short]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('11 verdict(s) carry no text (scanned without --include-text)');
  });

  it('scores ordinary postings (CSV) itself and links them by template', async () => {
    const run = await runMain(['link', ads, '--no-model', '-j', '0']);
    expect(run.code).toBe(0);
    const clusters = clustersOf(run.stdout);
    expect(clusters).toHaveLength(1);
    expect(memberIds(clusters[0]!)).toEqual(['ad-1', 'ad-2', 'ad-3']);
    expect(clusters[0]!.members[0]!.source).toEqual({ file: 'fixtures/link/ads.csv', row: 2 });
    // The rules scored them: these are lures.
    expect(clusters[0]!.flagged).toBeGreaterThan(0);
    expect(run.stderr).toContain('5 scored here from 1 input(s)');
  });
});

describe('link: output', () => {
  it('writes the same bytes twice, and the same whatever order the files are given in or the scoring threads', async () => {
    const outs = ['a', 'b', 'c'].map((name) => ({ edges: path.join(dir, `${name}.csv`), graph: path.join(dir, `${name}.graphml`) }));
    const first = await runMain(['link', network, templates, ads, '--no-model', '-j', '0', '--edges', outs[0]!.edges, '--graphml', outs[0]!.graph]);
    const again = await runMain(['link', network, templates, ads, '--no-model', '-j', '0', '--edges', outs[1]!.edges, '--graphml', outs[1]!.graph]);
    const reordered = await runMain(['link', ads, templates, network, '--no-model', '-j', '2', '--edges', outs[2]!.edges, '--graphml', outs[2]!.graph]);
    expect(first.code).toBe(0);
    expect(clustersOf(first.stdout).length).toBe(7);
    for (const run of [again, reordered]) expect(run.stdout).toBe(first.stdout);
    for (const out of outs.slice(1)) {
      expect(readFileSync(out.edges, 'utf8')).toBe(readFileSync(outs[0]!.edges, 'utf8'));
      expect(readFileSync(out.graph, 'utf8')).toBe(readFileSync(outs[0]!.graph, 'utf8'));
    }
  });

  it('writes edges as CSV and the graph as well-formed GraphML, control characters and markup in the text included', async () => {
    // A copy of two lures whose ids and titles hold what XML forbids or must escape.
    const lines = readFileSync(network, 'utf8').split('\n').slice(0, 2);
    const nasty = lines.map((line, i) => {
      const record = JSON.parse(line);
      record.id = `<lure & "${i}">\u0001`;
      record.posting.title = `Bell\u0007 <b>R&D</b>\r\nnext \ud800 line \uffff`;
      return JSON.stringify(record);
    });
    const input = writeInput(dir, 'nasty.jsonl', `${nasty.join('\n')}\n`);
    const edges = path.join(dir, 'nasty.csv');
    const graph = path.join(dir, 'nasty.graphml');
    const run = await runMain(['link', input, '--edges', edges, '--graphml', graph]);
    expect(run.code).toBe(0);
    const text = readFileSync(graph, 'utf8');
    expect(xmlProblem(text)).toBeUndefined();
    expect(text).toContain('<node id="&lt;lure &amp; &quot;0&quot;&gt;\ufffd">');
    expect(text).toContain('<data key="kind">contact</data><data key="key">handle:hr_linda_kh</data>');
    expect(xmlProblem('<a>\u0001</a>')).toBeDefined(); // the checker does catch what we escape
    const parsed = Papa.parse<string[]>(readFileSync(edges, 'utf8'), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      ['source', 'target', 'kind', 'key', 'similarity', 'cluster'],
      ['<lure & "0">\u0001', '<lure & "1">\u0001', 'contact', 'handle:hr_linda_kh', '', 'c-000001'],
    ]);
    // GraphML of the whole fixture set: every cluster member a node, every edge between two of them.
    const full = path.join(dir, 'full.graphml');
    await runMain(['link', network, templates, '--graphml', full]);
    const fullText = readFileSync(full, 'utf8');
    expect(xmlProblem(fullText)).toBeUndefined();
    expect(fullText.match(/<node /g)).toHaveLength(3 + 2 + 5 + 2 + 3 + 2);
    expect(fullText.match(/<edge /g)).toHaveLength(2 + 1 + 4 + 1 + 2 + 1);
  });

  it('writes clusters of --min-size and more only', async () => {
    const run = await runMain(['link', network, templates, '--min-size', '3']);
    expect(clustersOf(run.stdout).map((c) => c.size)).toEqual([3, 5, 3]);
  });
});

describe('link: bad input', () => {
  it('counts lines that are no record, naming the first, and stops when nothing is a verdict', async () => {
    const damaged = writeInput(dir, 'damaged.jsonl', `${readFileSync(templates, 'utf8')}{"id":"x","flagg\n`);
    const run = await runMain(['link', damaged]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/1 line\(s\) are neither verdicts nor error records and were skipped; the first: .*damaged\.jsonl line 12: not valid JSON/);
    const errorsOnly = writeInput(dir, 'errors.jsonl', '{"id":"a.csv:2","source":{"file":"a.csv","row":2},"error":{"code":"CSV_QUOTES","message":"x"}}\n');
    const none = await runMain(['link', errorsOnly]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing to link: the inputs hold no verdicts (1 error record(s), no verdict)');
  });

  it('refuses bad options and a whole JSON scan output, saying what to do', async () => {
    const similarity = await runMain(['link', network, '--similarity', '1.5']);
    expect(similarity.code).toBe(2);
    expect(similarity.stderr).toContain('--similarity must be a number above 0 and at most 1');
    const allow = await runMain(['link', network, '--allow', path.join(dir, 'no-such-list.txt')]);
    expect(allow.code).toBe(2);
    expect(allow.stderr).toContain('no-such-list.txt: no such file');
    const json = writeInput(dir, 'scan.json', '{"verdicts":[],"summary":{}}\n');
    const whole = await runMain(['link', json]);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain('--format jsonl --include-text');
    const into = await runMain(['link', network, '-o', network]);
    expect(into.code).toBe(2);
    expect(into.stderr).toContain('is one of the inputs');
  });

  it('reads verdicts from standard input', async () => {
    const run = await runMain(['link', '-'], { input: readFileSync(templates, 'utf8') });
    expect(run.code).toBe(0);
    expect(clustersOf(run.stdout)).toHaveLength(3);
  });
});

describe('link: parts', () => {
  it('keeps every script and digit in template text, and folds case, width and punctuation', () => {
    expect(
      templateText({ title: 'ＵＲＧＥＮＴ!!! Typist', description: 'เงินเดือน 35,000 บาท — ၁၅၀၀ ဒေါ်လာ', url: 'https://x.example/1', posted_date: '2026-01-02' }),
    ).toBe('urgent typist เงินเดือน 35 000 บาท ၁၅၀၀ ဒေါ်လာ');
  });

  it('reads dates as job boards write them', () => {
    expect(['2026-01-02 10:00:00', '2026/1/2', '02-01-2026', '2-Jan-2026', 'January 2, 2026', '2nd January 2026'].map(parseDate)).toEqual(
      Array(6).fill('2026-01-02'),
    );
    expect(['3 days ago', '2026-02-30', '', 'Negotiable'].map(parseDate)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads an allowlist: keys or values, comments, a handle with its @', () => {
    const allow = parseAllowlist('phone:+85523999999\n@Some_Handle # ours\n# all comment\nfoo#bar\n');
    expect(allow.has('phone:+85523999999')).toBe(true);
    expect(allow.has('handle:some_handle')).toBe(true);
    expect(allow.has('email:foo#bar')).toBe(true);
    expect(allow.has('handle:other')).toBe(false);
  });

  it('sorts keys stably by radix', () => {
    const keys = new Uint32Array([5, 0x10000, 5, 0, 0xffffffff, 0x10000]);
    expect(Array.from(sortByKey(keys))).toEqual([3, 0, 2, 1, 5, 4]);
  });

  it('escapes XML', () => {
    expect(xml('a&b<c>"d\'\u0000\ud83d\ude00')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;\ufffd\ud83d\ude00');
  });
});

describe('lurescan link on postings, with the contacts scan finds', () => {
  const KEY = '0123456789abcdef0123';
  const RAW = ['hr_linda_kh', 'HR_Linda_KH', 'ｈｒ＿ｌｉｎｄａ', 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW', '+855 23 999 999', '85523999999'];

  it('joins a handle written five ways in three languages, and a wallet, but not ads sharing a hotline', async () => {
    const run = await runMain(['link', rawNetwork, '--generic-over', '3', '-j', '0']);
    expect(run.code, run.stderr).toBe(0);
    const clusters = clustersOf(run.stdout);
    expect(clusters.map(memberIds)).toEqual([
      ['net-en-1', 'net-en-2', 'net-zh-1', 'net-th-1', 'net-en-3'],
      ['task-1', 'task-2'],
    ]);
    expect(clusters[0]!.identifiers).toEqual([{ key: 'handle:hr_linda_kh', kind: 'handle', postings: 5 }]);
    expect(clusters[1]!.identifiers).toEqual([{ key: 'wallet:tron:TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW', kind: 'wallet', postings: 2 }]);
    expect(clusters[0]!.langs).toEqual(expect.objectContaining({ en: 3 }));
    expect(run.stderr).toContain('phone:+85523999999: generic, in 4 postings of 4 texts');
  });

  it('--redact: clusters join on keyed hashes, the same as scan --redact writes, and no raw identifier is written anywhere', async () => {
    const env = { LURESCAN_REDACT_KEY: KEY };
    const out = (name: string): string => path.join(dir, `redact-${name}`);
    const run = await runMain(
      [
        'link',
        rawNetwork,
        '--generic-over',
        '3',
        '--redact',
        '-j',
        '0',
        '-o',
        out('c.jsonl'),
        '--edges',
        out('e.csv'),
        '--graphml',
        out('g.graphml'),
        '--summary-out',
        out('s.json'),
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    const clusters = jsonLines<ClusterRecord>(readFileSync(out('c.jsonl'), 'utf8'));
    expect(clusters.map(memberIds)).toEqual([
      ['net-en-1', 'net-en-2', 'net-zh-1', 'net-th-1', 'net-en-3'],
      ['task-1', 'task-2'],
    ]);
    const handleKey = clusters[0]!.identifiers[0]!.key;
    expect(handleKey).toMatch(/^handle:h:[0-9a-f]{32}$/);
    // The hash scan --redact gives the same handle: two teams with one key join their findings.
    const scan = await runMain(['scan', rawNetwork, '--redact', '--include-text', '-j', '0'], { env });
    const verdicts = jsonLines<{ id: string; contacts?: Array<{ key: string }> }>(scan.stdout);
    expect(verdicts.find((v) => v.id === 'net-zh-1')!.contacts!.map((c) => c.key)).toEqual([handleKey]);
    for (const name of ['c.jsonl', 'e.csv', 'g.graphml', 's.json']) {
      const text = readFileSync(out(name), 'utf8');
      for (const raw of RAW) expect(text.toLowerCase(), `${raw} in ${name}`).not.toContain(raw.toLowerCase());
    }
    for (const raw of RAW) expect(run.stderr.toLowerCase()).not.toContain(raw.toLowerCase());
    // Verdicts redacted by scan, linked with the same key: the same clusters (hashes are not hashed again).
    const verdictFile = writeInput(dir, 'redacted-verdicts.jsonl', scan.stdout);
    const again = await runMain(['link', verdictFile, '--generic-over', '3', '--redact'], { env });
    expect(clustersOf(again.stdout).map((c) => c.identifiers)).toEqual(clusters.map((c) => c.identifiers));
  });

  it('--redact without a key is a usage error that says how to give one', async () => {
    const run = await runMain(['link', rawNetwork, '--redact'], { env: { LURESCAN_REDACT_KEY: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('LURESCAN_REDACT_KEY');
  });
});
