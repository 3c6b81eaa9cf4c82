// What a rule file defines, as the code holds it: rules, matchers, combinations, the scoring
// section and its defaults, and the located problems parsing reports. Types and defaults only.
import type { RuleProblem } from '../contracts/problem.js';
import { CATEGORIES, SHARED_CATEGORIES, type Label } from '../types.js';

export type Example = string | Record<string, string>;

export interface MatcherDef {
  regex?: string;
  keywords?: string[];
}

export interface TermDef {
  rule?: string;
  category?: string;
  label?: Label;
}

export interface CombineDef {
  all?: TermDef[];
  atLeast?: number;
  of?: TermDef[];
  not?: TermDef[];
}

export type RuleStatus = 'stable' | 'experimental' | 'deprecated';

export interface RuleDef {
  id: string;
  type: 'pattern' | 'combination';
  title: string;
  label: Label;
  category: string;
  points: number;
  status: RuleStatus;
  languages: string[];
  /** Detected posting languages the rule does not apply to (a +855 number is no destination in a Khmer ad). */
  exceptLanguages?: string[];
  fields?: string[];
  any?: MatcherDef[];
  all?: MatcherDef[];
  not?: MatcherDef[];
  combine?: CombineDef;
  references: string[];
  falsepositives?: string;
  /** Why the ReDoS check is waived for this rule's regexes (`redos-exempt`); lint names the rule and reason. */
  redosExempt?: string;
  /**
   * A legitimacy rule that vetoes the label (`veto: true`): `rescore` keeps its points as written
   * and fits the others as though it never fired (docs/rule-format.md, "Vetoes").
   */
  veto?: boolean;
  /**
   * Whether the rule passes over a match inside a denial ("we never ask for a fee"); absent: true
   * for job-scam pattern rules, false for the others (engine.ts `isNegatable`, denial.ts).
   */
  negatable?: boolean;
  examples: { match: Example[]; nomatch: Example[] };
  /**
   * The points the rule's own file gives it, when the scoring file's learned `points` override them
   * (`points` is then the learned value, the one every consumer scores with).
   */
  authoredPoints?: number;
  /** Where the rule is defined, for messages. */
  origin: { file: string; line: number };
}

export interface ScoringConfig {
  thresholds: Record<Label, number>;
  /** Per label, per category: the most (and, negated, the least) a category adds to the score. */
  caps: Record<Label, Record<string, number>>;
  defaultCap: number;
  /** How the model's probability for a label turns into points (see docs/rule-format.md, "Model points"). */
  model: Record<Label, ModelPoints>;
  /**
   * The share of each label in the feed being scanned: the model's probabilities are stated for
   * these rates (docs/rule-format.md, "Base rates"). A label left out keeps the share it had in
   * the model's calibration data.
   */
  baseRates: Partial<Record<Label, number>>;
  /**
   * Mute a posting's flags when the model's report head gives it at least this probability of being
   * a report (news, an advisory, a warning that quotes a lure) rather than an offer (scoring file's
   * `report-mute`; docs/rule-format.md, "Reports"). Absent: the head is shown, never used.
   */
  reportMute?: number;
  /**
   * Mute a label's flag when every rule hit of that label that scored lies inside quotation marks and
   * the text outside them has a warning word (scoring file's `quote-mute`; docs/rule-format.md, "Reports").
   */
  quoteMute?: boolean;
  /**
   * Learned points by rule id (`lurescan rescore`): they replace the points a rule's own file gives
   * it when the rule set is assembled, as SpamAssassin's 50_scores.cf overrides its rule files.
   */
  points: Record<string, number>;
  /**
   * Learned points for scoring without the model (`lurescan rescore --no-model`), by rule id: used
   * for every posting the model does not judge (`scan --no-model`, a model too small to trust, a
   * language it abstains on), as SpamAssassin keeps a score set with and one without its Bayes.
   * Points fitted beside the model lean on it and are too weak alone. Absent: `points` serve both.
   */
  pointsNoModel?: Record<string, number>;
  /**
   * With `pointsNoModel`, every rule's points when the model does not judge a posting: its learned
   * no-model points, else the points its own file gives it (filled when the rule set is assembled).
   */
  noModel?: Record<string, number>;
  /** Where the learned numbers came from (written by `rescore`; informational, never scored). */
  rescored?: Record<string, unknown>;
  /** Where the no-model points came from (written by `rescore --no-model`). */
  rescoredNoModel?: Record<string, unknown>;
}

/** How the model's probability for a label becomes points: hand-set (a ramp) or learned (levels). */
export type ModelPoints = ModelRamp | ModelLevels;

/**
 * Below `from` the model adds nothing; from `from` up to `alone` it adds up to `max` points, which
 * are fewer than the threshold so a rule must agree; at `alone` or above it adds the threshold, so
 * the model flags on its own.
 */
export interface ModelRamp {
  from: number;
  alone: number;
  max: number;
}

/**
 * Learned by `rescore`: the model adds the points of every level its probability reaches (steps
 * that add up, like SpamAssassin's BAYES_50..BAYES_99 rules), in ascending order of `at`.
 */
export interface ModelLevels {
  levels: ModelLevel[];
  /**
   * Hand-set, never learned: points (0 or fewer) taken away while the probability is under `at`
   * (each level under which it falls counts), as SpamAssassin's BAYES_00 counts against a message
   * its classifier is sure of. `rescore` keeps them and fits the rest as though they were not there.
   */
  below?: ModelLevel[];
}

export interface ModelLevel {
  /** A probability in (0, 1). */
  at: number;
  /** Points added at and above it, 0 or more. */
  points: number;
}

/** A rule set's problem: `RuleProblem` of contracts/problem.ts, under the name the rules code uses. */
export type Problem = RuleProblem;

export const DEFAULT_SCORING: ScoringConfig = {
  thresholds: { 'forced-criminality': 8, 'employment-fraud': 6 },
  caps: { 'forced-criminality': {}, 'employment-fraud': {} },
  defaultCap: 8,
  model: {
    'forced-criminality': { from: 0.5, alone: 0.95, max: 4 },
    'employment-fraud': { from: 0.15, alone: 0.3, max: 4 },
  },
  baseRates: { 'employment-fraud': 0.05, 'forced-criminality': 0.01 },
  points: {},
};

export function allowedCategories(label: Label): string[] {
  return [...CATEGORIES[label], ...SHARED_CATEGORIES];
}
