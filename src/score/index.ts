// Verdicts: a posting's hits turned into scores, labels and the record users read (no I/O).
import { extractContacts } from '../contacts/index.js';
import { postingLanguage } from '../lang/detect.js';
import { explainPrediction, isAbstention, predict, type PredictContext, type Scorer } from '../model/model.js';
import { deniedHits, evaluateRules, prepareFields, scoreHits, type CompiledRuleSet, type EvaluateOptions, type PreparedPosting } from '../rules/engine.js';
import type { ModelPoints, ScoringConfig } from '../rules/schema.js';
import { isModelLevels } from '../rules/scoring-values.js';
import { quotedLabels } from './quoted.js';
import { LABELS, SHORT_FIELDS, type Hit, type Label, type ModelEvidence, type Posting, type Verdict } from '../types.js';

export interface VerdictOptions {
  /** Copy every field's full text into the verdict (`--include-text`). */
  includeText?: boolean;
  /** Score with this model too (absent: rules only, or the model is not trusted). */
  model?: Scorer;
  /**
   * Add the tokens that weighed most for and against the model's label, and the rule matches a
   * denial held (`--explain`).
   */
  explain?: boolean;
}

/**
 * Points the model adds to a label. Hand-set ramp: nothing below `from`, then up to `max` (kept
 * under the threshold, so a rule has to agree), and the whole threshold at `alone`, where it flags
 * by itself. Learned levels: the points of every level the probability reaches, added up, and the
 * (hand-set, negative) points of every `below` level it is under.
 */
export function modelPoints(probability: number, config: ModelPoints, threshold: number): number {
  if (isModelLevels(config)) {
    let sum = 0;
    for (const level of config.levels) if (probability >= level.at) sum += level.points;
    for (const level of config.below ?? []) if (probability < level.at) sum += level.points;
    return Math.round(sum * 100) / 100;
  }
  if (probability >= config.alone) return threshold;
  if (probability < config.from) return 0;
  return Math.round(((config.max * (probability - config.from)) / (config.alone - config.from)) * 10) / 10;
}

/** The short fields that tell a reader which ad this is. */
export function postingSummary(posting: Posting): Record<string, string> {
  const summary: Record<string, string> = {};
  for (const name of SHORT_FIELDS) {
    const value = posting.fields[name];
    if (value !== undefined) summary[name] = value.length > 300 ? `${value.slice(0, 300)}…` : value;
    else if (name === 'title' || name === 'company' || name === 'location' || name === 'url') summary[name] = '';
  }
  return summary;
}

