// The model's report head (src/model/report-head.ts): `train --reports` fits it on texts that are
// about offers (news, advisories) against lures and scams, the model file and its tables carry it,
// and the scoring file's `report-mute` mutes the flags of a posting the head calls a report.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAbstention, loadScorer, ModelFormatError, predict } from '../src/model/model.js';
import { decodeTables, encodeTables, scorerOf, tablesOf } from '../src/model/tables.js';
import { parseRuleFile } from '../src/rules/parse.js';
import { decide } from '../src/score/index.js';
import { DEFAULT_SCORING } from '../src/rules/definition.js';
import type { Hit, Verdict } from '../src/types.js';
import { jsonLines, readAllItems, runMain, tempDir, writeInput } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = (name: string): string => path.join(root, 'fixtures/postings', name);
const LABELLED = ['fc-en.csv', 'ef-en.csv', 'legit-en.csv'].map(fixture);

// Reports written around the fixtures' own lures, as news and advisories quote them: the lure's
// words are in the report, so only the reporting around them tells it apart.
const OPENINGS = [
  'Police warn job seekers about this advertisement circulating on Facebook:',
  'Victims told reporters they answered an offer that read:',
  'The embassy issued an advisory after nationals were trafficked through posts such as:',
  'Authorities said the scam compound recruited with messages like this one:',
  'A survivor rescued last month described the fake job offer she received:',
  'Consumer groups cautioned readers against the following fraudulent recruitment message:',
];
const CLOSINGS = [
  'Officials urged the public to report such posts to the hotline.',
  'The victims were later rescued and repatriated, the ministry said.',
  'Do not apply: verify recruiters with the labour department first.',
  'Investigators say the network has deceived hundreds of people.',
];

async function lureTexts(): Promise<string[]> {
  const items = await readAllItems([fixture('fc-en.csv'), fixture('ef-en.csv')]);
  return items.flatMap((item) => (item.kind === 'posting' && item.posting.fields.description ? [item.posting.fields.description] : []));
}

function report(lure: string, k: number): string {
  return `${OPENINGS[k % OPENINGS.length]} "${lure}" ${CLOSINGS[k % CLOSINGS.length]}`;
}

