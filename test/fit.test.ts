import { describe, expect, it } from 'vitest';
import type { Truth } from '../src/contracts/labels.js';
import { DEFAULT_SCORING, type ScoringConfig } from '../src/rules/schema.js';
import { DEFAULT_FIT_OPTIONS, fitScoring, labelsUnder, MODEL_LEVELS, type FitOptions, type FitPosting, type FitRule } from '../src/score/fit.js';
import type { Label } from '../src/types.js';

const SCORING: ScoringConfig = {
  ...DEFAULT_SCORING,
  thresholds: { 'forced-criminality': 8, 'employment-fraud': 6 },
  caps: {
    'forced-criminality': { destination: 4, routing: 8, legitimacy: 4, combination: 8 },
    'employment-fraud': { 'advance-fee': 6, legitimacy: 4 },
  },
  defaultCap: 8,
  points: {},
};

const RULES: FitRule[] = [
  { id: 'FC-DEST', label: 'forced-criminality', category: 'destination', authored: 4 },
  { id: 'FC-WEAK', label: 'forced-criminality', category: 'routing', authored: 3 },
  { id: 'FC-LOUD', label: 'forced-criminality', category: 'routing', authored: 8 },
  { id: 'FC-NOISE', label: 'forced-criminality', category: 'destination', authored: 0.5 },
  { id: 'FC-AMBIGUOUS', label: 'forced-criminality', category: 'routing', authored: 8 },
  { id: 'FC-IDLE', label: 'forced-criminality', category: 'routing', authored: 5 },
  { id: 'NEG-FC-LICENSED', label: 'forced-criminality', category: 'legitimacy', authored: -1 },
  { id: 'EF-FEE', label: 'employment-fraud', category: 'advance-fee', authored: 3 },
];
const RULE = new Map(RULES.map((r) => [r.id, r]));

/** `count` postings of one truth on which these rules fire (with their authored points), and optionally a model probability. */
function postings(count: number, truth: Truth, ruleIds: string[], probabilities?: Partial<Record<Label, number>>): FitPosting[] {
  const hits = ruleIds.map((id) => {
    const rule = RULE.get(id)!;
    return { rule: id, label: rule.label, category: rule.category, points: rule.authored };
  });
  return Array.from({ length: count }, () => ({ truth, hits, ...(probabilities ? { probabilities } : {}) }));
}

/**
 * 1,060 postings: 20 lures and the 30 legitimate ads that look like them (FC-AMBIGUOUS), 40 job
 * scams and `scamLookAlikes` legitimate ads that fire their fee rule, the rest plain legitimate ads.
 * The first job scam is at index 50.
 */
function lookAlikeMix(scamLookAlikes: number): FitPosting[] {
  return [
    ...postings(20, 'forced-criminality', ['FC-AMBIGUOUS']),
    ...postings(30, 'legit', ['FC-AMBIGUOUS']),
    ...postings(40, 'employment-fraud', ['EF-FEE']),
    ...postings(scamLookAlikes, 'legit', ['EF-FEE']),
    ...postings(1060 - 90 - scamLookAlikes, 'legit', []),
  ];
}

/** One label at a time, no false-positive loop unless a test asks for it. */
const options = (extra: Partial<FitOptions> = {}): FitOptions => ({ ...DEFAULT_FIT_OPTIONS, targetFpr: 1, ...extra });

const fprOf = (data: FitPosting[], points: Record<string, number>, scoring: ScoringConfig): number => {
  const legit = data.filter((p) => p.truth === 'legit');
  return legit.filter((p) => labelsUnder(p, points, scoring).length > 0).length / legit.length;
};