/** Strongest evidence first; ties by rule id so output is stable. */
export function sortHits(hits: Hit[]): Hit[] {
  return hits.sort((a, b) => b.points - a.points || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/**
 * The least probability at which the model alone reaches the label's threshold (so flags with no
 * rule's help), or undefined when it never does.
 */
export function modelAloneAt(config: ModelPoints, threshold: number): number | undefined {
  if (!isModelLevels(config)) return config.alone;
  let sum = 0;
  for (const level of config.levels) {
    sum += level.points;
    if (sum >= threshold - 1e-9) return level.at;
  }
  return undefined;
}

/** Add the model's points to rule scores (in place); returns the points added (or, below 0, taken away) per label. */
export function addModelPoints(
  scores: Record<Label, number>,
  probabilities: Readonly<Record<string, number>>,
  scoring: ScoringConfig,
  judges?: readonly string[],
): Partial<Record<Label, number>> {
  const points: Partial<Record<Label, number>> = {};
  for (const label of LABELS) {
    if (judges !== undefined && !judges.includes(label)) continue;
    const added = modelPoints(probabilities[label] ?? 0, scoring.model[label], scoring.thresholds[label]);
    if (added !== 0) {
      points[label] = added;
      scores[label] = Math.round((scores[label] + added) * 100) / 100;
    }
  }
  return points;
}

/** The scoring file's base rates in the model's class order (legit first, which takes the rest). */
export function baseRatesOf(scoring: ScoringConfig): PredictContext['baseRates'] {
  return [undefined, scoring.baseRates['employment-fraud'], scoring.baseRates['forced-criminality']];
}

/** What a verdict's flags rest on: the label scores (model points included) and the labels flagged. */
export interface Decision {
  scores: Record<Label, number>;
  labels: Label[];
  /** The points the model added, per label it added any to. */
  modelPoints: Partial<Record<Label, number>>;
  /**
   * Labels that reached their thresholds but are not flagged: the posting was taken for a report
   * (all of them), or the label's own evidence is all quoted inside a warning (that label).
   */
  muted?: Label[];
  /** What took it for one: the model's report head, or its scoring hits all quoted inside a warning. */
  mutedBy?: 'report-head' | 'quotation';
}

/** Whether the report head's probability reaches the scoring's `report-mute`: the posting's flags are muted. */
export function isReport(report: number | undefined, scoring: ScoringConfig): boolean {
  return report !== undefined && scoring.reportMute !== undefined && report >= scoring.reportMute;
}

/**
 * Scores and flags from a posting's hits and, when a model judged it, the model's probabilities.
 * One function for scans and for `rescore`, which re-decides stored hits under new points.
 */
export function decide(
  hits: readonly Hit[],
  probabilities: Readonly<Record<string, number>> | undefined,
  scoring: ScoringConfig,
  judges?: readonly string[],
  report?: number,
  quoted?: readonly Label[],
): Decision {
  const scores = scoreHits(hits, scoring);
  const modelPoints = probabilities ? addModelPoints(scores, probabilities, scoring, judges) : {};
  const labels = LABELS.filter((label: Label) => scores[label] >= scoring.thresholds[label]);
  // A report quotes the lure it warns of, rules and all: its flags are muted, its scores kept to read.
  if (labels.length > 0 && isReport(report, scoring)) return { scores, labels: [], modelPoints, muted: labels, mutedBy: 'report-head' };
  // A label whose scoring evidence is all quoted inside a warning is the warning's subject, not its offer.
  const muted = quoted && scoring.quoteMute ? labels.filter((label) => quoted.includes(label)) : [];
  if (muted.length > 0) return { scores, labels: labels.filter((label) => !muted.includes(label)), modelPoints, muted, mutedBy: 'quotation' };
  return { scores, labels, modelPoints };
}

/** Hits with each rule's points for scoring without the model (`ScoringConfig.noModel`). */
export function withoutModel(hits: Hit[], noModel: Readonly<Record<string, number>>): Hit[] {
  return hits.map((hit) => {
    const points = noModel[hit.rule];
    return points === undefined || points === hit.points ? hit : { ...hit, points };
  });
}

/** `prepared`: the posting's fields as the rules folded them, which the model then reads rather than folding them again. */
export function buildVerdict(
  posting: Posting,
  hits: Hit[],
  set: CompiledRuleSet,
  options: VerdictOptions & EvaluateOptions = {},
  lang = postingLanguage(posting.fields).lang,
  prepared?: PreparedPosting,
): Verdict {
  const folded = prepared ? new Map(prepared.fields.map((field) => [field.name, field.norm.text])) : undefined;
  const output = options.model
    ? predict(options.model, posting.fields, { lang, baseRates: baseRatesOf(set.scoring), ...(folded ? { folded } : {}) })
    : undefined;
  const judged = output && !isAbstention(output) ? output : undefined;
  // Without the model's judgement the rules score with the points learned without it, where the scoring file has them.
  if (!judged && set.scoring.noModel) hits = withoutModel(hits, set.scoring.noModel);
  let decision = decide(hits, judged?.probabilities, set.scoring, judged?.judges, judged?.report);
  // Whether a label's scoring hits are all quoted in a warning is asked only of the labels a posting would be flagged with.
  const quoted = set.scoring.quoteMute ? quotedLabels(posting.fields, hits, decision.labels) : undefined;
  if (quoted) decision = decide(hits, judged?.probabilities, set.scoring, judged?.judges, judged?.report, quoted.labels);
  const { scores, labels, modelPoints, muted, mutedBy } = decision;
  const verdict: Verdict = {
    id: posting.id,
    source: posting.source,
    posting: postingSummary(posting),
    lang,
    flagged: labels.length > 0,
    labels,
    scores,
    hits: sortHits(hits),
  };
  // Contacts are evidence to read and to join postings on (`lurescan link`), never points.
  const contacts = extractContacts(posting.fields, {
    lang,
    ...(posting.fields.location !== undefined ? { location: posting.fields.location } : {}),
    ...(prepared ? { folded: new Map(prepared.fields.map((field) => [field.name, field.norm])) } : {}),
  });
  if (contacts.length > 0) verdict.contacts = contacts;
  if (output && isAbstention(output)) verdict.model = { abstained: output.abstained };
  else if (judged) {
    const evidence: ModelEvidence = { label: judged.label, probabilities: judged.probabilities };
    if (judged.judges) {
      evidence.judges = judged.judges as Label[];
      const withheld = LABELS.filter((label) => !judged.judges!.includes(label));
      evidence.withheld = `${withheld.join(', ')}: the model learned too few such postings in ${lang} to add points (see the model's gate)`;
    }
    if (Object.keys(modelPoints).length > 0) evidence.points = modelPoints;
    if (judged.report !== undefined) evidence.report = judged.report;
    if (muted && mutedBy === 'report-head') evidence.muted = muted;
    if (options.explain) evidence.tokens = explainPrediction(judged, judged.label);
    verdict.model = evidence;
  }
  if (muted && mutedBy === 'quotation') verdict.quoted = { muted, cue: quoted!.cue };
  if (options.explain) {
    const denied = deniedHits(set, prepared ?? prepareFields(posting), hits, options);
    if (denied.length > 0) verdict.denied = denied;
  }
  if (posting.warnings?.length) verdict.warnings = posting.warnings;
  if (options.includeText) verdict.text = { ...posting.fields };
  return verdict;
}

/** Score one posting against a compiled rule set. */
export function scorePosting(set: CompiledRuleSet, posting: Posting, options: VerdictOptions & EvaluateOptions = {}): Verdict {
  const prepared = prepareFields(posting);
  const hits = evaluateRules(set, prepared, options);
  return buildVerdict(posting, hits, set, options, prepared.lang, prepared);
}
