// Learned points (`lurescan rescore`): every rule's points and the model's level points fitted to
// labelled postings, as SpamAssassin's masses/ perceptron fits its scores, with false positives
// costing more than misses. Pure and deterministic: plain values in, the same numbers out, no I/O
// and no randomness (full-batch projected Adam from fixed starting points for a fixed number of steps).
import type { Truth } from '../contracts/labels.js';
import { countVerdict, emptyCounts, metricOf } from '../contracts/metrics.js';
import type { ModelLevel, ModelPoints, ScoringConfig } from '../rules/schema.js';
import { LABELS, type Hit, type Label } from '../types.js';
import { decide, isReport, modelPoints } from './index.js';
import { isModelLevels } from '../rules/scoring-values.js';

/** One labelled posting as the fit sees it: what the answer key says, which rules fired, what the model said. */
export interface FitPosting {
  truth: Truth;
  /** Every rule that fired on it (once each), with the points it scored with before the fit. */
  hits: ReadonlyArray<Pick<Hit, 'rule' | 'label' | 'category' | 'points'>>;
  /** The model's calibrated probabilities; absent when no model judged the posting (none, or it abstained). */
  probabilities?: Readonly<Record<string, number>>;
  /** The labels the model adds points for on this posting (absent: both). */
  judges?: readonly string[];
  /** A legitimate posting that counts towards the target false-positive rate (absent: it does). */
  counted?: boolean;
  /**
   * The report head's probability, from a model that did not see the posting (`rescore --folds`
   * with `--reports`): at or over the scoring file's `report-mute` the posting is muted whatever the
   * points, as a scan mutes it. Absent: never muted (a model trained on the posting would say too
   * surely that a training report is one, so its probability is not given to the fit).
   */
  report?: number;
  /**
   * The labels whose every scoring rule hit lies inside quotation marks with a warning word around
   * them (src/score/quoted.ts): with the scoring file's `quote-mute` the posting is muted for them
   * whatever the points, as a scan mutes it.
   */
  quoted?: Label[];
}

export type ScoreSet = 'model' | 'no-model';

/** The points a score set has learned already (`points`, or `points-no-model`), by rule id. */
export function learnedPointsOf(scoring: ScoringConfig, set: ScoreSet): Readonly<Record<string, number>> {
  return (set === 'no-model' ? scoring.pointsNoModel : scoring.points) ?? {};
}

/** Whether a posting keeps the points its hits carry whatever the fit: in the model's set, one the model did not judge, when the file has no-model points. */
function keepsItsPoints(posting: FitPosting, scoring: ScoringConfig, set: ScoreSet): boolean {
  return set === 'model' && scoring.noModel !== undefined && posting.probabilities === undefined;
}

/** A rule the fit may set the points of. */
export interface FitRule {
  id: string;
  label: Label;
  category: string;
  /** The rule file's own points: where the fit starts, and what it is pulled back towards. */
  authored: number;
  /** A veto (`veto: true`): not fitted, and not in force while fitting. */
  veto?: boolean;
  /**
   * Points held as they are (`rescore --fit new`: a rule with learned points already): in force
   * while fitting, never changed, as SpamAssassin's perceptron holds its immutable scores.
   */
  held?: number;
}

