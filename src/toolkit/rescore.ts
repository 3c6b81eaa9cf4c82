// `lurescan rescore`'s work, without the command line: score each labelled posting once as a scan
// does (`scorePosting`), fit the points (src/score/fit.ts), count precision, recall and the
// false-positive rate before and after, overall and per group, and make the scoring file's new text
// with where its numbers came from. No I/O: the command reads the inputs, rules and model, and
// writes what this returns.
import { createHash } from 'node:crypto';
import type { Truth } from '../contracts/labels.js';
import { countVerdict, emptyCounts, metricsOf, type Counts, type MetricKey } from '../contracts/metrics.js';
import type { Scorer, TrainingSource } from '../model/model.js';
import { compiledRules } from '../run/compiled-rules.js';
import { formatProblem } from '../rules/problems.js';
import { assembleRuleSet, definitionsFingerprint, type RuleFileText, type RuleSetDefinition } from '../rules/ruleset.js';
import type { ModelPoints, ScoringConfig } from '../rules/schema.js';
import { updateScoringText } from '../rules/scoring-file.js';
import { quotedLabels } from '../score/quoted.js';
import {
  DEFAULT_FIT_OPTIONS,
  fitScoring,
  labelsUnder,
  learnedPointsOf,
  MODEL_LEVELS,
  type FitOptions,
  type FitPosting,
  type FitResult,
  type ScoreSet,
} from '../score/fit.js';
import { scorePosting } from '../score/index.js';
import { LABELS, type Label, type Posting } from '../types.js';
import { groupOf } from './evaluate.js';
import type { PointChange, RescoreReport } from './rescore-report.js';

/** A labelled posting to learn from. */
export interface RescoreDoc {
  posting: Posting;
  truth: Truth;
}

export interface RescoreRun {
  /** The rule files as read, and the rule set assembled from them. */
  files: readonly RuleFileText[];
  ruleset: RuleSetDefinition;
  /** The rule set's scoring with the run's base rates applied. */
  scoring: ScoringConfig;
  docs: readonly RescoreDoc[];
  /** Where each posting came from, for the scoring file's provenance. */
  sources: readonly TrainingSource[];
  /** Postings left out while reading (counted in the report). */
  skipped: number;
  /** Per posting, whether its legitimate label counts towards the target rate (--fpr-on). */
  counted: readonly boolean[];
  /** Per posting, the model that judges it (none, the model file, or its fold's model). */
  scorers: ReadonlyArray<Scorer | undefined>;
  /** How the model is named in the report and the provenance. */
  modelName: string;
  /**
   * Whether the fit mutes, as a scan does, the postings the model's report head calls reports: only
   * for fold models (`--folds` with `--reports`), whose heads never saw the posting they judge.
   */
  muteInFit?: boolean;
  /**
   * Which points the fit may change: every rule's and the model's levels (`all`, the default), or
   * only those of rules with no learned points yet in the score set being fitted (`new`: the
   * learned points and the levels are held as they are, as SpamAssassin holds immutable scores).
   */
  fit?: 'all' | 'new';
  /** The grouping of the per-group figures (lang, source, meta.<key>, none). */
  by: string;
  targetFpr: number;
  labelTargets?: Record<Label, number>;
  /** The --fpr-on inputs as shown, or all. */
  targetInputs: string[] | 'all';
  /** A posting's file as the report shows it. */
  displayFile: (file: string) => string;
  /** Called every 1,000 postings scored. */
  onProgress?: (scored: number, total: number) => void;
}

export interface RescoreResult {
  report: RescoreReport;
  fit: FitResult;
  fitOptions: FitOptions;
  scoreSet: ScoreSet;
  withModel: boolean;
}

