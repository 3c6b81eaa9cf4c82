import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../src/run/rules.js';
import { loadRuleSetHead } from '../src/run/rules-head.js';
import { parseThreadRules, patternIdsOf, threadRulesOf } from '../src/run/protocol.js';
import { compileRuleSet, evaluateRules, keywordsToRegexSource, planRuleSet, prepareFields, scoreHits } from '../src/rules/engine.js';
import { checkExamples } from '../src/rules/examples.js';
import { assembleRuleSet } from '../src/rules/ruleset.js';
import { DEFAULT_SCORING, parseRuleFile } from '../src/rules/schema.js';
import { scorePosting } from '../src/score/index.js';
import type { Posting } from '../src/types.js';

const posting = (fields: Record<string, string>): Posting => ({ id: 'p1', source: { file: 't.csv', row: 2 }, fields });

const RULES = `
scoring:
  thresholds: {forced-criminality: 8, employment-fraud: 6}
  default-cap: 4
  caps:
    forced-criminality: {cover-job: 1, destination: 4, combination: 8}
rules:
  - id: T-DEST
    title: hub
    label: forced-criminality
    category: destination
    points: 4
    fields: [title, location, description]
    any:
      - regex: '\\bsihanoukville\\b'
      - keywords: [西港, KK园区]
    references: [WIKI]
    examples: {match: ["job in Sihanoukville"], nomatch: ["job in Phnom Penh"]}
  - id: T-COVER-1
    title: csr
    label: forced-criminality
    category: cover-job
    points: 1
    any: [{keywords: [customer service, csr]}]
    references: [FBI-23]
    examples: {match: ["CSR wanted"], nomatch: ["cook wanted"]}
  - id: T-COVER-2
    title: typist
    label: forced-criminality
    category: cover-job
    points: 1
    any: [{keywords: [typist]}]
    references: [BD-BRAC]
    examples: {match: ["typist"], nomatch: ["typing"]}
  - id: T-TRAVEL
    title: free flight
    label: forced-criminality
    category: travel-paid
    points: 3
    all: [{regex: 'free (?:air)?(?:ticket|flight)'}]
    not: [{keywords: [work permit]}]
    references: [FBI-23]
    examples: {match: ["free flight"], nomatch: ["free flight and work permit"]}
  - id: T-COMBO
    type: combination
    title: hub plus travel
    label: forced-criminality
    category: combination
    points: 3
    combine:
      all: [{category: destination}, {rule: T-TRAVEL}]
    references: [UNODC-KI]
    examples: {match: ["CSR in Sihanoukville, free flight"], nomatch: ["CSR in Sihanoukville"]}
`;

function load(text = RULES) {
  const def = assembleRuleSet([{ file: 'rules/test.yaml', text }]);
  return { def, set: compileRuleSet(def.rules, def.scoring) };
}

describe('a regex that can match the empty string', () => {
  it('has its first non-empty match reported, in the joined text and field by field', () => {
    const text = (fields: string) => `rules:
  - id: T-EMPTY-X
    title: runs of x
    label: employment-fraud
    category: task-scam
    points: 1
${fields}    any:
      - regex: 'x*'
    references: [WIKI]
    examples: {match: ["aaxx"], nomatch: ["aa"]}
`;
    for (const scope of ['', '    fields: [description]\n']) {
      const def = parseRuleFile(text(scope), 'x.yaml');
      expect(def.rules.map((rule) => rule.id)).toEqual(['T-EMPTY-X']);
      const set = compileRuleSet(def.rules, assembleRuleSet([{ file: 'x.yaml', text: text(scope) }]).scoring);
      const [hit] = evaluateRules(set, prepareFields(posting({ title: 'aa', description: 'ab xxx' })));
      expect(hit, scope).toMatchObject({ rule: 'T-EMPTY-X', field: 'description', start: 3, end: 6, match: 'xxx' });
      expect(evaluateRules(set, prepareFields(posting({ description: 'aa' })))).toEqual([]);
    }
  });
});