export interface FitOptions {
  /** The false-positive rate on legitimate postings (flagged with any label) to stay at or under. */
  targetFpr: number;
  /**
   * Each label's own target instead: the share of legitimate postings flagged with that label, its
   * cost searched on its own (a label not named takes `targetFpr`). The look-alikes of lures then
   * cannot spend the budget of job scams, nor the other way round; the rate with either label is at
   * most the sum.
   */
  labelTargets?: Partial<Record<Label, number>>;
  /**
   * In the first round, the loss weight of all legitimate postings together against all of a
   * label's positives together (each legitimate posting weighs fpCost x positives / legitimate),
   * so the cost says how much a false-positive rate weighs against a miss rate, whatever the sizes.
   */
  fpCost: number;
  /**
   * Fits in all. The cost is searched for the lowest at which the target false-positive rate is
   * met (the most recall the target allows): doubled while over the target, halved while under it,
   * then bisected between the two. With a target of 1 (any rate) there is one fit.
   */
  maxRounds: number;
  /** After the common cost is found, fits per label that lower that label's cost alone while the target still holds. */
  refineRounds: number;
  /** Optimiser steps per fit. */
  steps: number;
  /** Adam's step size, in points, at the first step (it decays to 0 along a half cosine). */
  learningRate: number;
  /**
   * Weight of the pull towards the authored points (L2, per squared point). As the data loss is
   * summed over postings, a rule that fires on one or two postings moves about half a point for
   * each; one that fires on dozens goes where they say.
   */
  prior: number;
  /** Points per unit of the logistic loss's argument: how far past the threshold counts as sure. */
  temperature: number;
  /** Model probability levels to fit points for (ascending); absent: the model's points are left alone. */
  levels?: readonly number[];
  /**
   * Which of the scoring file's score sets the fit is for: `model` (`points`, for postings the model
   * judges; where the file has no-model points, a posting the model does not judge keeps them and
   * is left out of the fit) or `no-model` (`points-no-model`, for every posting: the fit of
   * `rescore --no-model`). Absent: `model`.
   */
  set?: ScoreSet;
  /** Learned points are rounded to multiples of this. */
  rounding: number;
  /**
   * The least number of a label's positives, and of legitimate postings, the model must have judged
   * (not abstained on) for that label's level points to be fitted; below it they are left as they are.
   */
  minJudged: number;
  /**
   * Keep every learned point of the score set, also of rules that did not fire, and fit only the
   * rules not `held` (`rescore --fit new`). Absent: in a fitted label, a rule that did not fire
   * loses its learned points, so the file's points all come from this fit's data.
   */
  keepLearned?: boolean;
  /**
   * Fit once at these false-positive costs, without searching (`rescore --fit new`: new rules are
   * priced as the fit whose points are held priced its own); the target is then only reported.
   */
  costs?: Partial<Record<Label, number>>;
}

/**
 * A fixed grid: low levels for both labels (the probabilities are stated at base rates of 5% and
 * 1%, where a lure the logistic model is fairly sure of can sit at 0.02 to 0.1), high ones for forced criminality, and steps of 0.05 from 0.6 to 0.95 where the
 * thresholds land: with steps of 0.1 one look-alike more or less moved the job-scam threshold from
 * 0.7 to 0.8 and took a fifth of 58.com's fraud recall with it.
 */
export const MODEL_LEVELS: readonly number[] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99];

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  targetFpr: 0.01,
  fpCost: 1,
  maxRounds: 10,
  refineRounds: 4,
  steps: 1500,
  learningRate: 0.1,
  prior: 1,
  temperature: 1,
  rounding: 0.1,
  minJudged: 20,
};

/** How one label's fit went. */
export interface LabelFit {
  fitted: boolean;
  /** Why the label was not fitted (no positive postings). */
  reason?: string;
  positives: number;
  /** Negatives: legitimate postings (weighted by the cost), and postings of the other kind (weight 1). */
  legit: number;
  otherKind: number;
  /** Rules whose points were fitted (they fired at least once, and were not held). */
  rules: number;
  /** Rules that fired but whose points were held (`FitRule.held`): in force, not fitted. */
  held?: number;
  /** The weight of a legitimate posting in the fit that was kept. */
  fpCost: number;
  /** With levels to fit: whether this label's were, on how many postings the model judged, and why not. */
  model?: { fitted: boolean; judgedPositives: number; judgedLegit: number; reason?: string };
}

export interface FitRound {
  costs: Record<Label, number>;
  /** On legitimate postings, flagged with either label, once the points are rounded as written. */
  fpr: number | null;
  legitFlagged: Record<Label, number>;
}