/** Score, fit and count: the report of what the learned points change (its `written` list left empty). */
export function rescore(run: RescoreRun): RescoreResult {
  const { ruleset, scoring, docs, scorers } = run;
  const compiled = compiledRules(ruleset, scoring);
  const withModel = scorers.some((s) => s !== undefined);

  // Each posting once, as a scan scores it: its hits, and the model's probabilities unless it abstained.
  const postings: FitPosting[] = [];
  const before: Array<readonly Label[]> = [];
  const groupNames: string[] = [];
  let judged = 0;
  for (let i = 0; i < docs.length; i++) {
    const { posting, truth } = docs[i]!;
    const scorer = scorers[i];
    const verdict = scorePosting(compiled, posting, scorer ? { model: scorer } : {});
    const probabilities = verdict.model?.probabilities;
    if (probabilities) judged++;
    const judges = verdict.model?.judges;
    const report = run.muteInFit ? verdict.model?.report : undefined;
    const quoted = scoring.quoteMute === true ? quotedLabels(posting.fields, verdict.hits, LABELS)?.labels : undefined;
    postings.push({
      truth,
      hits: verdict.hits.map(({ rule, label, category, points }) => ({ rule, label, category, points })),
      ...(probabilities ? { probabilities } : {}),
      ...(judges ? { judges } : {}),
      ...(run.counted[i] ? {} : { counted: false }),
      ...(report !== undefined ? { report } : {}),
      ...(quoted ? { quoted } : {}),
    });
    before.push(verdict.labels);
    groupNames.push(groupOf(run.by, verdict, posting.meta, posting.source.file));
    if (i % 1000 === 999) run.onProgress?.(i + 1, docs.length);
  }

  // Fitted beside the model, the points are for the postings it judges (`points`); without it, for
  // scans without its judgement (`points-no-model`): SpamAssassin's score sets with and without Bayes.
  const scoreSet: ScoreSet = withModel ? 'model' : 'no-model';
  const onlyNew = run.fit === 'new';
  // New rules are priced as the fit whose points they join priced its own: its false-positive costs.
  const heldCosts = onlyNew ? costsOf(recordOf(scoring, scoreSet)) : undefined;
  const fitOptions: FitOptions = {
    ...DEFAULT_FIT_OPTIONS,
    targetFpr: run.targetFpr,
    ...(run.labelTargets ? { labelTargets: run.labelTargets } : {}),
    ...(withModel && !onlyNew ? { levels: MODEL_LEVELS } : {}),
    ...(onlyNew ? { keepLearned: true } : {}),
    ...(heldCosts ? { costs: heldCosts } : {}),
    set: scoreSet,
  };
  // The points this score set has learned already: held as they are with --fit new.
  const learned = learnedPointsOf(scoring, scoreSet);
  const fitRules = ruleset.rules.map((rule) => ({
    id: rule.id,
    label: rule.label,
    category: rule.category,
    authored: rule.authoredPoints ?? rule.points,
    ...(rule.veto === true ? { veto: true } : {}),
    ...(onlyNew && learned[rule.id] !== undefined ? { held: learned[rule.id] } : {}),
  }));
  const fit = fitScoring(postings, fitRules, scoring, fitOptions);

  const counts = { before: emptyCounts(), after: emptyCounts() };
  const legitFlagged: RescoreReport['legitFlagged'] = [];
  const targetBefore = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
  const groups = new Map<string, { documents: number; truth: Record<string, number>; before: Record<MetricKey, Counts>; after: Record<MetricKey, Counts> }>();
  for (let i = 0; i < postings.length; i++) {
    const posting = postings[i]!;
    const after = labelsUnder(posting, fit.points, fit.scoring, scoreSet);
    countVerdict(counts.before, posting.truth, before[i]!);
    if (posting.truth === 'legit' && posting.counted !== false) for (const label of before[i]!) targetBefore[label]++;
    countVerdict(counts.after, posting.truth, after);
    if (posting.truth === 'legit' && posting.counted !== false && after.length > 0) {
      const { id, source } = docs[i]!.posting;
      legitFlagged.push({ id, file: source.file !== undefined ? run.displayFile(source.file) : (source.url ?? '-'), labels: [...after] });
    }
    let group = groups.get(groupNames[i]!);
    if (!group) groups.set(groupNames[i]!, (group = { documents: 0, truth: {}, before: emptyCounts(), after: emptyCounts() }));
    group.documents++;
    group.truth[posting.truth] = (group.truth[posting.truth] ?? 0) + 1;
    countVerdict(group.before, posting.truth, before[i]!);
    countVerdict(group.after, posting.truth, after);
  }
  const truth: Record<string, number> = {};
  for (const posting of postings) truth[posting.truth] = (truth[posting.truth] ?? 0) + 1;
  const report: RescoreReport = {
    documents: postings.length,
    truth,
    skipped: run.skipped,
    model: run.modelName,
    judged,
    rules: { rules: ruleset.rules.length, fitted: LABELS.reduce((n, label) => n + fit.labels[label].rules, 0), fingerprint: ruleset.fingerprint.slice(0, 12) },
    fit: run.fit ?? 'all',
    targetFpr: run.targetFpr,
    ...(run.labelTargets ? { labelTargets: run.labelTargets } : {}),
    targetJudgedOn: {
      legit: postings.filter((p) => p.truth === 'legit' && p.counted !== false).length,
      inputs: run.targetInputs,
    },
    targetBefore,
    targetMet: fit.targetMet,
    chosen: fit.chosen,
    rounds: fit.rounds,
    labels: fit.labels,
    before: metricsOf(counts.before),
    after: metricsOf(counts.after),
    by: run.by,
    groups: [...groups]
      .sort(([a, x], [b, y]) => y.documents - x.documents || (a < b ? -1 : 1))
      .map(([group, g]) => ({ group, documents: g.documents, truth: g.truth, before: metricsOf(g.before), after: metricsOf(g.after) })),
    scoreSet,
    points: pointChanges(ruleset, fit, scoreSet),
    legitFlagged,
    ...(withModel ? { modelPoints: { before: scoring.model, after: fit.scoring.model } } : {}),
    written: [],
  };
  return { report, fit, fitOptions, scoreSet, withModel };
}