describe('except-languages', () => {
  it('leaves a posting in a listed language alone, and scores the others', () => {
    const text = `rules:
  - id: T-PHONE-X
    title: phone
    label: forced-criminality
    category: destination
    points: 2
    except-languages: [km]
    any:
      - regex: '\\+855'
    references: [WIKI]
    examples: {match: ["call +855 12 555 123"], nomatch: ["call +66 2 555 0148"]}
`;
    const parsed = parseRuleFile(text, 'x.yaml');
    expect(parsed.problems).toEqual([]);
    const set = compileRuleSet(parsed.rules, assembleRuleSet([{ file: 'x.yaml', text }]).scoring);
    const english = posting({ description: 'Customer service job, good salary, please call +855 12 555 123 for the interview' });
    const khmer = posting({ description: 'ការងារនៅប្រទេសថៃ ប្រាក់ខែខ្ពស់ ទូរស័ព្ទ +855 12 555 123' });
    expect(evaluateRules(set, prepareFields(english)).map((h) => h.rule)).toEqual(['T-PHONE-X']);
    expect(prepareFields(khmer).lang).toBe('km');
    expect(evaluateRules(set, prepareFields(khmer))).toEqual([]);
    expect(parseRuleFile(text.replace('[km]', '[]'), 'x.yaml').problems.map((p) => p.code)).toEqual(['BAD_VALUE']);
  });
});

describe('rule files', () => {
  it('parses rules and scoring', () => {
    const { def } = load();
    expect(def.problems).toEqual([]);
    expect(def.rules.map((r) => r.id)).toEqual(['T-DEST', 'T-COVER-1', 'T-COVER-2', 'T-TRAVEL', 'T-COMBO']);
    expect(def.scoring.caps['forced-criminality']['cover-job']).toBe(1);
    expect(def.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names file, line, rule and field in every validation problem', () => {
    const text = `rules:
  - id: FC-OK-ONE
    title: fine
    label: forced-criminality
    category: destination
    points: 2
    any: [{regex: 'a(b'}]
  - id: FC-BAD-TWO
    title: bad
    label: forced-criminality
    category: not-a-category
    points: many
    colour: red
    any: [{keywords: []}]
`;
    const { problems } = parseRuleFile(text, 'rules/x.yaml');
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'rules/x.yaml', line: 7, rule: 'FC-OK-ONE', field: 'any', code: 'BAD_REGEX' }),
        expect.objectContaining({ line: 11, rule: 'FC-BAD-TWO', field: 'category', code: 'BAD_VALUE' }),
        expect.objectContaining({ line: 12, rule: 'FC-BAD-TWO', field: 'points' }),
        expect.objectContaining({ line: 13, rule: 'FC-BAD-TWO', field: 'colour', code: 'UNKNOWN_KEY' }),
        expect.objectContaining({ line: 14, rule: 'FC-BAD-TWO', field: 'any' }),
      ]),
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const { problems } = parseRuleFile('rules:\n  - id: X-Y\n    title: [unclosed\n', 'bad.yaml');
    expect(problems[0]).toMatchObject({ file: 'bad.yaml', code: 'YAML_SYNTAX' });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('finds duplicate ids across files and dangling combination references', () => {
    const rule = (id: string) =>
      `rules:\n  - id: ${id}\n    title: t\n    label: employment-fraud\n    category: advance-fee\n    points: 6\n    any: [{keywords: [fee]}]\n`;
    const combo = `rules:\n  - id: EF-COMBO-X\n    type: combination\n    title: t\n    label: employment-fraud\n    category: combination\n    points: 2\n    combine: {all: [{rule: EF-NOPE}]}\n`;
    const def = assembleRuleSet([
      { file: 'a.yaml', text: rule('EF-FEE-A') },
      { file: 'b.yaml', text: rule('EF-FEE-A') },
      { file: 'c.yaml', text: combo },
    ]);
    expect(def.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'b.yaml', rule: 'EF-FEE-A', code: 'DUPLICATE_ID', message: expect.stringContaining('a.yaml:2') }),
        expect.objectContaining({ file: 'c.yaml', rule: 'EF-COMBO-X', code: 'BAD_REFERENCE' }),
      ]),
    );
  });
});