describe('score sets', () => {
  it('leaves a posting the model did not judge to the no-model points, and fits the no-model set on every posting', () => {
    // 20 lures the model judges, 20 it does not; the no-model set gives FC-WEAK 8, so the unjudged lures flag whatever the fit does.
    const judged = postings(20, 'forced-criminality', ['FC-WEAK'], { 'forced-criminality': 0.9 });
    const unjudged = postings(20, 'forced-criminality', ['FC-WEAK']).map((p) => ({ ...p, hits: p.hits.map((h) => ({ ...h, points: 8 })) }));
    const legit = postings(200, 'legit', ['FC-WEAK'], { 'forced-criminality': 0.01 });
    const data = [...judged, ...unjudged, ...legit];
    const scoring: ScoringConfig = { ...SCORING, pointsNoModel: { 'FC-WEAK': 8 }, noModel: { 'FC-WEAK': 8 } };
    // Whatever points the model's set gives FC-WEAK, an unjudged lure keeps its 8; a judged one takes them.
    expect(labelsUnder(unjudged[0]!, { 'FC-WEAK': 0 }, scoring)).toEqual(['forced-criminality']);
    expect(labelsUnder(judged[0]!, { 'FC-WEAK': 0 }, scoring)).toEqual([]);
    // In the no-model set the fitted points apply to every posting.
    expect(labelsUnder(unjudged[0]!, { 'FC-WEAK': 0 }, scoring, 'no-model')).toEqual([]);
    const fit = fitScoring(data, RULES, scoring, options({ levels: MODEL_LEVELS }));
    expect(fit.labels['forced-criminality'].positives).toBe(40);
    // The legitimate ads share the lures' rule: the model's set leans on the model, and the unjudged lures still flag.
    expect(fit.points['FC-WEAK']!).toBeLessThan(8);
    expect(unjudged.every((p) => labelsUnder(p, fit.points, fit.scoring).length === 1)).toBe(true);
    const noModel = fitScoring(
      data.map(({ probabilities: _p, ...rest }) => rest),
      RULES,
      scoring,
      options({ set: 'no-model' }),
    );
    expect(noModel.scoring.pointsNoModel).toEqual(noModel.points);
    expect(noModel.scoring.points).toEqual(scoring.points);
  });
});