export interface FitResult {
  /** The learned points of every rule the fit set (sorted by id), plus kept overrides of labels it did not fit. */
  points: Record<string, number>;
  /** The model's learned levels of each label they were fitted for (levels with 0 points left out), when there were levels to fit. */
  model?: Partial<Record<Label, ModelLevel[]>>;
  /** The scoring settings with these points and levels in force. */
  scoring: ScoringConfig;
  labels: Record<Label, LabelFit>;
  rounds: FitRound[];
  /** Whether the kept round's false-positive rate is at or under the target. */
  targetMet: boolean;
  /** The round whose points are kept: the cheapest that met the target, else the dearest tried. */
  chosen: number;
}

/** Which side of a label's fit a posting is on: positive, a negative (with the kind), or left out. */
function roleOf(truth: Truth, label: Label): 'positive' | 'legit' | 'other' | undefined {
  if (truth === 'legit') return 'legit';
  if (label === 'employment-fraud') {
    // A lure flagged as job fraud still flags; only the graver label must not be given to a scam.
    return truth === 'employment-fraud' || truth === 'fraud' ? 'positive' : undefined;
  }
  if (truth === label) return 'positive';
  // A binary key's "fraud" does not say which kind: neither right nor wrong for forced criminality.
  return truth === 'employment-fraud' ? 'other' : undefined;
}

interface Group {
  cap: number;
  params: number[];
}

interface Example {
  role: 'positive' | 'legit' | 'other';
  groups: Group[];
  /** Model levels the probability reaches (they are ascending, so the first `reached`). */
  reached: number;
  /** The model's points as they stand, for a label whose levels are not fitted: in force, not learned. */
  offset: number;
}

/**
 * One label's fitting problem: parameters, their bounds and priors, and the postings. The
 * parameters are the rules' points, then the model's points at each level as running totals
 * (c_k = the points of levels 1..k, so 0 <= c_1 <= ... <= c_K <= threshold): a posting's model
 * points are then one parameter, the total at the highest level it reaches, so postings at
 * different levels pull on different parameters instead of all on the shared low steps.
 */
interface FitProblem {
  label: Label;
  threshold: number;
  ruleIds: string[];
  /** How many of them are held (`FitRule.held`): in force, not fitted. */
  held: number;
  levels: readonly number[];
  lower: Float64Array;
  upper: Float64Array;
  prior: Float64Array;
  examples: Example[];
  counts: { positives: number; legit: number; other: number };
}

/** Loss weight of one posting of a role: a legitimate one's share of the cost, scaled by the class sizes. */
function weightOf(role: Example['role'], problem: FitProblem, fpCost: number): number {
  if (role !== 'legit') return 1;
  return (fpCost * Math.max(1, problem.counts.positives)) / Math.max(1, problem.counts.legit);
}

function capOf(scoring: ScoringConfig, label: Label, category: string): number {
  return scoring.caps[label]?.[category] ?? scoring.defaultCap;
}