/** A score set's `rescored` record (`rescored`, or `rescored-no-model`). */
function recordOf(scoring: ScoringConfig, set: ScoreSet): Record<string, unknown> | undefined {
  return set === 'no-model' ? scoring.rescoredNoModel : scoring.rescored;
}

/** The false-positive costs a scoring file's `rescored` record says its fit chose, if it names one for every label. */
function costsOf(record: Record<string, unknown> | undefined): Record<Label, number> | undefined {
  const costs = record?.['fp-cost'];
  if (typeof costs !== 'object' || costs === null) return undefined;
  const entries = LABELS.map((label) => [label, (costs as Record<string, unknown>)[label]] as const);
  return entries.every(([, cost]) => typeof cost === 'number' && cost > 0) ? (Object.fromEntries(entries) as Record<Label, number>) : undefined;
}

/** Rules whose effective points the fit changes, the biggest change first. */
function pointChanges(ruleset: RuleSetDefinition, fit: FitResult, scoreSet: ScoreSet): { changed: PointChange[]; unchanged: number } {
  const changed: PointChange[] = [];
  let unchanged = 0;
  for (const rule of ruleset.rules) {
    const authored = rule.authoredPoints ?? rule.points;
    const fitted = fit.labels[rule.label].fitted;
    // The points of the set being fitted, before it.
    const before = scoreSet === 'no-model' ? (ruleset.scoring.noModel?.[rule.id] ?? rule.points) : rule.points;
    // In a fitted label, a rule that did not fire loses any learned points it had.
    const after = fit.points[rule.id] ?? (fitted ? authored : before);
    if (Math.abs(after - before) > 1e-9) changed.push({ rule: rule.id, label: rule.label, category: rule.category, authored, before, after });
    else if (fit.points[rule.id] !== undefined) unchanged++;
  }
  changed.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.rule < b.rule ? -1 : 1));
  return { changed, unchanged };
}

/** What the scoring file's `rescored` record says besides the fit itself: how to get the numbers again. */
export interface ScoringProvenance {
  /** The command line that reproduces the fit. */
  command: string;
  /** The --fpr-on inputs as shown, if any. */
  fprOn?: string[];
}

/**
 * The scoring file's new text: the learned points and model levels, with a `rescored` record of
 * where they came from (no dates or times). Checked before it is returned: the text loads cleanly
 * and gives every rule the points the fit chose.
 */
export async function rescoredScoringText(
  run: RescoreRun,
  result: RescoreResult,
  provenance: ScoringProvenance,
  assemble: (files: readonly RuleFileText[]) => RuleSetDefinition | Promise<RuleSetDefinition> = assembleRuleSet,
): Promise<string> {
  const { files, ruleset } = run;
  const { fit, scoreSet } = result;
  const model: Partial<Record<Label, ModelPoints>> = {};
  // The fitted labels' entries as the fit leaves them in force (hand-set `below` points kept).
  for (const label of LABELS) if (fit.model?.[label]) model[label] = fit.scoring.model[label];
  const original = ruleset.scoringFile !== undefined ? files.find((f) => f.file === ruleset.scoringFile)!.text : undefined;
  const rescored = rescoredRecord(run, result, provenance);
  const text = updateScoringText(original, { points: fit.points, model, rescored, set: scoreSet }, ruleset.scoring);
  await checkWritten(files, ruleset, text, fit, scoreSet, assemble);
  return text;
}