describe('fitting rule points', () => {
  it('raises the points of a rule that fires only on positives, within its category cap', () => {
    const data = [
      ...postings(20, 'forced-criminality', ['FC-WEAK', 'FC-DEST']),
      ...postings(20, 'forced-criminality', ['FC-DEST']),
      ...postings(60, 'legit', []),
    ];
    const fit = fitScoring(data, RULES, SCORING, options());
    expect(fit.points['FC-WEAK']).toBeGreaterThan(4); // 4 + 3 missed the threshold of 8
    expect(fit.points['FC-WEAK']).toBeLessThanOrEqual(8);
    // The destination category is capped at 4: however much the positives want, no rule goes past it.
    expect(fit.points['FC-DEST']).toBe(4);
    expect(labelsUnder(data[0]!, fit.points, fit.scoring)).toEqual(['forced-criminality']);
    expect(fit.labels['forced-criminality']).toMatchObject({ fitted: true, positives: 40, legit: 60, rules: 2 });
  });

  it('lowers a rule that flags legitimate postings, and never below 0', () => {
    const data = [
      ...postings(20, 'legit', ['FC-AMBIGUOUS']),
      // Only a negative FC-NOISE could tell these legitimate postings from the positives below: it stops at 0.
      ...postings(20, 'legit', ['FC-LOUD', 'FC-NOISE']),
      ...postings(20, 'forced-criminality', ['FC-LOUD']),
      ...postings(40, 'legit', []),
    ];
    const fit = fitScoring(data, RULES, SCORING, options());
    expect(fit.points['FC-AMBIGUOUS']).toBeLessThan(8);
    expect(labelsUnder(data[0]!, fit.points, fit.scoring)).toEqual([]);
    expect(fit.points['FC-NOISE']).toBe(0);
    for (const value of Object.values(fit.points)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('keeps a legitimacy rule at 0 or below even when it fires on positives', () => {
    const data = [...postings(30, 'forced-criminality', ['FC-WEAK', 'NEG-FC-LICENSED']), ...postings(30, 'legit', [])];
    const fit = fitScoring(data, RULES, SCORING, options());
    expect(fit.points['NEG-FC-LICENSED']).toBe(0);
  });

  it('keeps the authored points of a rule with little evidence, and leaves rules that never fire out', () => {
    const data = [...postings(1, 'forced-criminality', ['FC-WEAK']), ...postings(1, 'legit', ['FC-DEST']), ...postings(30, 'legit', [])];
    const fit = fitScoring(data, RULES, SCORING, options());
    expect(Math.abs(fit.points['FC-WEAK']! - 3)).toBeLessThanOrEqual(1);
    expect(Math.abs(fit.points['FC-DEST']! - 4)).toBeLessThanOrEqual(1);
    expect(Object.keys(fit.points)).toEqual(['FC-DEST', 'FC-WEAK']);
  });

  it('rounds to tenths of a point', () => {
    const data = [...postings(13, 'forced-criminality', ['FC-WEAK', 'FC-DEST']), ...postings(7, 'legit', ['FC-WEAK']), ...postings(50, 'legit', [])];
    const fit = fitScoring(data, RULES, SCORING, options());
    for (const value of Object.values(fit.points)) expect(Math.round(value * 10) / 10).toBe(value);
  });

  it('counts a scam flagged as a lure against forced criminality, and leaves lures out of the employment-fraud fit', () => {
    const data = [
      ...postings(20, 'employment-fraud', ['FC-AMBIGUOUS', 'EF-FEE']),
      ...postings(20, 'forced-criminality', ['FC-DEST', 'EF-FEE']),
      ...postings(5, 'fraud', ['EF-FEE']),
      ...postings(40, 'legit', []),
    ];
    const fit = fitScoring(data, RULES, SCORING, options());
    expect(fit.labels['forced-criminality']).toMatchObject({ positives: 20, otherKind: 20, legit: 40 });
    // A binary key's fraud counts as employment fraud; the lures are neither positive nor negative for it.
    expect(fit.labels['employment-fraud']).toMatchObject({ positives: 25, otherKind: 0, legit: 40 });
    expect(fit.points['FC-AMBIGUOUS']).toBeLessThan(8);
    expect(fit.points['EF-FEE']).toBeGreaterThan(3);
  });

  it('leaves a label with no positives unfitted, with the learned points it had', () => {
    const data = [...postings(20, 'forced-criminality', ['FC-WEAK']), ...postings(20, 'legit', ['EF-FEE'])];
    const scoring = { ...SCORING, points: { 'EF-FEE': 2.5, 'FC-IDLE': 4 } };
    const fit = fitScoring(data, RULES, scoring, options());
    expect(fit.labels['employment-fraud']).toMatchObject({ fitted: false, reason: expect.stringContaining('no employment-fraud postings') });
    expect(fit.points['EF-FEE']).toBe(2.5);
    // FC-IDLE belongs to a fitted label but never fired: the written points all come from this fit.
    expect(fit.points['FC-IDLE']).toBeUndefined();
  });
});

describe('fitting new rules only (rescore --fit new)', () => {
  it('holds learned points and the model points in force, and fits the rule without learned points', () => {
    // FC-DEST (learned 2) and FC-IDLE (learned 1, never fires) are held; FC-WEAK is new. The model adds
    // 5 points at 0.5: a lure it judges at 0.6 needs FC-WEAK at 1 or more to reach 8, and no more.
    const scoring: ScoringConfig = {
      ...SCORING,
      points: { 'FC-DEST': 2, 'FC-IDLE': 1 },
      model: { ...SCORING.model, 'forced-criminality': { levels: [{ at: 0.5, points: 5 }] } },
    };
    const data = [
      ...postings(20, 'forced-criminality', ['FC-DEST', 'FC-WEAK'], { 'forced-criminality': 0.6 }),
      // Held, FC-DEST stays at 2 though it fires on these alone (free, the fit would lower it).
      ...postings(200, 'legit', ['FC-DEST'], { 'forced-criminality': 0.6 }),
      ...postings(100, 'legit', ['FC-WEAK'], { 'forced-criminality': 0.01 }),
    ];
    const rules = RULES.map((rule) => (rule.id === 'FC-DEST' ? { ...rule, held: 2 } : rule.id === 'FC-IDLE' ? { ...rule, held: 1 } : rule));
    const fit = fitScoring(data, rules, scoring, options({ keepLearned: true }));
    expect(fit.points['FC-DEST']).toBe(2);
    expect(fit.points['FC-IDLE']).toBe(1);
    // With the model's 5 points counted the authored 3 already flags every lure; without them the
    // fit would have pushed FC-WEAK towards its cap of 8.
    expect(fit.points['FC-WEAK']).toBeGreaterThanOrEqual(1);
    expect(fit.points['FC-WEAK']).toBeLessThanOrEqual(4);
    expect(fit.model).toBeUndefined();
    expect(fit.scoring.model['forced-criminality']).toEqual(scoring.model['forced-criminality']);
    expect(fit.labels['forced-criminality']).toMatchObject({ rules: 1, held: 1 });
    expect(data.filter((p) => p.truth !== 'legit').every((p) => labelsUnder(p, fit.points, fit.scoring).length === 1)).toBe(true);
    expect(fprOf(data, fit.points, fit.scoring)).toBe(0);
    // Without keepLearned, a fitted label's rule that did not fire loses its learned points.
    expect(fitScoring(data, rules, scoring, options()).points['FC-IDLE']).toBeUndefined();
  });
});

describe('the false-positive cost', () => {
  const data = [...postings(20, 'forced-criminality', ['FC-AMBIGUOUS']), ...postings(10, 'legit', ['FC-AMBIGUOUS']), ...postings(90, 'legit', [])];

  it('lowers the false-positive rate as it rises', () => {
    const cheap = fitScoring(data, RULES, SCORING, options({ fpCost: 1 }));
    const dear = fitScoring(data, RULES, SCORING, options({ fpCost: 16 }));
    expect(fprOf(data, cheap.points, cheap.scoring)).toBe(0.1);
    expect(fprOf(data, dear.points, dear.scoring)).toBe(0);
    expect(dear.points['FC-AMBIGUOUS']).toBeLessThan(cheap.points['FC-AMBIGUOUS']!);
  });

  it('doubles until the target rate is met, keeps the cheapest round that meets it, and says so', () => {
    const fit = fitScoring(data, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.01 }));
    expect(fit.rounds.length).toBeGreaterThan(1);
    expect(fit.rounds[0]).toMatchObject({ costs: { 'forced-criminality': 1 }, fpr: 0.1, legitFlagged: { 'forced-criminality': 10, 'employment-fraud': 0 } });
    expect(fit.rounds[1]!.costs['forced-criminality']).toBe(2);
    expect(fit.targetMet).toBe(true);
    const kept = fit.rounds[fit.chosen]!;
    expect(kept.fpr).toBeLessThanOrEqual(0.01);
    expect(fprOf(data, fit.points, fit.scoring)).toBeLessThanOrEqual(0.01);
    for (const round of fit.rounds) if (round.fpr! <= 0.01) expect(round.costs['forced-criminality']).toBeGreaterThanOrEqual(kept.costs['forced-criminality']);
    expect(fit.labels['forced-criminality'].fpCost).toBe(kept.costs['forced-criminality']);
  });

  it('lowers the cost while the target is met, for the recall it allows', () => {
    // At a high starting cost the ambiguous rule is pushed under the threshold; the target (10%)
    // allows the ten legitimate postings it flags, so the search goes cheaper and keeps the lures.
    const fit = fitScoring(data, RULES, SCORING, options({ fpCost: 64, targetFpr: 0.1 }));
    expect(fit.rounds[0]!.fpr).toBe(0);
    expect(fit.rounds[1]!.costs['forced-criminality']).toBe(32);
    expect(fit.targetMet).toBe(true);
    expect(fit.rounds[fit.chosen]!.costs['forced-criminality']).toBeLessThan(64);
    expect(labelsUnder(data[0]!, fit.points, fit.scoring)).toEqual(['forced-criminality']);
  });

  it("then lowers one label's cost alone while the target holds, so the other's look-alikes do not price its recall", () => {
    // Lures look like 30 legitimate ads (3% at cost 1): forced criminality needs a high cost. Job
    // scams look like one legitimate ad: at that cost its fee rule would stay low and miss them.
    const mixed = lookAlikeMix(1);
    const fit = fitScoring(mixed, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.01 }));
    expect(fit.targetMet).toBe(true);
    const kept = fit.rounds[fit.chosen]!.costs;
    expect(kept['employment-fraud']).toBeLessThan(kept['forced-criminality']);
    expect(labelsUnder(mixed[50]!, fit.points, fit.scoring)).toEqual(['employment-fraud']);
    expect(fprOf(mixed, fit.points, fit.scoring)).toBeLessThanOrEqual(0.01);
  });

  it("with a target per label, searches each label's cost on its own rate", () => {
    // Job scams look like 8 legitimate ads of 1,000: a job-scam target of 1% allows them, and the fee
    // rule flags every scam. One rate of 0.5% for either label would price them out.
    const mixed = lookAlikeMix(8);
    const scam = mixed[50]!;
    const shared = fitScoring(mixed, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.005 }));
    expect(shared.targetMet).toBe(true);
    expect(labelsUnder(scam, shared.points, shared.scoring)).toEqual([]);

    const fit = fitScoring(mixed, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.005, labelTargets: { 'employment-fraud': 0.01 } }));
    expect(fit.targetMet).toBe(true);
    const kept = fit.rounds[fit.chosen]!;
    expect(kept.legitFlagged['forced-criminality'] / 1000).toBeLessThanOrEqual(0.005);
    expect(kept.legitFlagged['employment-fraud']).toBe(8);
    expect(kept.costs['employment-fraud']).toBeLessThan(kept.costs['forced-criminality']);
    expect(labelsUnder(scam, fit.points, fit.scoring)).toEqual(['employment-fraud']);
    expect(fit.labels['employment-fraud'].fpCost).toBe(kept.costs['employment-fraud']);
    // A rate a label cannot meet is said: not met, and the dearest cost tried is kept for it.
    const strict = fitScoring(mixed, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.005, labelTargets: { 'employment-fraud': 0 }, maxRounds: 2 }));
    expect(strict.targetMet).toBe(false);
  });

  it('judges the target on the counted legitimate postings only', () => {
    // The same ten look-alikes, but 900 easy legitimate postings not counted: 10 of 100 is over 1%.
    const withEasy = [...data, ...postings(900, 'legit', []).map((p) => ({ ...p, counted: false }))];
    const fit = fitScoring(withEasy, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.01 }));
    expect(fit.targetMet).toBe(true);
    expect(fprOf(data, fit.points, fit.scoring)).toBeLessThanOrEqual(0.01);
    expect(fit.rounds[0]!.fpr).toBe(0.1);
  });

  it('says when the rounds run out before the target is met', () => {
    const fit = fitScoring(data, RULES, SCORING, options({ fpCost: 1, targetFpr: 0.01, maxRounds: 1 }));
    expect(fit.rounds).toHaveLength(1);
    expect(fit.targetMet).toBe(false);
  });
});