function buildProblem(
  label: Label,
  postings: readonly FitPosting[],
  rules: readonly FitRule[],
  scoring: ScoringConfig,
  levels: readonly number[],
  set: ScoreSet = 'model',
): FitProblem {
  const fired = new Set<string>();
  for (const posting of postings) for (const hit of posting.hits) if (hit.label === label) fired.add(hit.rule);
  const fitted = rules.filter((rule) => rule.label === label && fired.has(rule.id));
  const index = new Map(fitted.map((rule, i) => [rule.id, i]));
  const size = fitted.length + levels.length;
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  const prior = new Float64Array(size);
  fitted.forEach((rule, i) => {
    if (rule.held !== undefined) {
      lower[i] = upper[i] = prior[i] = rule.held;
      return;
    }
    const cap = capOf(scoring, label, rule.category);
    // Legitimacy rules only ever count against a label, every other rule only for it; no rule beyond its category's cap.
    lower[i] = rule.category === 'legitimacy' ? -cap : 0;
    upper[i] = rule.category === 'legitimacy' ? 0 : cap;
    prior[i] = rule.authored;
  });
  const threshold = scoring.thresholds[label];
  for (let k = 0; k < levels.length; k++) upper[fitted.length + k] = threshold;
  const examples: Example[] = [];
  const counts = { positives: 0, legit: 0, other: 0 };
  for (const posting of postings) {
    const role = roleOf(posting.truth, label);
    if (role === undefined) continue;
    counts[role === 'positive' ? 'positives' : role]++;
    // Scored with the no-model points whatever this fit sets, or muted whatever it sets: a constant
    // loss (a muted look-alike is never flagged, a muted fraud never caught), nothing to learn from.
    if (keepsItsPoints(posting, scoring, set) || isReport(posting.report, scoring) || (posting.quoted?.includes(label) && scoring.quoteMute)) continue;
    const byCategory = new Map<string, number[]>();
    for (const hit of posting.hits) {
      const i = hit.label === label ? index.get(hit.rule) : undefined;
      if (i === undefined) continue;
      const list = byCategory.get(hit.category) ?? [];
      list.push(i);
      byCategory.set(hit.category, list);
    }
    const groups = [...byCategory].map(([category, params]) => ({ cap: capOf(scoring, label, category), params }));
    const probability = posting.judges && !posting.judges.includes(label) ? undefined : posting.probabilities?.[label];
    const reached = probability === undefined ? 0 : levels.filter((level) => probability >= level).length;
    // Levels not fitted (none asked for, or too few postings judged) are still in force in a scan.
    const offset = probability !== undefined && levels.length === 0 && set === 'model' ? modelPoints(probability, scoring.model[label], threshold) : 0;
    // A posting nothing can score has a constant loss: it says nothing about any parameter.
    if (groups.length > 0 || reached > 0) examples.push({ role, groups, reached, offset });
  }
  const held = fitted.filter((rule) => rule.held !== undefined).length;
  return { label, threshold, ruleIds: fitted.map((rule) => rule.id), held, levels, lower, upper, prior, examples, counts };
}

function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

/**
 * Projection of the running totals values[from..] onto 0 <= c_1 <= ... <= c_K <= cap, in the
 * metric of Adam's step scales: weighted pooling of adjacent violators (isotonic regression), then
 * a clip, which keeps the order. Unweighted, a total that only the prior moves (no posting ends at
 * its level) would take Adam's full-size step down and, pooled with a neighbour the postings push
 * up, cancel it; weighted by how much each one's gradient says, the postings win.
 */
