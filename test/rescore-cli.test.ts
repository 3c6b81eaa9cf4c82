// `lurescan rescore` in-process through main() (runMain), on the labelled fixtures:
// the report, the scoring file it writes (loadable, byte for byte the same on a second run), --write
// on a copy of the rules, and how `rules lint` and `rules diff` see learned points.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { RescoreReport } from '../src/cli/rescore.js';
import { parseRuleFile } from '../src/rules/schema.js';
import type { Verdict } from '../src/types.js';
import { runMain, tempDir, unlearned } from './helpers.js';

const LABELLED = ['fixtures/postings/fc-en.csv', 'fixtures/postings/ef-en.csv', 'fixtures/postings/legit-en.csv', 'fixtures/postings/asia-multilingual.jsonl'];

describe('lurescan rescore', () => {
  const dir = tempDir('lurescan-rescore-');
  const first = path.join(dir, 'scoring.yaml');
  let report: RescoreReport;

  it('reports precision, recall and FPR per label and per group, before and after, and writes a scoring file', async () => {
    const result = await runMain(['rescore', ...LABELLED, '--no-model', '--out', first, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as RescoreReport;
    expect(report).toMatchObject({
      documents: 282,
      truth: { 'forced-criminality': 108, 'employment-fraud': 64, legit: 110 },
      model: 'none (--no-model)',
      targetFpr: 0.01,
      by: 'lang',
    });
    expect(typeof report.targetMet).toBe('boolean');
    for (const side of [report.before, report.after]) {
      for (const key of ['any', 'forced-criminality', 'employment-fraud'] as const) {
        expect(side[key]).toEqual(
          expect.objectContaining({ precision: expect.any(Number), recall: expect.any(Number), f1: expect.any(Number), fpr: expect.any(Number) }),
        );
      }
    }
    expect(report.groups.map((g) => g.group)).toEqual(expect.arrayContaining(['en', 'zh-Hans']));
    expect(report.groups[0]).toEqual(expect.objectContaining({ documents: expect.any(Number), before: expect.any(Object), after: expect.any(Object) }));
    expect(report.labels['forced-criminality']).toMatchObject({ fitted: true, positives: 108, legit: 110, otherKind: 64 });
    expect(report.rounds[0]!.costs).toEqual({ 'forced-criminality': 1, 'employment-fraud': 1 });
    expect(report.targetJudgedOn).toEqual({ legit: 110, inputs: 'all' });
    // The kept fit is the cheapest that met the target: every round that met it costs as much or more.
    const kept = report.rounds[report.chosen]!;
    if (report.targetMet)
      for (const round of report.rounds)
        if (round.fpr! <= 0.01) expect(round.costs['forced-criminality']).toBeGreaterThanOrEqual(kept.costs['forced-criminality']);
    for (const c of report.points.changed)
      expect(c).toEqual({
        rule: expect.any(String),
        label: expect.any(String),
        category: expect.any(String),
        authored: expect.any(Number),
        before: expect.any(Number),
        after: expect.any(Number),
      });
    expect(report.modelPoints).toBeUndefined();
    expect(report.written).toHaveLength(1);

    // Fitted without the model, the points are the no-model score set; the points beside the model stay as they were.
    expect(report.scoreSet).toBe('no-model');
    const shipped = YAML.parse(readFileSync('rules/scoring.yaml', 'utf8')) as {
      scoring: { points: Record<string, number>; rescored: Record<string, unknown> };
    };
    const written = YAML.parse(readFileSync(first, 'utf8')) as {
      scoring: {
        points: Record<string, number>;
        rescored: Record<string, unknown>;
        'points-no-model': Record<string, number>;
        'rescored-no-model': Record<string, unknown>;
        thresholds: unknown;
      };
    };
    expect(written.scoring.thresholds).toEqual({ 'forced-criminality': 8, 'employment-fraud': 6 });
    expect(written.scoring.points).toEqual(shipped.scoring.points);
    expect(written.scoring.rescored).toEqual(shipped.scoring.rescored);
    expect(Object.keys(written.scoring['points-no-model']).length).toBeGreaterThan(50);
    for (const value of Object.values(written.scoring['points-no-model'])) expect(Math.round(value * 10) / 10).toBe(value);
    expect(written.scoring['rescored-no-model']).toMatchObject({
      command: `lurescan rescore ${LABELLED.join(' ')} --no-model`,
      'target-fpr': 0.01,
      model: 'none (--no-model)',
    });
    expect(written.scoring['rescored-no-model'].inputs).toHaveLength(4);
    // A scoring file as a rules folder reads it (a scan loading what the writer writes is the test
    // on the --write output below).
    expect(parseRuleFile(readFileSync(first, 'utf8'), 'scoring.yaml').problems).toEqual([]);
  });

  /**
   * The small rule set --write updates below, and the arguments of that run. In a folder of this
   * checkout (ignored by git), the same every run, not a fresh temporary one: the rule-set cache keys
   * a set by its files' names as well as their texts, and a name under a fresh folder missed it every
   * run, each of the four loads below assembling and planning its set afresh (about 1.9 CPU-s a run).
   */
  const stable = path.join('.scratch', 'rescore-cli');
  const writeRules = path.join(stable, 'rules-write');
  const writeArgs = ['rescore', ...LABELLED, '--no-model', '--rules', writeRules, '--write', '--by', 'none', '--format', 'json'];
  let written: string | undefined;
  let fitted: RescoreReport | undefined;

  it("updates the rules folder's own scoring file with --write, keeping every byte of what was there", async () => {
    // Four rule files of both labels and the legitimacy rules, with the shipped scoring file without
    // its learned points: a rule set of its own, which the fit learns points for in a fraction of the
    // whole set's time (a copy of every rule file is parsed and planned afresh, twice with the diff).
    const rules = writeRules;
    rmSync(stable, { recursive: true, force: true });
    for (const file of ['legitimacy.yaml', 'forced-criminality/destination.yaml', 'forced-criminality/travel-paid.yaml', 'employment-fraud/advance-fee.yaml']) {
      mkdirSync(path.dirname(path.join(rules, file)), { recursive: true });
      cpSync(path.join('rules', file), path.join(rules, file));
    }
    writeFileSync(path.join(rules, 'scoring.yaml'), unlearned(readFileSync('rules/scoring.yaml', 'utf8')));
    const unwritten = path.join(stable, 'rules-unwritten');
    cpSync(rules, unwritten, { recursive: true });
    const before = readFileSync(path.join(rules, 'scoring.yaml'), 'utf8');
    const result = await runMain(writeArgs);
    expect(result.code, result.stderr).toBe(0);
    const fit = JSON.parse(result.stdout) as RescoreReport;
    fitted = fit;
    const after = readFileSync(path.join(rules, 'scoring.yaml'), 'utf8');
    written = after;
    expect(after.startsWith(before.trimEnd())).toBe(true);
    expect(after).toContain('# Learned points for scoring without the model (lurescan rescore --no-model');
    // What it wrote is what it learned: every point the fit changed, as the report gives it.
    const noModel = (YAML.parse(after) as { scoring: { 'points-no-model': Record<string, number> } }).scoring['points-no-model'];
    expect(fit.points.changed.length).toBeGreaterThan(0);
    for (const c of fit.points.changed) expect(noModel[c.rule], c.rule).toBe(c.after);
    expect(fit.written).toEqual([path.join(rules, 'scoring.yaml')]);

    // The rule set before the write against after it; one small corpus to score them on.
    const diff = await runMain(['rules', 'diff', '--jobs', '0', '--base', unwritten, '--rules', rules, LABELLED[1]!]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/points changed: \S+ \S+ -> \S+/);
    // A diff scores rules alone, so the points it compares are those of the no-model set.
    const [, rule, to] = /points changed: (\S+) \S+ -> ([\d.-]+)/.exec(diff.stdout)!;
    expect(noModel[rule!]).toBe(Number(to));
  });

  it('writes the same file byte for byte on a second run, also when the rules it rescores hold its output', async () => {
    // The second run rescores the rules --write updated above: their scoring file holds the first
    // run's output. The fit starts from the rule files' points, not the learned ones, so it learns
    // the same points and writes the same file, the command it records naming the rules folder.
    // (The small set: the claim is the fit's and the writer's, not the shipped set's, whose copy
    // would be parsed and planned afresh twice.)
    expect(written).toBeDefined();
    expect(written).toContain(`command: lurescan rescore ${LABELLED.join(' ')} --rules ${writeRules} --no-model\n`);
    const result = await runMain(writeArgs);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as RescoreReport).written).toEqual([path.join(writeRules, 'scoring.yaml')]);
    expect(readFileSync(path.join(writeRules, 'scoring.yaml'), 'utf8')).toBe(written);
  });

  it("with --fit new, fits only the rules a new file brings, at the held fit's costs, and keeps every learned point", async () => {
    // The rules --write updated above, plus a rule file they did not have: its rules have no learned points.
    expect(written).toBeDefined();
    const grown = path.join(stable, 'rules-grown');
    rmSync(grown, { recursive: true, force: true });
    cpSync(writeRules, grown, { recursive: true });
    cpSync('rules/forced-criminality/off-platform-contact.yaml', path.join(grown, 'forced-criminality', 'off-platform-contact.yaml'));
    const out = path.join(dir, 'grown.yaml');
    const result = await runMain(['rescore', ...LABELLED, '--no-model', '--rules', grown, '--fit', 'new', '--out', out, '--by', 'none', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const fit = JSON.parse(result.stdout) as RescoreReport;
    type Scoring = {
      scoring: { 'points-no-model': Record<string, number>; 'rescored-no-model': Record<string, unknown> & { 'new-rules'?: Array<Record<string, unknown>> } };
    };
    const held = (YAML.parse(written!) as Scoring).scoring;
    const now = (YAML.parse(readFileSync(out, 'utf8')) as Scoring).scoring;
    expect(fit.fit).toBe('new');
    // One fit, at the costs the held fit chose.
    expect(fit.rounds).toHaveLength(1);
    expect(fit.rounds[0]!.costs).toEqual(held['rescored-no-model']['fp-cost']);
    // Every learned point is kept; the points added are those of the new file's rules that fired.
    for (const [rule, points] of Object.entries(held['points-no-model'])) expect(now['points-no-model'][rule], rule).toBe(points);
    const added = Object.keys(now['points-no-model']).filter((rule) => !(rule in held['points-no-model']));
    const newFile = parseRuleFile(readFileSync('rules/forced-criminality/off-platform-contact.yaml', 'utf8'), 'off-platform-contact.yaml');
    const newIds = new Set(newFile.rules.map((rule) => rule.id));
    expect(added.length).toBeGreaterThan(0);
    for (const rule of added) expect(newIds.has(rule), rule).toBe(true);
    // The held fit's record stays; this fit is added to its `new-rules` list, naming the rules it fitted.
    const { 'new-rules': records, ...record } = now['rescored-no-model'];
    expect(record).toEqual(held['rescored-no-model']);
    expect(records).toHaveLength(1);
    expect(records![0]).toMatchObject({ command: expect.stringContaining('--no-model --fit new'), postings: 282, 'fp-cost': fit.rounds[0]!.costs });
    expect([...(records![0]!.rules as string[])].sort()).toEqual([...added].sort());
    expect(readFileSync(out, 'utf8')).toMatch(/\n {4}new-rules:\n {6}- command: /);
    expect(parseRuleFile(readFileSync(out, 'utf8'), 'scoring.yaml').problems).toEqual([]);
    // On the rules whose every rule that fires has learned points already, there is nothing to add.
    const none = path.join(dir, 'none.yaml');
    const again = await runMain([
      'rescore',
      ...LABELLED,
      '--no-model',
      '--rules',
      writeRules,
      '--fit',
      'new',
      '--out',
      none,
      '--by',
      'none',
      '--format',
      'json',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('--fit new: no rule without learned points fired on these postings');
    expect((JSON.parse(again.stdout) as RescoreReport).rules.fitted).toBe(0);
    expect(existsSync(none)).toBe(false);
  });

  it('writes a file a scan loads, whose hits carry the learned points without the model, and the others with it', async () => {
    // The scoring file --write wrote above, in the small rule set it was fitted on: that set is
    // already loaded (the diff and the second fit), where a copy of the whole shipped set with the
    // first fit's file would be parsed and planned afresh, about 2 CPU-s, for the same claim.
    expect(fitted).toBeDefined();
    const changed = new Map(fitted!.points.changed.map((c) => [c.rule, c]));
    expect(changed.size).toBeGreaterThan(0);
    const scan = async (...model: string[]): Promise<Verdict[]> => {
      const result = await runMain(['scan', '--jobs', '0', '--rules', writeRules, ...model, '--format', 'jsonl', 'fixtures/postings/fc-en.csv']);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Verdict);
    };
    // Without the model, every hit of a rule the fit changed carries the learned points.
    const hits = (await scan('--no-model')).flatMap((v) => v.hits);
    expect(hits.some((hit) => changed.has(hit.rule))).toBe(true);
    for (const hit of hits) if (changed.has(hit.rule)) expect(hit.points, hit.rule).toBe(changed.get(hit.rule)!.after);
    // With the model, a posting it judges is scored with the points beside the model (this set has
    // no learned ones: the authored points); one it abstains on with the learned no-model points.
    const judged = await scan();
    for (const verdict of judged)
      for (const hit of verdict.hits) {
        const c = changed.get(hit.rule);
        if (c) expect(hit.points, hit.rule).toBe(verdict.model?.probabilities ? c.authored : c.after);
      }
    expect(judged.some((v) => v.model?.probabilities && v.hits.some((hit) => changed.has(hit.rule)))).toBe(true);
  });

  it('has `rules lint` name a learned-points entry for a missing rule or with the wrong sign', async () => {
    // The two rule files the entries name and the scoring file, not a lint of every shipped rule.
    const rules = path.join(dir, 'rules-bad');
    mkdirSync(path.join(rules, 'forced-criminality'), { recursive: true });
    cpSync('rules/legitimacy.yaml', path.join(rules, 'legitimacy.yaml'));
    cpSync('rules/forced-criminality/destination.yaml', path.join(rules, 'forced-criminality/destination.yaml'));
    const file = path.join(rules, 'scoring.yaml');
    writeFileSync(
      file,
      `${unlearned(readFileSync('rules/scoring.yaml', 'utf8'))}  points:\n    FC-NO-SUCH-RULE: 2\n    NEG-PH-DMW-JOB-ORDER: 1\n  points-no-model:\n    FC-NO-SUCH-RULE-EITHER: 2\n    FC-DEST-HUB-KH: -1\n`,
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    const result = await runMain(['rules', 'lint', rules]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `scoring.yaml:${lines.indexOf('    FC-NO-SUCH-RULE: 2') + 1}: rule FC-NO-SUCH-RULE field \`scoring.points.FC-NO-SUCH-RULE\`: error BAD_SCORING`,
    );
    expect(result.stdout).toMatch(/rule NEG-PH-DMW-JOB-ORDER .*error BAD_SCORING: .*0 or negative/);
    expect(result.stdout).toContain(
      `scoring.yaml:${lines.indexOf('    FC-NO-SUCH-RULE-EITHER: 2') + 1}: rule FC-NO-SUCH-RULE-EITHER field \`scoring.points-no-model.FC-NO-SUCH-RULE-EITHER\`: error BAD_SCORING`,
    );
    expect(result.stdout).toMatch(/rule FC-DEST-HUB-KH field `scoring.points-no-model.FC-DEST-HUB-KH`: error BAD_SCORING: .*0 or more/);
  });

  // One fit with both a --fpr-on input and a target per label: the two tests below read its report.
  const perLabel = path.join(dir, 'per-label.yaml');
  let targeted: Promise<RescoreReport> | undefined;
  const rescoreTargeted = (): Promise<RescoreReport> =>
    (targeted ??= runMain([
      'rescore',
      ...LABELLED,
      '--no-model',
      '--fpr-on',
      'fixtures/postings/legit-en.csv',
      '--target-fpr',
      'employment-fraud=0.05',
      '--target-fpr',
      '0.02',
      '--out',
      perLabel,
      '--format',
      'json',
    ]).then((result) => {
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as RescoreReport;
    }));

  it("judges the target on the --fpr-on inputs' legitimate postings only, and lists those still flagged", async () => {
    const judged = await rescoreTargeted();
    const legitEn = readFileSync('fixtures/postings/legit-en.csv', 'utf8');
    expect(judged.targetJudgedOn.inputs).toEqual(['fixtures/postings/legit-en.csv']);
    expect(judged.targetJudgedOn.legit).toBeGreaterThan(0);
    expect(judged.targetJudgedOn.legit).toBeLessThan(110);
    expect(legitEn.split('\n').length).toBeGreaterThan(judged.targetJudgedOn.legit);
    // The list is the kept fit's false positives on the judged postings, nothing else.
    const kept = judged.rounds[judged.chosen]!;
    expect(judged.legitFlagged.length).toBeGreaterThan(0);
    expect(judged.legitFlagged.length).toBe(Math.round(kept.fpr! * judged.targetJudgedOn.legit));
    for (const flagged of judged.legitFlagged) {
      expect(flagged.file).toBe('fixtures/postings/legit-en.csv');
      expect(legitEn).toContain(flagged.id);
      expect(flagged.labels.length).toBeGreaterThan(0);
    }
  });

  it('takes a target per label, reports each, and records them in the scoring file', async () => {
    const report = await rescoreTargeted();
    expect(report.labelTargets).toEqual({ 'forced-criminality': 0.02, 'employment-fraud': 0.05 });
    const kept = report.rounds[report.chosen]!;
    expect(report.targetMet).toBe(
      kept.legitFlagged['forced-criminality'] / report.targetJudgedOn.legit <= 0.02 &&
        kept.legitFlagged['employment-fraud'] / report.targetJudgedOn.legit <= 0.05,
    );
    const written = YAML.parse(readFileSync(perLabel, 'utf8')) as { scoring: { 'rescored-no-model': Record<string, unknown> } };
    expect(written.scoring['rescored-no-model']['target-fpr']).toEqual({ 'forced-criminality': 0.02, 'employment-fraud': 0.05 });
    expect(written.scoring['rescored-no-model'].command).toContain('--target-fpr employment-fraud=0.05 --target-fpr 0.02');
    expect(written.scoring['rescored-no-model'].command).toContain('--fpr-on fixtures/postings/legit-en.csv');
  });

  it('refuses a bad target rate, --folds with a model option, or --fpr-on naming no input, with exit 2', async () => {
    for (const args of [
      ['--target-fpr', '2'],
      ['--target-fpr', 'low'],
      ['--target-fpr', 'fraud=0.01'],
      ['--target-fpr', 'employment-fraud=2'],
      ['--folds', '5', '--no-model'],
      ['--by', 'colour'],
      ['--fpr-on', 'fixtures/postings/legit-en.csv'],
    ]) {
      const result = await runMain(['rescore', LABELLED[0]!, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/lurescan: --/);
    }
  });
});