describe('report head', () => {
  const dir = tempDir('lurescan-report-');
  const modelFile = path.join(dir, 'model.json');
  const plainFile = path.join(dir, 'plain.json');
  const gate = ['--min-language-legit', '20', '--min-language-label', '20', '--date', '2026-01-01'];

  it('is fitted by train --reports on the marked legitimate texts, and changes nothing else in the model', async () => {
    const lures = await lureTexts();
    expect(lures.length).toBeGreaterThan(100);
    // Training reports quote the first 72 lures; the rest are kept for the scan below.
    const rows = lures.slice(0, 72).map((lure, k) => JSON.stringify({ id: `r${k}`, label: 'legit', description: report(lure, k), meta: { genre: 'report' } }));
    const reports = writeInput(dir, 'reports.jsonl', `${rows.join('\n')}\n`);
    const trained = await runMain(['train', ...LABELLED, reports, '--out', modelFile, '--reports', 'meta.genre=Report', ...gate]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/report head: 72 reports against \d+ offers/);
    const plain = await runMain(['train', ...LABELLED, reports, '--out', plainFile, ...gate]);
    expect(plain.code, plain.stderr).toBe(0);
    const withHead = JSON.parse(readFileSync(modelFile, 'utf8'));
    const without = JSON.parse(readFileSync(plainFile, 'utf8'));
    expect(without.weights.report).toBeUndefined();
    expect(withHead.weights.report.documents[1]).toBe(72);
    expect(withHead.weights.report.values).toHaveLength(withHead.weights.tokens.length);
    delete withHead.weights.report;
    expect(withHead).toEqual(without);
  });

  it('train --report-head-only: inputs that fit the head alone leave the model as trained without them', async () => {
    const lures = await lureTexts();
    const rows = lures.slice(0, 72).map((lure, k) => JSON.stringify({ id: `h${k}`, label: 'legit', description: report(lure, k), meta: { genre: 'report' } }));
    // The head-only file also holds offers (the head's contrast) and ordinary ads (which it skips).
    rows.push(JSON.stringify({ id: 'h-offer', label: 'forced-criminality', description: lures[0] }));
    rows.push(JSON.stringify({ id: 'h-ad', label: 'legit', description: 'Accounts clerk, Makati office, SSS and PhilHealth, apply on our careers page.' }));
    const headOnly = writeInput(dir, 'head-only.jsonl', `${rows.join('\n')}\n`);
    const headFile = path.join(dir, 'head-only-model.json');
    const bareFile = path.join(dir, 'bare-model.json');
    const trained = await runMain(['train', ...LABELLED, '--reports', 'meta.genre=report', '--report-head-only', headOnly, '--out', headFile, ...gate]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/report head: 72 reports against \d+ offers/);
    const bare = await runMain(['train', ...LABELLED, '--out', bareFile, ...gate]);
    expect(bare.code, bare.stderr).toBe(0);
    const withHead = JSON.parse(readFileSync(headFile, 'utf8'));
    const without = JSON.parse(readFileSync(bareFile, 'utf8'));
    // Reports and the offer of the head-only file join the head's contrast; the ordinary ad does not.
    const plainHead = JSON.parse(readFileSync(modelFile, 'utf8')).weights.report.documents[0];
    expect(withHead.weights.report.documents).toEqual([plainHead + 1, 72]);
    // The model file names the head-only input among its sources; nothing else differs.
    expect(withHead.training.sources.some((source: { name: string }) => source.name.endsWith('head-only.jsonl'))).toBe(true);
    delete withHead.weights.report;
    delete withHead.training;
    delete without.training;
    expect(withHead).toEqual(without);
    const refused = await runMain(['train', ...LABELLED, '--report-head-only', headOnly, '--out', path.join(dir, 'x.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--report-head-only trains the report head: it needs --reports/);
  });

  it('tells a report it never saw from the lure it quotes, the same from the file, shared tables and binary', async () => {
    const lures = await lureTexts();
    const { scorer, info } = loadScorer(readFileSync(modelFile, 'utf8'));
    const tables = tablesOf(scorer, info, 'src');
    const binary = encodeTables(tables);
    const shared = new SharedArrayBuffer(binary.length);
    new Uint8Array(shared).set(binary);
    const scorers = [scorer, scorerOf(tables), scorerOf(decodeTables(shared, 'src')!)];
    const head = (s: (typeof scorers)[number], text: string): number => {
      const output = predict(s, { description: text }, { lang: 'en' });
      if (isAbstention(output)) throw new Error(output.abstained);
      return output.report!;
    };
    let apart = 0;
    const unseen = lures.slice(72, 92);
    for (const [k, lure] of unseen.entries()) {
      const texts = [report(lure, k + 1), lure];
      const [asReport, asLure] = texts.map((text) => head(scorer, text));
      if (asReport! > asLure!) apart++;
      for (const other of scorers.slice(1)) expect(texts.map((text) => head(other, text))).toEqual([asReport, asLure]);
    }
    expect(apart).toBe(unseen.length);
  });

  it('mutes flags at the scoring file’s report-mute, keeping the scores and naming the labels', async () => {
    const lures = await lureTexts();
    const quoted = lures.slice(72, 92).map((lure, k) => ({ id: `q${k}`, description: report(lure, k + 1) }));
    const input = writeInput(dir, 'quoted.jsonl', `${quoted.map((row) => JSON.stringify(row)).join('\n')}\n`);
    // A rule every quoted lure trips (the shipped rules veto most reports already, by their voice).
    const rules = path.join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      path.join(rules, 'r.yaml'),
      `rules:
  - id: FC-TEST-QUOTE
    title: a quotation mark
    label: forced-criminality
    category: routing
    points: 8
    references: [WIKI]
    falsepositives: Only in this test.
    any: [{regex: '"'}]
`,
    );
    const scoringFile = path.join(rules, 'scoring.yaml');
    const scoring = (mute: string): string =>
      `scoring:\n  thresholds: {forced-criminality: 8, employment-fraud: 6}\n  caps: {forced-criminality: {routing: 8}, employment-fraud: {}}\n${mute}`;
    const scan = async (): Promise<Verdict[]> => {
      const result = await runMain(['scan', input, '--model', modelFile, '--rules', rules, '--jobs', '0', '--format', 'jsonl']);
      expect(result.code, result.stderr).toBeLessThan(2);
      return jsonLines<Verdict>(result.stdout);
    };
    writeFileSync(scoringFile, scoring(''));
    const unmuted = await scan();
    const flagged = unmuted.filter((v) => v.flagged);
    expect(flagged.length).toBe(quoted.length);
    expect(unmuted.every((v) => v.model?.muted === undefined)).toBe(true);
    writeFileSync(scoringFile, scoring('  report-mute: 0.5\n'));
    const muted = await scan();
    let count = 0;
    for (const [i, verdict] of muted.entries()) {
      const before = unmuted[i]!;
      expect(verdict.scores).toEqual(before.scores);
      expect(verdict.model?.report).toBe(before.model?.report);
      if (before.flagged && before.model!.report! >= 0.5) {
        count++;
        expect(verdict.flagged).toBe(false);
        expect(verdict.labels).toEqual([]);
        expect(verdict.model!.muted).toEqual(before.labels);
      } else expect(verdict.flagged).toBe(before.flagged);
    }
    expect(count).toBeGreaterThan(0);
    // The summary counts them; the terminal table and Parquet say the same.
    const json = await runMain(['scan', input, '--model', modelFile, '--rules', rules, '--jobs', '0', '--format', 'json']);
    expect(JSON.parse(json.stdout).summary.muted).toBe(count);
    expect(json.stderr).toContain(`${count} posting(s) not flagged as taken for reports`);
    const table = await runMain(['scan', input, '--model', modelFile, '--rules', rules, '--jobs', '0', '--format', 'table', '--no-summary']);
    expect(table.stdout.match(/muted forced-criminality: taken for a report \(0\.\d+\)/g)).toHaveLength(count);
    const parquet = path.join(dir, 'quoted.parquet');
    expect((await runMain(['scan', input, '--model', modelFile, '--rules', rules, '--jobs', '0', '-o', parquet])).code).toBeLessThan(2);
    const { parquetReadObjects } = await import('hyparquet');
    const bytes = readFileSync(parquet);
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    expect(rows.map((row) => [row.model_report, row.muted])).toEqual(muted.map((v) => [v.model!.report, v.model!.muted?.join(';') ?? null]));
  });

  it('refuses --reports that is not column=value, and a model kind without a head', async () => {
    const bad = await runMain(['train', fixture('fc-en.csv'), '--out', path.join(dir, 'x.json'), '--reports', 'genre']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--reports must be column=value or meta\.<key>=value/);
    const nb = await runMain(['train', fixture('fc-en.csv'), '--out', path.join(dir, 'x.json'), '--kind', 'naive-bayes', '--reports', 'meta.genre=report']);
    expect(nb.code).toBe(2);
    expect(nb.stderr).toMatch(/only a model of kind logistic has a report head/);
  });

  it('rescore --folds --reports: each fold model has its head, and the fit mutes what a scan would', async () => {
    // Enough reports that each of two folds trains a head (at least MIN_REPORT_DOCUMENTS apiece).
    const lures = await lureTexts();
    const rows = lures
      .slice(0, 140)
      .map((lure, k) => JSON.stringify({ id: `q${k}`, label: 'legit', description: report(lure, k + 1), meta: { genre: 'report' } }));
    const reports = writeInput(dir, 'rescore-reports.jsonl', `${rows.join('\n')}\n`);
    // The reports quote their lures in a warning, which the shipped scoring's quote-mute mutes by
    // their shape alone (test/quoted.test.ts): the shipped rules with it off, so the head's mute is
    // what is measured here. The copy is in a folder of this checkout (ignored by git), the same
    // every run: the rule-set cache keys a set by its files' names as well as their texts, and a copy
    // under a fresh temporary folder was parsed, checked and planned afresh every run.
    const rules = path.join('.scratch', 'report-head', 'rescore-rules');
    rmSync(rules, { recursive: true, force: true });
    cpSync(path.join(root, 'rules'), rules, { recursive: true });
    const scoringFile = path.join(rules, 'scoring.yaml');
    writeFileSync(scoringFile, readFileSync(scoringFile, 'utf8').replace(/^ {2}quote-mute: true$/m, '  quote-mute: false'));
    const common = ['rescore', ...LABELLED, reports, '--rules', rules, '--folds', '2', '--format', 'json', '--by', 'none', '--target-fpr', '0.5'];
    const flaggedReports = (stdout: string): number =>
      (JSON.parse(stdout) as { legitFlagged: Array<{ id: string }> }).legitFlagged.filter((entry) => entry.id.startsWith('q')).length;
    const plain = await runMain(common);
    expect(plain.code, plain.stderr).toBe(0);
    const muting = await runMain([...common, '--reports', 'meta.genre=report']);
    expect(muting.code, muting.stderr).toBe(0);
    expect(JSON.parse(muting.stdout).model).toMatch(/2-fold cross-validation over the inputs, each with its report head/);
    expect(flaggedReports(plain.stdout)).toBeGreaterThan(10);
    expect(flaggedReports(muting.stdout)).toBeLessThan(flaggedReports(plain.stdout) / 2);
    // The points in force, before the fit, are judged as a scan judges too: the heads mute there as
    // well. Every legitimate posting counts towards the target here, so the counts are the before's.
    const inForce = (stdout: string): Record<string, number> => (JSON.parse(stdout) as { targetBefore: Record<string, number> }).targetBefore;
    const plainReport = JSON.parse(plain.stdout) as { before: Record<string, { legitFlagged: number }> };
    expect(inForce(plain.stdout)['employment-fraud']).toBe(plainReport.before['employment-fraud']!.legitFlagged);
    expect(inForce(muting.stdout)['employment-fraud']).toBeLessThan(inForce(plain.stdout)['employment-fraud']!);
    const bare = await runMain(['rescore', fixture('fc-en.csv'), '--reports', 'meta.genre=report']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--reports trains the report head of the fold models: it needs --folds/);
  });

  it('refuses a model file whose report head is damaged', () => {
    const text = readFileSync(modelFile, 'utf8');
    const bad = (edit: (json: { weights: { report: { values: number[]; bias: unknown; documents: unknown } } }) => void): string => {
      const json = JSON.parse(text);
      edit(json);
      return JSON.stringify(json);
    };
    expect(() => loadScorer(bad((j) => j.weights.report.values.pop()))).toThrow(/report head is damaged \(its values do not line up/);
    expect(() => loadScorer(bad((j) => (j.weights.report.bias = 'x')))).toThrow(ModelFormatError);
    expect(() => loadScorer(bad((j) => (j.weights.report.values[0] = Number.NaN)))).toThrow(/report head has a bad value/);
  });
});

describe('report-mute', () => {
  const hit: Hit = { rule: 'FC-X', label: 'forced-criminality', category: 'routing', points: 8 };
  it('mutes only at or above its probability, and only when the scoring file sets it', () => {
    const scoring = { ...DEFAULT_SCORING, caps: { 'forced-criminality': { routing: 8 }, 'employment-fraud': {} }, reportMute: 0.8 };
    expect(decide([hit], undefined, scoring, undefined, 0.79).labels).toEqual(['forced-criminality']);
    expect(decide([hit], undefined, scoring, undefined, 0.8)).toMatchObject({ labels: [], muted: ['forced-criminality'] });
    expect(decide([hit], undefined, { ...scoring, reportMute: undefined }, undefined, 0.99).labels).toEqual(['forced-criminality']);
    expect(decide([], undefined, scoring, undefined, 0.99).muted).toBeUndefined();
  });

  it('is read from the scoring file, and a value that is not a probability is refused by line', () => {
    const good = parseRuleFile('scoring:\n  thresholds: {forced-criminality: 8, employment-fraud: 6}\n  caps: {}\n  report-mute: 0.9\n', 's.yaml');
    expect(good.scoring?.reportMute).toBe(0.9);
    const bad = parseRuleFile('scoring:\n  thresholds: {forced-criminality: 8, employment-fraud: 6}\n  caps: {}\n  report-mute: 1.5\n', 's.yaml');
    expect(bad.problems).toContainEqual(expect.objectContaining({ code: 'BAD_SCORING', line: 4, message: expect.stringMatching(/report-mute/) }));
  });
});