describe('vetoes', () => {
  const rule = (category: string, points: number, veto: string): string => `rules:
  - id: NEG-T-REPORTED
    title: a report, not an offer
    label: forced-criminality
    category: ${category}
    points: ${points}
    veto: ${veto}
    any:
      - regex: 'police said'
    references: [WIKI]
    examples: {match: ["police said"], nomatch: ["apply now"]}
`;

  it('marks a legitimacy rule with points below 0 as a veto, and refuses it anywhere else', () => {
    const parsed = parseRuleFile(rule('legitimacy', -60, 'true'), 'x.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules[0]!.veto).toBe(true);
    expect(parseRuleFile(rule('legitimacy', -60, 'false'), 'x.yaml').rules[0]!.veto).toBeUndefined();
    for (const [category, points, veto, message] of [
      ['destination', 4, 'true', /legitimacy rules with points below 0/],
      ['legitimacy', 0, 'true', /legitimacy rules with points below 0/],
      ['legitimacy', -60, 'yes please', /true or false/],
    ] as const) {
      const { problems } = parseRuleFile(rule(category, points, veto), 'x.yaml');
      expect(problems, `${category} ${points} ${veto}`).toEqual([
        expect.objectContaining({ code: 'BAD_VALUE', field: 'veto', message: expect.stringMatching(message) }),
      ]);
    }
  });
});

describe('learned points and model levels in the scoring file', () => {
  const NEGATIVE = `
  - id: NEG-T-LICENSED
    title: licensed agency
    label: forced-criminality
    category: legitimacy
    points: -2
    any: [{keywords: [licensed agency]}]
    references: [WIKI]
    examples: {match: ["licensed agency"], nomatch: ["agency"]}
`;
  const withScoring = (extra: string): string => `${RULES.replace('scoring:\n', `scoring:\n${extra}`)}${NEGATIVE}`;

  it("overrides the rules' own points wherever the set is used, and keeps the authored points beside them", () => {
    const { def, set } = load(withScoring('  points:\n    T-DEST: 5.5\n    NEG-T-LICENSED: -0.5\n    T-COVER-1: 0\n'));
    expect(def.problems).toEqual([]);
    const byId = new Map(def.rules.map((r) => [r.id, r]));
    expect(byId.get('T-DEST')).toMatchObject({ points: 5.5, authoredPoints: 4 });
    expect(byId.get('NEG-T-LICENSED')).toMatchObject({ points: -0.5, authoredPoints: -2 });
    expect(byId.get('T-COVER-1')).toMatchObject({ points: 0, authoredPoints: 1 });
    expect(byId.get('T-TRAVEL')!.authoredPoints).toBeUndefined();
    const verdict = scorePosting(set, posting({ title: 'CSR', description: 'Job in Sihanoukville' }));
    expect(verdict.hits.find((h) => h.rule === 'T-DEST')!.points).toBe(5.5);
    expect(verdict.scores['forced-criminality']).toBe(4); // capped at the destination cap
  });

  it('reports learned points for unknown rules or with the wrong sign, located, and does not apply them', () => {
    const text = withScoring('  points:\n    T-DEST: 3\n    FC-NO-SUCH: 2\n    NEG-T-LICENSED: 1\n    T-TRAVEL: -1\n    T-COVER-2: lots\n    lower-case: 1\n');
    const { def } = load(text);
    // Lines: the extra scoring entries start on line 3 of the file (`points:`).
    expect(def.problems).toEqual([
      expect.objectContaining({
        file: 'rules/test.yaml',
        line: 8,
        rule: 'T-COVER-2',
        field: 'scoring.points.T-COVER-2',
        code: 'BAD_SCORING',
        message: expect.stringContaining('must be a number'),
      }),
      expect.objectContaining({ line: 9, field: 'scoring.points.lower-case', code: 'BAD_SCORING', message: expect.stringContaining('not a rule id') }),
      expect.objectContaining({
        file: 'rules/test.yaml',
        line: 5,
        rule: 'FC-NO-SUCH',
        code: 'BAD_SCORING',
        message: expect.stringContaining('not a rule of this set'),
      }),
      expect.objectContaining({ line: 6, rule: 'NEG-T-LICENSED', field: 'scoring.points.NEG-T-LICENSED', message: expect.stringContaining('0 or negative') }),
      expect.objectContaining({ line: 7, rule: 'T-TRAVEL', message: expect.stringContaining('0 or more') }),
    ]);
    const byId = new Map(def.rules.map((r) => [r.id, r]));
    expect(byId.get('T-DEST')!.points).toBe(3);
    expect(byId.get('NEG-T-LICENSED')!.points).toBe(-2);
    expect(byId.get('T-TRAVEL')!.points).toBe(3);
  });

  it('reads learned model levels in ascending order and refuses levels outside (0, 1), negative points or both forms', () => {
    const good = load(
      withScoring('  model:\n    forced-criminality: {levels: {0.95: 4, 0.5: 1.5, 0.8: 2}}\n    employment-fraud: {from: 0.1, alone: 0.4, max: 3}\n'),
    );
    expect(good.def.problems).toEqual([]);
    expect(good.def.scoring.model['forced-criminality']).toEqual({
      levels: [
        { at: 0.5, points: 1.5 },
        { at: 0.8, points: 2 },
        { at: 0.95, points: 4 },
      ],
    });
    expect(good.def.scoring.model['employment-fraud']).toEqual({ from: 0.1, alone: 0.4, max: 3 });
    const vetoed = load(withScoring('  model:\n    forced-criminality: {levels: {0.5: 1.5}, below: {0.01: -8, 0.001: -2}}\n'));
    expect(vetoed.def.problems).toEqual([]);
    expect(vetoed.def.scoring.model['forced-criminality']).toEqual({
      levels: [{ at: 0.5, points: 1.5 }],
      below: [
        { at: 0.001, points: -2 },
        { at: 0.01, points: -8 },
      ],
    });
    for (const [entry, message] of [
      ['{levels: {0.5: 1}, below: {0.01: 3}}', /0 or fewer/],
      ['{levels: {0.5: 1}, below: {1: -3}}', /not a probability/],
      ['{levels: {0.5: 1}, below: [0.01]}', /must map probabilities to points of 0 or fewer/],
      ['{from: 0.1, alone: 0.4, max: 3, below: {0.01: -3}}', /goes with `levels`/],
      ['{levels: {1.2: 4}}', /not a probability/],
      ['{levels: {0: 4}}', /not a probability/],
      ['{levels: {0.5: -1}}', /0 or more/],
      ['{levels: {0.5: 1, "0.50": 2}}', /given twice/],
      ['{levels: {0.5: 1}, max: 2}', /not both/],
      ['{levels: [0.5, 0.9]}', /must map probabilities/],
    ] as const) {
      const { def } = load(withScoring(`  model:\n    forced-criminality: ${entry}\n`));
      expect(def.problems, entry).toEqual([expect.objectContaining({ code: 'BAD_SCORING', field: 'scoring.model', message: expect.stringMatching(message) })]);
    }
  });

  it('keeps the rescore provenance as information and refuses it when it is not a mapping', () => {
    const { def } = load(withScoring('  rescored: {command: lurescan rescore corpus/train, target-fpr: 0.01}\n'));
    expect(def.problems).toEqual([]);
    expect(def.scoring.rescored).toEqual({ command: 'lurescan rescore corpus/train', 'target-fpr': 0.01 });
    expect(load(withScoring('  rescored: yesterday\n')).def.problems).toEqual([expect.objectContaining({ code: 'BAD_SCORING', field: 'scoring.rescored' })]);
  });
});

describe('keywords', () => {
  it('bound spaced-script keywords to whole words and match CJK/Thai as substrings', () => {
    const re = new RegExp(keywordsToRegexSource(['CSR', '西港', 'lương cao', 'แอดมิน']), 'u');
    expect(re.test('hiring csr now')).toBe(true);
    expect(re.test('hiring csrs now')).toBe(false);
    expect(re.test('工作在西港市')).toBe(true);
    expect(re.test('việc nhẹ lương cao')).toBe(true);
    expect(re.test('việc nhẹ lương caoo')).toBe(false);
    expect(re.test('รับสมัครแอดมินออนไลน์')).toBe(true);
    const telegram = new RegExp(keywordsToRegexSource(['telegram']), 'u');
    expect(telegram.test('加telegram咨询')).toBe(true);
    expect(telegram.test('telegramx')).toBe(false);
    const punctuated = new RegExp(keywordsToRegexSource(['xi-ha-núc', 'a.b (c)', 'x/y', '$100+']), 'u');
    expect(punctuated.test('làm ở xi-ha-núc')).toBe(true);
    expect(punctuated.test('see a.b (c) and $100+')).toBe(true);
  });

  it('find every keyword of a long mixed list, each still bounded as it alone would be', () => {
    const words = Array.from({ length: 300 }, (_, i) => `w${i.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!)}k`);
    const list = [...words, 'ab', 'abc', '西港', 'x西', '西x', 'lương cao'];
    const re = new RegExp(keywordsToRegexSource(list), 'u');
    for (const word of words) {
      expect(re.test(`say ${word} here`)).toBe(true);
      expect(re.test(`say ${word}y here`)).toBe(false);
    }
    // A longer keyword failing its boundary falls back to a shorter one that holds.
    expect('abcd ab'.match(new RegExp(keywordsToRegexSource(['abc', 'ab']), 'u'))?.index).toBe(5);
    expect(re.test('去x西港')).toBe(true);
    expect(re.test('yx西')).toBe(false);
    expect(re.test('西xy')).toBe(false);
    // One look-behind per boundary group, not one per keyword.
    expect(keywordsToRegexSource(list).split('(?<!').length - 1).toBeLessThanOrEqual(2);
  });
});

describe('rule files and YAML', () => {
  it("let one rule reuse another's list through YAML anchors", () => {
    const text = `rules:
  - id: T-ONE-A
    title: one
    label: forced-criminality
    category: destination
    points: 1
    any:
      - keywords: &places [bavet, poipet]
    references: [WIKI]
    examples: {match: [in bavet], nomatch: [in hanoi]}
  - id: T-TWO-A
    title: two
    label: employment-fraud
    category: legitimacy
    points: -1
    any:
      - keywords: *places
    references: [WIKI]
    examples: {match: [in poipet], nomatch: [in hanoi]}
`;
    const parsed = parseRuleFile(text, 'anchors.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules[1]!.any).toEqual([{ keywords: ['bavet', 'poipet'] }]);
  });
});

describe('regex matchers', () => {
  it('see the same NFKC folding as the text (Thai sara am)', async () => {
    const { compileMatcher } = await import('../src/rules/engine.js');
    const { normalizeText } = await import('../src/normalize/index.js');
    const matcher = compileMatcher({ regex: 'ทำงาน\\S{0,3}ออนไลน์' });
    expect(matcher.re.test(normalizeText('รับสมัครทำงานออนไลน์').text)).toBe(true);
  });
});

describe('evaluation and scoring', () => {
  it('reports hits with offsets into the original field text', () => {
    const { set } = load();
    const description = 'Job in  S.i.h.a.n.o.u.k.v.i.l.l.e, FREE  Flight!';
    const hits = evaluateRules(set, prepareFields(posting({ title: 'Typist', description })));
    const dest = hits.find((h) => h.rule === 'T-DEST')!;
    expect(description.slice(dest.start, dest.end)).toBe('S.i.h.a.n.o.u.k.v.i.l.l.e');
    expect(dest.match).toBe('S.i.h.a.n.o.u.k.v.i.l.l.e');
    expect(dest.field).toBe('description');
    const travel = hits.find((h) => h.rule === 'T-TRAVEL')!;
    expect(description.slice(travel.start, travel.end)).toBe('FREE  Flight');
    expect(hits.find((h) => h.rule === 'T-COMBO')).toMatchObject({ combines: ['T-DEST', 'T-TRAVEL'], points: 3 });
  });

  it('honours field scoping and not-matchers', () => {
    const { set } = load();
    expect(evaluateRules(set, prepareFields(posting({ company: 'Sihanoukville Trading' }))).map((h) => h.rule)).toEqual([]);
    const withPermit = evaluateRules(set, prepareFields(posting({ description: 'free flight, work permit arranged' })));
    expect(withPermit.map((h) => h.rule)).toEqual([]);
  });

  it('caps a category so correlated weak signals cannot pile up', () => {
    const { set } = load();
    const verdict = scorePosting(set, posting({ title: 'CSR typist', description: 'customer service typist' }));
    expect(verdict.hits.map((h) => h.rule).sort()).toEqual(['T-COVER-1', 'T-COVER-2']);
    expect(verdict.scores['forced-criminality']).toBe(1);
    expect(verdict.flagged).toBe(false);
  });

  it('flags when the capped sum reaches the threshold', () => {
    const { set } = load();
    const verdict = scorePosting(set, posting({ title: 'CSR', description: 'Sihanoukville 西港, free flight' }));
    // destination 4 + travel-paid 3 + cover-job 1 + combination 3 = 11
    expect(verdict.scores['forced-criminality']).toBe(11);
    expect(verdict.labels).toEqual(['forced-criminality']);
    expect(verdict.hits[0]!.points).toBe(4);
  });

  it('clamps negative (legitimacy) categories too', () => {
    const scores = scoreHits(
      [
        { rule: 'A', label: 'forced-criminality', category: 'legitimacy', points: -4 },
        { rule: 'B', label: 'forced-criminality', category: 'legitimacy', points: -4 },
        { rule: 'C', label: 'forced-criminality', category: 'destination', points: 4 },
      ],
      {
        ...DEFAULT_SCORING,
        thresholds: { 'forced-criminality': 8, 'employment-fraud': 6 },
        caps: { 'forced-criminality': { legitimacy: 5 }, 'employment-fraud': {} },
        defaultCap: 4,
      },
    );
    expect(scores['forced-criminality']).toBe(-1);
  });

  it('checks each rule against its own examples', () => {
    const { def } = load();
    expect(checkExamples(def.rules, def.scoring)).toEqual([]);
    const broken = load(RULES.replace('nomatch: ["job in Phnom Penh"]', 'nomatch: ["job in Sihanoukville"]'));
    expect(checkExamples(broken.def.rules, broken.def.scoring)).toEqual([
      expect.objectContaining({ code: 'EXAMPLE_FAILED', severity: 'error', rule: 'T-DEST', expected: 'nomatch', example: 'job in Sihanoukville' }),
    ]);
  });
});

describe('rule set cache', () => {
  it('gives the same definition, with its plan, from the cache, and misses after any edit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lurescan-rulecache-'));
    const rules = path.join(dir, 'rules');
    const cache = path.join(dir, 'cache');
    mkdirSync(rules);
    const rule = (points: number): string =>
      `rules:\n  - id: EF-CACHE-ONE\n    label: employment-fraud\n    category: advance-fee\n    points: ${points}\n    title: a fee\n    description: a fee\n    any: [{ keywords: [fee] }]\n`;
    writeFileSync(path.join(rules, 'a.yaml'), rule(3));
    const fresh = await loadRuleSet(rules, undefined);
    // Assembled without the cache, the set comes planned (test/tables.test.ts compiles the shipped
    // set's plan, as the cache gives it, against compiling without one).
    expect(fresh.plan).toEqual(planRuleSet(fresh.rules));
    expect(Object.keys(fresh.plan!)).toHaveLength(1);
    const first = await loadRuleSet(rules, cache);
    expect(readdirSync(cache).filter((name) => name.startsWith('rules-'))).toHaveLength(1);
    const cached = await loadRuleSet(rules, cache);
    expect(cached).toEqual(fresh);
    expect(first).toEqual(fresh);
    // The same files again in this process: the set this process already has, frozen, so no caller
    // can change what the next one is given.
    expect(cached).toBe(first);
    expect(Object.isFrozen(cached.rules[0]!.any![0])).toBe(true);
    expect(() => {
      (cached.rules[0] as { points: number }).points = 9;
    }).toThrow(TypeError);
    writeFileSync(path.join(rules, 'a.yaml'), rule(4));
    const edited = await loadRuleSet(rules, cache);
    expect(edited.rules[0]!.points).toBe(4);
    expect(edited.fingerprint).not.toBe(fresh.fingerprint);
    expect(readdirSync(cache).filter((name) => name.startsWith('rules-'))).toHaveLength(2);
    // The process remembers what the files were at a load (run/rules.ts ruleFilesStatus), not only
    // their text: a file added, taken away or written back is a new load all the same.
    writeFileSync(path.join(rules, 'b.yaml'), rule(5).replace('EF-CACHE-ONE', 'EF-CACHE-TWO'));
    expect((await loadRuleSet(rules, cache)).rules.map((r) => r.id)).toEqual(['EF-CACHE-ONE', 'EF-CACHE-TWO']);
    rmSync(path.join(rules, 'b.yaml'));
    expect(await loadRuleSet(rules, cache)).toBe(edited);
    writeFileSync(path.join(rules, 'a.yaml'), rule(3));
    expect(await loadRuleSet(rules, cache)).toBe(first);
    // Files written in the last seconds are read again at every load (a second-grained clock could
    // give a rewrite the identity the file had); older ones are remembered, also for the next process,
    // as a key entry naming the cached set they gave.
    const keys = (): string[] => readdirSync(cache).filter((name) => name.startsWith('rules-key-'));
    expect(keys()).toEqual([]);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(rules, 'a.yaml'), hourAgo, hourAgo);
    expect(await loadRuleSet(rules, cache)).toBe(first);
    expect(keys()).toHaveLength(1);
    const kept = JSON.parse(readFileSync(path.join(cache, keys()[0]!), 'utf8')) as { cacheFile: string };
    expect(readdirSync(cache)).toContain(kept.cacheFile);
    expect(await loadRuleSet(rules, cache)).toBe(first);
    // A rewrite at the same size, aged the same way, is another file all the same (its change time).
    writeFileSync(path.join(rules, 'a.yaml'), rule(4));
    utimesSync(path.join(rules, 'a.yaml'), hourAgo, hourAgo);
    expect((await loadRuleSet(rules, cache)).rules[0]!.points).toBe(4);
  });

  it("gives a scan's head: the set without its rules, which the threads take as bytes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lurescan-rulehead-'));
    const rules = path.join(dir, 'rules');
    const cache = path.join(dir, 'cache');
    mkdirSync(rules);
    const file = path.join(rules, 'a.yaml');
    writeFileSync(
      file,
      `rules:\n  - id: EF-HEAD-ONE\n    label: employment-fraud\n    category: advance-fee\n    points: 3\n    title: a fee\n    description: a fee\n    references: [WIKI]\n    any: [{ keywords: [fee] }]\n    examples: { match: [pay a fee] }\n  - id: EF-HEAD-OLD\n    status: deprecated\n    label: employment-fraud\n    category: advance-fee\n    points: 3\n    title: old\n    description: old\n    any: [{ keywords: [deposit] }]\n`,
    );
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);
    const whole = await loadRuleSet(rules, undefined);
    const scans = (): string[] => readdirSync(cache).filter((name) => name.endsWith('.scan'));
    const expectHeadOf = async (head: Awaited<ReturnType<typeof loadRuleSetHead>>): Promise<void> => {
      expect(head.fingerprint).toBe(whole.fingerprint);
      expect(head.scoring).toEqual(whole.scoring);
      expect(head.files).toEqual(whole.files);
      expect(head.ruleCount).toBe(2);
      expect(head.patternIds).toEqual(['EF-HEAD-ONE']);
      expect(head.patternIds).toEqual(patternIdsOf(whole.rules));
      // The threads' form: no examples, references or title, and the plan without the prefilter's strings.
      const forThreads = parseThreadRules(head.threadRules);
      expect(forThreads).toEqual(threadRulesOf(whole.rules, whole.plan, true));
      expect(forThreads.rules[0]!.examples).toEqual({ match: [], nomatch: [] });
      expect(head.threadRules.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(await head.load()).toEqual(whole);
    };
    // First: the whole set is loaded and keyed, and the head's entry written beside it.
    await expectHeadOf(await loadRuleSetHead(rules, cache));
    expect(scans()).toHaveLength(1);
    // Then, in a later process, the entry alone: test/cache-dir.test.ts.
    // An entry cut short is a miss, never a head with part of its rules: the whole set is loaded, and
    // the entry written again. (Another cache folder: this process keeps the entries it read.)
    const other = path.join(dir, 'other');
    cpSync(cache, other, { recursive: true });
    const entry = path.join(other, scans()[0]!);
    const size = statSync(entry).size;
    writeFileSync(entry, readFileSync(entry).subarray(0, -10));
    await expectHeadOf(await loadRuleSetHead(rules, other));
    expect(statSync(entry).size).toBe(size);
  });
});