describe("fitting the model's level points", () => {
  it('gives points to the levels the positives reach and the legitimate postings do not, at most the threshold in all', () => {
    const data = [
      ...postings(30, 'forced-criminality', [], { 'forced-criminality': 0.97 }),
      ...postings(30, 'forced-criminality', ['FC-DEST'], { 'forced-criminality': 0.85 }),
      ...postings(60, 'legit', [], { 'forced-criminality': 0.6 }),
      ...postings(60, 'legit', ['FC-DEST'], { 'forced-criminality': 0.05 }),
    ];
    const fit = fitScoring(data, RULES, SCORING, options({ levels: MODEL_LEVELS }));
    const levels = fit.model!['forced-criminality']!;
    const total = levels.reduce((sum, level) => sum + level.points, 0);
    expect(total).toBeLessThanOrEqual(8 + 0.05 * levels.length);
    for (const level of levels) expect(level.points).toBeGreaterThan(0);
    const pointsAt = (p: number) => levels.filter((level) => p >= level.at).reduce((sum, level) => sum + level.points, 0);
    expect(pointsAt(0.6)).toBeLessThan(1);
    expect(pointsAt(0.97)).toBeGreaterThanOrEqual(8 - 1e-9);
    expect(fit.scoring.model['forced-criminality']).toEqual({ levels });
    expect(labelsUnder(data[0]!, fit.points, fit.scoring)).toEqual(['forced-criminality']);
    expect(labelsUnder(data[30]!, fit.points, fit.scoring)).toEqual(['forced-criminality']);
    expect(fprOf(data, fit.points, fit.scoring)).toBe(0);
  });

  it("leaves a label's model points alone when the model judged too few of its postings", () => {
    const data = [
      ...postings(10, 'forced-criminality', ['FC-WEAK'], { 'forced-criminality': 0.99 }),
      ...postings(30, 'forced-criminality', ['FC-WEAK']),
      ...postings(40, 'legit', [], { 'forced-criminality': 0.1 }),
    ];
    const fit = fitScoring(data, RULES, SCORING, options({ levels: MODEL_LEVELS }));
    expect(fit.labels['forced-criminality'].model).toMatchObject({
      fitted: false,
      judgedPositives: 10,
      judgedLegit: 40,
      reason: expect.stringContaining('fewer than 20'),
    });
    expect(fit.model).toEqual({});
    expect(fit.scoring.model['forced-criminality']).toEqual(SCORING.model['forced-criminality']);
  });

  it('fits as though the hand-set points below a level were not there, and keeps them', () => {
    // Legitimate postings the model is sure of fire a strong rule; so do lures, at a middling
    // probability. The points the fit learns are those it learns without the points below 0.01;
    // in the result's scoring those points are back, and take the legitimate postings' flags away.
    const data = [
      ...postings(30, 'forced-criminality', ['FC-LOUD'], { 'forced-criminality': 0.3 }),
      ...postings(6, 'legit', ['FC-LOUD'], { 'forced-criminality': 0.001 }),
      ...postings(200, 'legit', [], { 'forced-criminality': 0.001 }),
    ];
    const vetoed: ScoringConfig = { ...SCORING, model: { ...SCORING.model, 'forced-criminality': { levels: [], below: [{ at: 0.01, points: -8 }] } } };
    const plain = fitScoring(data, RULES, { ...SCORING, model: { ...SCORING.model, 'forced-criminality': { levels: [] } } }, options());
    const fit = fitScoring(data, RULES, vetoed, options());
    expect(fit.points).toEqual(plain.points);
    expect(labelsUnder(data[0]!, fit.points, fit.scoring)).toEqual(['forced-criminality']);
    expect(labelsUnder(data[30]!, plain.points, plain.scoring)).toEqual(['forced-criminality']);
    expect(labelsUnder(data[30]!, fit.points, fit.scoring)).toEqual([]);
    expect(fit.scoring.model['forced-criminality']).toEqual({ levels: [], below: [{ at: 0.01, points: -8 }] });
  });

  it('fits as though a veto never fired, and leaves its points as written', () => {
    // A veto fires on most of the legitimate postings a loud rule flags. Fitted in force, it would
    // let the loud rule keep its points; left out, the loud rule must go under the threshold.
    const veto: FitRule = { id: 'NEG-FC-REPORTED', label: 'forced-criminality', category: 'legitimacy', authored: -4, veto: true };
    const rules = [...RULES, veto];
    const vetoed = (count: number): FitPosting[] =>
      Array.from({ length: count }, () => ({
        truth: 'legit' as const,
        hits: [...postings(1, 'legit', ['FC-LOUD'])[0]!.hits, { rule: veto.id, label: veto.label, category: veto.category, points: -4 }],
      }));
    const data = [...postings(10, 'forced-criminality', ['FC-LOUD']), ...vetoed(30), ...postings(200, 'legit', [])];
    const fit = fitScoring(data, rules, SCORING, options({ fpCost: 20 }));
    const unvetoed = fitScoring(
      [...postings(10, 'forced-criminality', ['FC-LOUD']), ...postings(30, 'legit', ['FC-LOUD']), ...postings(200, 'legit', [])],
      RULES,
      SCORING,
      options({ fpCost: 20 }),
    );
    expect(fit.points['FC-LOUD']).toBe(unvetoed.points['FC-LOUD']);
    expect(fit.points['FC-LOUD']!).toBeLessThan(8);
    expect(fit.points).not.toHaveProperty('NEG-FC-REPORTED');
  });

  it('fits as a scan mutes: a look-alike the report head calls a report costs nothing, a muted lure is a miss', () => {
    // The look-alikes a loud rule flags are reports (the head, out of fold, at 0.9). With the mute
    // in the scoring, they are never flagged, so the loud rule keeps its points; without it, or
    // with the head under the mute, the rule must go under the threshold as in the veto case.
    const muting: ScoringConfig = { ...SCORING, reportMute: 0.5 };
    const reports = (count: number, report: number): FitPosting[] => postings(count, 'legit', ['FC-LOUD']).map((p) => ({ ...p, report }));
    const data = (report: number): FitPosting[] => [...postings(10, 'forced-criminality', ['FC-LOUD']), ...reports(30, report), ...postings(200, 'legit', [])];
    const muted = fitScoring(data(0.9), RULES, muting, options({ fpCost: 20 }));
    expect(muted.points['FC-LOUD']!).toBeGreaterThanOrEqual(8);
    expect(fprOf(data(0.9), muted.points, muted.scoring)).toBe(0);
    const under = fitScoring(data(0.4), RULES, muting, options({ fpCost: 20 }));
    expect(under.points['FC-LOUD']!).toBeLessThan(8);
    const unset = fitScoring(data(0.9), RULES, SCORING, options({ fpCost: 20 }));
    expect(unset.points['FC-LOUD']).toBe(under.points['FC-LOUD']);
    // A lure the head calls a report is muted under any points: counted, and missed.
    const lure: FitPosting = { ...postings(1, 'forced-criminality', ['FC-LOUD'])[0]!, report: 0.9 };
    expect(labelsUnder(lure, muted.points, muted.scoring)).toEqual([]);
    expect(labelsUnder({ ...lure, report: 0.1 }, muted.points, muted.scoring)).toEqual(['forced-criminality']);
  });

  it("leaves the model's points alone without levels to fit", () => {
    const data = [...postings(10, 'forced-criminality', ['FC-WEAK'], { 'forced-criminality': 0.99 }), ...postings(10, 'legit', [])];
    const fit = fitScoring(data, RULES, SCORING, options());
    expect(fit.model).toBeUndefined();
    expect(fit.scoring.model).toEqual(SCORING.model);
  });
});

describe('determinism', () => {
  it('gives the same numbers for the same postings, every time', () => {
    const data = [
      ...postings(17, 'forced-criminality', ['FC-WEAK', 'FC-DEST'], { 'forced-criminality': 0.7 }),
      ...postings(9, 'forced-criminality', ['FC-AMBIGUOUS'], { 'forced-criminality': 0.2 }),
      ...postings(11, 'employment-fraud', ['EF-FEE'], { 'employment-fraud': 0.3 }),
      ...postings(8, 'legit', ['FC-AMBIGUOUS', 'NEG-FC-LICENSED'], { 'forced-criminality': 0.4 }),
      ...postings(50, 'legit', [], { 'employment-fraud': 0.1 }),
    ];
    const first = fitScoring(data, RULES, SCORING, { ...DEFAULT_FIT_OPTIONS, levels: MODEL_LEVELS });
    const second = fitScoring(data, RULES, SCORING, { ...DEFAULT_FIT_OPTIONS, levels: MODEL_LEVELS });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