/**
 * `rescored`: what a reader needs to know where the numbers came from and to get them again. A fit
 * of new rules only (`--fit new`) keeps the record of the fit whose points it holds and adds its
 * own to that record's `new-rules` list: the rules it fitted, and how.
 */
function rescoredRecord(run: RescoreRun, result: RescoreResult, provenance: ScoringProvenance): Record<string, unknown> {
  const { fit, fitOptions, withModel, scoreSet } = result;
  const all = createHash('sha256');
  for (const source of run.sources) all.update(`${source.name}\u0000${source.documents}\u0000${source.fingerprint}\u0000`);
  const last = fit.rounds[fit.chosen]!;
  // What every record says, in this order around the parts of its own: which inputs, rules and
  // model, then the target and what the kept fit reached.
  const fittedOn = {
    'inputs-fingerprint': all.digest('hex').slice(0, 16),
    'rules-fingerprint': definitionsFingerprint(run.ruleset.rules).slice(0, 16),
    model: run.modelName,
  };
  const outcome = {
    'target-fpr': fitOptions.labelTargets ?? fitOptions.targetFpr,
    ...(provenance.fprOn?.length ? { 'fpr-on': provenance.fprOn } : {}),
    'target-met': fit.targetMet,
    fpr: last.fpr,
    'fp-cost': { ...last.costs },
  };
  if (run.fit === 'new') {
    const learned = learnedPointsOf(run.scoring, scoreSet);
    const previous = recordOf(run.scoring, scoreSet) ?? {};
    const earlier = Array.isArray(previous['new-rules']) ? (previous['new-rules'] as unknown[]) : [];
    const added = {
      command: provenance.command,
      postings: run.docs.length,
      ...fittedOn,
      ...outcome,
      rules: run.ruleset.rules.filter((rule) => learned[rule.id] === undefined && fit.points[rule.id] !== undefined).map((rule) => rule.id),
    };
    return { ...previous, 'new-rules': [...earlier, added] };
  }
  return {
    command: provenance.command,
    inputs: run.sources.map((source) => ({ file: source.name, postings: source.documents, fingerprint: source.fingerprint })),
    ...fittedOn,
    ...(withModel ? { 'base-rates': { ...run.scoring.baseRates } } : {}),
    ...outcome,
    rounds: fit.rounds.length,
    fit: {
      steps: fitOptions.steps,
      'learning-rate': fitOptions.learningRate,
      prior: fitOptions.prior,
      temperature: fitOptions.temperature,
      rounding: fitOptions.rounding,
      ...(fitOptions.levels ? { levels: [...fitOptions.levels] } : {}),
    },
  };
}

/**
 * The file about to be written must load cleanly and give every rule the points the fit chose.
 * `assemble` puts the rule files together (the CLI's goes through the rule-set cache, which then
 * holds the set a scan of the written file loads).
 */
async function checkWritten(
  files: readonly RuleFileText[],
  ruleset: RuleSetDefinition,
  text: string,
  fit: FitResult,
  scoreSet: ScoreSet,
  assemble: (files: readonly RuleFileText[]) => RuleSetDefinition | Promise<RuleSetDefinition>,
): Promise<void> {
  const scoringFile = ruleset.scoringFile ?? '(new scoring file)';
  const replaced =
    ruleset.scoringFile !== undefined ? files.map((f) => (f.file === scoringFile ? { file: f.file, text } : f)) : [...files, { file: scoringFile, text }];
  const check = await assemble(replaced);
  const errors = check.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`the scoring file written would not load:\n${errors.map(formatProblem).join('\n')}`);
  for (const rule of check.rules) {
    const expected = fit.points[rule.id] ?? rule.authoredPoints ?? rule.points;
    const got = scoreSet === 'no-model' ? check.scoring.noModel?.[rule.id] : rule.points;
    if (got !== expected)
      throw new Error(`the scoring file written gives ${rule.id} ${got} points${scoreSet === 'no-model' ? ' without the model' : ''} instead of ${expected}`);
  }
}