function projectTotals(values: Float64Array, weights: Float64Array, from: number, cap: number): void {
  const blocks: { sum: number; weight: number; count: number }[] = [];
  for (let i = from; i < values.length; i++) {
    blocks.push({ sum: values[i]! * weights[i]!, weight: weights[i]!, count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const before = blocks[blocks.length - 2]!;
      if (before.sum / before.weight <= last.sum / last.weight) break;
      before.sum += last.sum;
      before.weight += last.weight;
      before.count += last.count;
      blocks.pop();
    }
  }
  let i = from;
  for (const block of blocks) {
    const value = Math.min(cap, Math.max(0, block.sum / block.weight));
    for (let j = 0; j < block.count; j++) values[i++] = value;
  }
}

/**
 * Minimise the weighted logistic loss of (score - threshold) / temperature plus the pull towards
 * the authored points, within the bounds. The score is computed as `scoreHits` does: per category,
 * the sum clamped to the cap; a clamped category passes no gradient (its rules cannot move the score).
 */
function solve(problem: FitProblem, fpCost: number, options: FitOptions): Float64Array {
  const { lower, upper, prior, examples, threshold } = problem;
  const rules = problem.ruleIds.length;
  const size = lower.length;
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = Math.min(upper[i]!, Math.max(lower[i]!, i < rules ? prior[i]! : 0));
  if (size === 0) return x;
  const grad = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const scales = new Float64Array(size);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const sums = new Float64Array(examples.reduce((most, e) => Math.max(most, e.groups.length), 1));
  const legitWeight = weightOf('legit', problem, fpCost);
  for (let t = 0; t < options.steps; t++) {
    grad.fill(0);
    for (const example of examples) {
      let score = example.offset;
      for (let g = 0; g < example.groups.length; g++) {
        const group = example.groups[g]!;
        let sum = 0;
        for (const p of group.params) sum += x[p]!;
        sums[g] = sum;
        score += Math.max(-group.cap, Math.min(group.cap, sum));
      }
      if (example.reached > 0) score += x[rules + example.reached - 1]!;
      const sign = example.role === 'positive' ? 1 : -1;
      const weight = example.role === 'legit' ? legitWeight : 1;
      // d/ds of weight * softplus(-sign * (s - threshold) / T)
      const slope = (-weight * sign * sigmoid((-sign * (score - threshold)) / options.temperature)) / options.temperature;
      for (let g = 0; g < example.groups.length; g++) {
        const group = example.groups[g]!;
        if (sums[g]! < -group.cap || sums[g]! > group.cap) continue;
        for (const p of group.params) grad[p] = grad[p]! + slope;
      }
      if (example.reached > 0) grad[rules + example.reached - 1] = grad[rules + example.reached - 1]! + slope;
    }
    // Rules are pulled towards their authored points (L2). The model's points pay a flat price
    // per point (L1 on the steps, which are >= 0: the price of the top total). An L2 pull on every
    // total would count a level that no posting reaches beyond the top (tied to it) again, and an
    // L2 pull on the steps would rather spread thin steps over every level than put them where the
    // postings are.
    for (let i = 0; i < rules; i++) grad[i] = grad[i]! + 2 * options.prior * (x[i]! - prior[i]!);
    if (size > rules) grad[size - 1] = grad[size - 1]! + options.prior;
    const rate = options.learningRate * 0.5 * (1 + Math.cos((Math.PI * t) / options.steps));
    const correction1 = 1 - beta1 ** (t + 1);
    const correction2 = 1 - beta2 ** (t + 1);
    for (let i = 0; i < size; i++) {
      m[i] = beta1 * m[i]! + (1 - beta1) * grad[i]!;
      v[i] = beta2 * v[i]! + (1 - beta2) * grad[i]! * grad[i]!;
      scales[i] = Math.sqrt(v[i]! / correction2) + 1e-8;
      x[i] = x[i]! - (rate * (m[i]! / correction1)) / scales[i]!;
      if (i < rules) x[i] = Math.min(upper[i]!, Math.max(lower[i]!, x[i]!));
    }
    if (size > rules) projectTotals(x, scales, rules, threshold);
  }
  return x;
}

function rounder(step: number): (value: number) => number {
  const scale = Math.round(1 / step);
  // `|| 0` turns -0 into 0, which YAML would otherwise write as -0.
  return (value) => Math.round(value * scale) / scale || 0;
}

/** The labels a posting is flagged with under some points (by rule id; a rule not named keeps the points it scored with) and scoring. */
export function labelsUnder(posting: FitPosting, points: Readonly<Record<string, number>>, scoring: ScoringConfig, set: ScoreSet = 'model'): Label[] {
  const keep = keepsItsPoints(posting, scoring, set);
  const hits = posting.hits.map((hit) => ({ ...hit, points: keep ? hit.points : (points[hit.rule] ?? hit.points) }));
  return decide(hits, posting.probabilities, scoring, posting.judges, posting.report, posting.quoted).labels;
}

/** How many of a label's positives, and of the legitimate postings, the model judged. */
function judgedBy(postings: readonly FitPosting[], label: Label): { positives: number; legit: number } {
  const counts = { positives: 0, legit: 0 };
  for (const posting of postings) {
    if (posting.probabilities === undefined || (posting.judges && !posting.judges.includes(label))) continue;
    const role = roleOf(posting.truth, label);
    if (role === 'positive') counts.positives++;
    else if (role === 'legit') counts.legit++;
  }
  return counts;
}

/** The learned levels as the scoring file's model entry. */
function levelsEntry(levels: readonly ModelLevel[]): ModelPoints {
  return { levels: levels.map((level) => ({ ...level })) };
}

/**
 * Fit the points of every rule that fires in the postings, and (with `options.levels`) the
 * model's level points, label by label, at a false-positive cost; search the cost for the
 * lowest that keeps the counted legitimate postings' false-positive rate at or under the target,
 * and keep that round's points (or, if none meets it, the dearest round's).
 *
 * The model's hand-set points below a level (`below`) are not in force while fitting, and are kept
 * as they are. They guard against what a fit on these postings cannot see: rules written with the
 * training postings in view fire on look-alikes they have not seen more often than on those they
 * have, and a posting the model is sure of should not be flagged by them alone. In force, the fit
 * would spend that margin on the training postings, raising other points until their
 * false-positive rate is back at the target.
 *
 * Vetoes (legitimacy rules with `veto: true`) are left out the same way, for the same reason: their
 * points stay as written and the fit sees postings as though they never fired.
 */
export function fitScoring(
  allPostings: readonly FitPosting[],
  allRules: readonly FitRule[],
  inForce: ScoringConfig,
  options: FitOptions = DEFAULT_FIT_OPTIONS,
): FitResult {
  const scoring = withoutBelow(inForce);
  const vetoes = new Set(allRules.filter((rule) => rule.veto === true).map((rule) => rule.id));
  const rules = vetoes.size > 0 ? allRules.filter((rule) => !vetoes.has(rule.id)) : allRules;
  const postings = vetoes.size > 0 ? allPostings.map((posting) => ({ ...posting, hits: posting.hits.filter((hit) => !vetoes.has(hit.rule)) })) : allPostings;
  const round = rounder(options.rounding);
  const set = options.set ?? 'model';
  const judged = Object.fromEntries(LABELS.map((label) => [label, judgedBy(postings, label)])) as Record<Label, { positives: number; legit: number }>;
  // Too few judged postings would let a handful set the model's points for every scan.
  const levelsOf = (label: Label): readonly number[] =>
    options.levels && judged[label].positives >= options.minJudged && judged[label].legit >= options.minJudged ? options.levels : [];
  const problems = Object.fromEntries(LABELS.map((label) => [label, buildProblem(label, postings, rules, scoring, levelsOf(label), set)])) as Record<
    Label,
    FitProblem
  >;
  const fitted = LABELS.filter((label) => problems[label].counts.positives > 0);
  const labelOf = new Map(rules.map((rule) => [rule.id, rule.label]));
  const rounds: FitRound[] = [];
  const results: Array<Omit<FitResult, 'rounds' | 'labels' | 'targetMet' | 'chosen'>> = [];
  const met: boolean[] = [];
  // One fit of every label at its cost: the points, and the false-positive rate they give. A
  // label's solution depends only on its own cost, so it is solved once per cost.
  const solved = new Map<string, Float64Array>();
  const perLabel = options.labelTargets !== undefined;
  const targetOf = (label: Label): number => options.labelTargets?.[label] ?? options.targetFpr;
  const counted = postings.filter((posting) => posting.truth === 'legit' && posting.counted !== false).length;
  const labelOk = (round: number, label: Label): boolean => counted === 0 || rounds[round]!.legitFlagged[label] / counted <= targetOf(label);
  const fitAt = (costs: Record<Label, number>): boolean => {
    const solutions = {} as Record<Label, Float64Array>;
    for (const label of fitted) {
      const key = `${label}\u0000${costs[label]}`;
      let solution = solved.get(key);
      if (!solution) solved.set(key, (solution = solve(problems[label], costs[label], options)));
      solutions[label] = solution;
    }
    const result = assemble(problems, solutions, fitted, {
      scoring,
      labelOf,
      withLevels: options.levels !== undefined,
      round,
      set,
      keepLearned: options.keepLearned === true,
    });
    const counts = emptyCounts();
    const legitFlagged = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
    let flagged = 0;
    for (const posting of postings) {
      const labels = labelsUnder(posting, result.points, result.scoring, set);
      if (posting.truth === 'legit' && posting.counted === false) continue;
      countVerdict(counts, posting.truth, labels);
      if (posting.truth !== 'legit') continue;
      if (labels.length > 0) flagged++;
      for (const label of labels) legitFlagged[label]++;
    }
    rounds.push({ costs: { ...costs }, fpr: metricOf(counts.any).fpr, legitFlagged });
    results.push(result);
    // Compared unrounded: metricOf's four decimals could call 0.01004 the 1% asked for.
    const ok = perLabel ? fitted.every((label) => labelOk(rounds.length - 1, label)) : counted === 0 || flagged / counted <= options.targetFpr;
    met.push(ok);
    return ok;
  };
  const uniform = (cost: number): Record<Label, number> => Object.fromEntries(LABELS.map((label) => [label, cost])) as Record<Label, number>;
  const searching = (perLabel ? fitted.some((label) => targetOf(label) < 1) : options.targetFpr < 1) && fitted.length > 0;
  /**
   * The lowest cost that meets a target, on a doubling grid from the starting cost and then by
   * bisection (in log terms): the round of the cheapest that met it, else of the dearest tried.
   */
  const search = (start: number, attempt: (cost: number) => boolean): { round: number; met: boolean } => {
    let cost = start;
    let under: number | undefined; // the dearest cost known to miss the target
    let over: number | undefined; // the cheapest cost known to meet it
    let best = -1;
    let dearest = -1;
    let dearestCost = -Infinity;
    for (let r = 0; r < options.maxRounds; r++) {
      const ok = attempt(cost);
      if (ok && (over === undefined || cost < over)) best = rounds.length - 1;
      if (cost > dearestCost) [dearest, dearestCost] = [rounds.length - 1, cost];
      if (!searching) break;
      if (ok) over = cost;
      else under = cost;
      if (under !== undefined && over !== undefined) {
        if (over / under <= 1.2) break;
        cost = Number(Math.sqrt(under * over).toPrecision(3));
      } else cost = ok ? cost / 2 : cost * 2;
      if (cost < 1 / 64) break;
    }
    return best >= 0 ? { round: best, met: true } : { round: dearest, met: false };
  };
  let chosen = -1;
  if (options.costs) {
    // One fit at the given costs: the labels not named take the starting cost.
    fitAt({ ...uniform(options.fpCost), ...options.costs });
    chosen = 0;
  } else if (perLabel) {
    // Each label's cost on its own target, one label after the other (a label's points depend on
    // its own cost only; the verdict of the other can shift which postings are flagged at all).
    const costs = uniform(options.fpCost);
    for (const label of fitted) {
      const found = search(options.fpCost, (cost) => {
        fitAt({ ...costs, [label]: cost });
        return labelOk(rounds.length - 1, label);
      });
      costs[label] = rounds[found.round]!.costs[label];
    }
    const last = rounds.at(-1);
    if (!last || LABELS.some((label) => last.costs[label] !== costs[label])) fitAt(costs);
    chosen = rounds.length - 1;
  } else {
    // 1. One cost for both labels: the lowest that meets the target.
    const found = search(options.fpCost, (cost) => fitAt(uniform(cost)));
    if (found.met) chosen = found.round;
  }
  // 2. Then each label's own cost, lowered while the target still holds: one label's false
  // positives should not price the other's recall (legitimate look-alikes of lures are not those
  // of job scams).
  if (!options.costs && !perLabel && searching && chosen >= 0 && fitted.length > 1) {
    for (const label of fitted) {
      const best = { ...rounds[chosen]!.costs };
      let low: number | undefined;
      let high = best[label]!;
      for (let r = 0; r < options.refineRounds; r++) {
        const trial = low === undefined ? high / 2 : Number(Math.sqrt(low * high).toPrecision(3));
        if (trial < 1 / 64 || (low !== undefined && high / low <= 1.2)) break;
        if (fitAt({ ...best, [label]: trial })) {
          high = trial;
          chosen = rounds.length - 1;
        } else low = trial;
      }
    }
  }
  // Nothing met the target: keep the dearest fit tried.
  if (chosen < 0)
    for (let r = 0; r < rounds.length; r++)
      if (chosen < 0 || Math.max(...Object.values(rounds[r]!.costs)) > Math.max(...Object.values(rounds[chosen]!.costs))) chosen = r;
  const result = results[chosen];
  const targetMet = met[chosen]!;
  const last = rounds[chosen]!;
  const labels = Object.fromEntries(
    LABELS.map((label) => {
      const { counts, ruleIds, held } = problems[label];
      const fit: LabelFit = {
        fitted: fitted.includes(label),
        positives: counts.positives,
        legit: counts.legit,
        otherKind: counts.other,
        rules: fitted.includes(label) ? ruleIds.length - held : 0,
        ...(held > 0 ? { held } : {}),
        fpCost: last.costs[label],
      };
      if (!fit.fitted) fit.reason = `no ${label} postings in the labelled set: its points are left as they are`;
      if (options.levels) {
        const levelsFitted = fit.fitted && problems[label].levels.length > 0;
        fit.model = { fitted: levelsFitted, judgedPositives: judged[label].positives, judgedLegit: judged[label].legit };
        if (!levelsFitted) {
          fit.model.reason = fit.fitted
            ? `the model judged ${judged[label].positives} ${label} and ${judged[label].legit} legitimate postings, fewer than ${options.minJudged} of each: its points are left as they are`
            : 'the label was not fitted';
        }
      }
      return [label, fit];
    }),
  ) as Record<Label, LabelFit>;
  return { ...result!, scoring: withBelowOf(result!.scoring, inForce), labels, rounds, targetMet, chosen };
}

/** The scoring settings without the model's points below a level. */
function withoutBelow(scoring: ScoringConfig): ScoringConfig {
  const model = { ...scoring.model };
  for (const label of LABELS) {
    const entry = model[label];
    if (isModelLevels(entry) && entry.below !== undefined) model[label] = { levels: entry.levels };
  }
  return { ...scoring, model };
}

/** `scoring` with the model's points below a level of `from` put back. */
function withBelowOf(scoring: ScoringConfig, from: ScoringConfig): ScoringConfig {
  const model = { ...scoring.model };
  for (const label of LABELS) {
    const source = from.model[label];
    const entry = model[label];
    if (isModelLevels(source) && source.below !== undefined && isModelLevels(entry)) model[label] = { levels: entry.levels, below: source.below };
  }
  return { ...scoring, model };
}

/** The rounded points and levels of the fitted labels, laid over the scoring settings. */
function assemble(
  problems: Record<Label, FitProblem>,
  solutions: Record<Label, Float64Array>,
  fitted: readonly Label[],
  how: {
    scoring: ScoringConfig;
    labelOf: ReadonlyMap<string, Label>;
    withLevels: boolean;
    round: (value: number) => number;
    set: ScoreSet;
    keepLearned: boolean;
  },
): Omit<FitResult, 'rounds' | 'labels' | 'targetMet' | 'chosen'> {
  const { scoring, withLevels, round } = how;
  const learned: Record<string, number> = {};
  // A label the fit could not judge keeps the learned points it had. In a fitted label, a rule that
  // never fired loses any learned points: the file's points then all come from this fit's data;
  // unless the fit keeps what was learned (`keepLearned`) and fits only new rules.
  for (const [id, value] of Object.entries(learnedPointsOf(scoring, how.set))) {
    const label = how.labelOf.get(id);
    if (label !== undefined && (how.keepLearned || !fitted.includes(label))) learned[id] = value;
  }
  const model: Partial<Record<Label, ModelLevel[]>> = {};
  const modelConfig = { ...scoring.model };
  for (const label of fitted) {
    const { ruleIds, levels } = problems[label];
    const x = solutions[label]!;
    ruleIds.forEach((id, i) => {
      learned[id] = round(x[i]!);
    });
    if (withLevels && levels.length > 0) {
      // Rounding the totals first keeps the steps' sum the rounded total.
      const totals = levels.map((_, k) => round(x[ruleIds.length + k]!));
      const learnedLevels = levels.map((at, k) => ({ at, points: round(totals[k]! - (k > 0 ? totals[k - 1]! : 0)) })).filter((level) => level.points > 0);
      model[label] = learnedLevels;
      modelConfig[label] = levelsEntry(learnedLevels);
    }
  }
  const points = Object.fromEntries(Object.entries(learned).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    points,
    ...(withLevels ? { model } : {}),
    scoring: how.set === 'no-model' ? { ...scoring, pointsNoModel: points } : { ...scoring, points, model: modelConfig },
  };
}
