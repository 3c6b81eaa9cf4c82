// `rules diff`: what a rule change does. Both rule sets score the same corpus (rules only: the model
// is held out, so the difference is the rules' alone); the report lists postings newly flagged and
// no longer flagged with the rules responsible, per-rule hit counts before and after, and, where the
// corpus is labelled, precision and recall per label before and after.
import type { RuleSetDefinition } from '../rules/ruleset.js';
import type { RuleDef } from '../rules/schema.js';
import type { ScorePool } from '../run/pool.js';
import type { ReadItem } from '../contracts/read-item.js';
import { LABELS, isErrorRecord, type ErrorRecord, type Label, type Posting, type Verdict } from '../types.js';
import { scorePostings } from './corpus.js';
import { truthOf, type Truth } from '../contracts/labels.js';
import { METRIC_KEYS, countVerdict, emptyCounts, metricOf, support, type Metric, type MetricKey } from '../contracts/metrics.js';

export interface Side {
  name: string;
  fingerprint: string;
  rules: number;
}

export interface FlagChange {
  id: string;
  file?: string;
  title: string;
  label: Label;
  truth?: Truth;
  scoreBefore: number;
  scoreAfter: number;
  /** Rules of this label that fire now and did not before. */
  added: string[];
  /** Rules of this label that fired before and do not now. */
  removed: string[];
}

export interface MetricChange {
  key: MetricKey;
  support: number;
  before: Metric;
  after: Metric;
}

/** Postings named per rule whose hits changed: enough to open and look at, not a dump. */
const CHANGED_IDS = 5;

export interface DiffReport {
  base: Side;
  head: Side;
  /** Always "rules only": the model is not part of the comparison. */
  scoring: 'rules only';
  corpus: { inputs: string[]; postings: number; labelled: number; compared: number };
  rules: { added: string[]; removed: string[]; changed: string[] };
  /** Rules in both sets whose points differ (a rescore's learned points, or an edit), biggest change first. */
  points: { rule: string; before: number; after: number }[];
  newlyFlagged: FlagChange[];
  noLongerFlagged: FlagChange[];
  /** Per rule: postings it fired on before and after, and (the first few of) those it now fires on or no longer does. */
  hitCounts: { rule: string; before: number; after: number; gained: string[]; gainedTotal: number; lost: string[]; lostTotal: number }[];
  metrics: MetricChange[];
  /** Postings not compared: unreadable, or not scored by one side (e.g. over the time budget). */
  errors: { id: string; side: 'read' | 'base' | 'head'; code: string; message: string }[];
}

/**
 * The points a rule scores with when the rules score alone, as a diff scores them: the no-model
 * score set where the scoring file has one, else its `points` or its own file's.
 */
function alonePoints(set: RuleSetDefinition, rule: RuleDef): number {
  return set.scoring.noModel?.[rule.id] ?? rule.points;
}

/**
 * A rule's definition without where it lives, to tell a changed rule from a moved one; with the
 * points it scores with alone, whether its own file or the scoring file's learned points give them.
 */
function ruleBody(set: RuleSetDefinition, rule: RuleDef): string {
  const { origin: _origin, authoredPoints: _authored, ...rest } = rule;
  return JSON.stringify({ ...rest, points: alonePoints(set, rule) });
}

function comparePoints(base: RuleSetDefinition, head: RuleSetDefinition): DiffReport['points'] {
  const before = new Map(base.rules.map((r) => [r.id, alonePoints(base, r)]));
  const changes = head.rules
    .filter((r) => before.has(r.id) && before.get(r.id) !== alonePoints(head, r))
    .map((r) => ({ rule: r.id, before: before.get(r.id)!, after: alonePoints(head, r) }));
  return changes.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.rule < b.rule ? -1 : 1));
}

function compareRules(base: RuleSetDefinition, head: RuleSetDefinition): DiffReport['rules'] {
  const before = new Map(base.rules.map((r) => [r.id, ruleBody(base, r)]));
  const after = new Map(head.rules.map((r) => [r.id, ruleBody(head, r)]));
  const sorted = (ids: string[]) => ids.sort();
  return {
    added: sorted([...after.keys()].filter((id) => !before.has(id))),
    removed: sorted([...before.keys()].filter((id) => !after.has(id))),
    changed: sorted([...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id))),
  };
}

function change(posting: Posting, label: Label, before: Verdict, after: Verdict, truth: Truth | undefined): FlagChange {
  const rulesOf = (v: Verdict) => new Set(v.hits.filter((h) => h.label === label).map((h) => h.rule));
  const b = rulesOf(before);
  const a = rulesOf(after);
  return {
    id: posting.id,
    ...(posting.source.file !== undefined ? { file: posting.source.file } : {}),
    title: (posting.fields.title ?? posting.fields.description ?? '').slice(0, 100),
    label,
    ...(truth ? { truth } : {}),
    scoreBefore: before.scores[label],
    scoreAfter: after.scores[label],
    added: [...a].filter((r) => !b.has(r)).sort(),
    removed: [...b].filter((r) => !a.has(r)).sort(),
  };
}

export async function diffRuleSets(
  base: { name: string; ruleset: RuleSetDefinition; pool: ScorePool },
  head: { name: string; ruleset: RuleSetDefinition; pool: ScorePool },
  corpus: { inputs: string[]; postings: AsyncIterable<ReadItem> },
): Promise<DiffReport> {
  const report: DiffReport = {
    base: { name: base.name, fingerprint: base.ruleset.fingerprint, rules: base.ruleset.rules.length },
    head: { name: head.name, fingerprint: head.ruleset.fingerprint, rules: head.ruleset.rules.length },
    scoring: 'rules only',
    corpus: { inputs: corpus.inputs, postings: 0, labelled: 0, compared: 0 },
    rules: compareRules(base.ruleset, head.ruleset),
    points: comparePoints(base.ruleset, head.ruleset),
    newlyFlagged: [],
    noLongerFlagged: [],
    hitCounts: [],
    metrics: [],
    errors: [],
  };
  const hitsBefore = new Map<string, number>();
  const hitsAfter = new Map<string, number>();
  const countsBefore = emptyCounts();
  const countsAfter = emptyCounts();
  // Per rule, the postings it now fires on (or no longer does): the first few ids, and how many.
  const gained = new Map<string, { ids: string[]; total: number }>();
  const lost = new Map<string, { ids: string[]; total: number }>();
  const note = (map: typeof gained, rule: string, id: string): void => {
    const entry = map.get(rule) ?? { ids: [], total: 0 };
    if (entry.ids.length < CHANGED_IDS) entry.ids.push(id);
    entry.total++;
    map.set(rule, entry);
  };
  const tally = (map: Map<string, number>, verdict: Verdict) => {
    for (const hit of verdict.hits) map.set(hit.rule, (map.get(hit.rule) ?? 0) + 1);
  };
  for await (const item of scorePostings(corpus.postings, [base.pool, head.pool])) {
    if ('readError' in item) {
      report.errors.push({ id: item.readError.id, side: 'read', code: item.readError.error.code, message: item.readError.error.message });
      continue;
    }
    report.corpus.postings++;
    const [before, after] = item.records as [Verdict | ErrorRecord, Verdict | ErrorRecord];
    const failed = (
      [
        ['base', before],
        ['head', after],
      ] as const
    ).filter(([, r]) => isErrorRecord(r));
    for (const [side, record] of failed) {
      const { code, message } = (record as ErrorRecord).error;
      report.errors.push({ id: item.posting.id, side, code, message });
    }
    if (isErrorRecord(before) || isErrorRecord(after)) continue;
    report.corpus.compared++;
    tally(hitsBefore, before);
    tally(hitsAfter, after);
    const rulesBefore = new Set(before.hits.map((hit) => hit.rule));
    const rulesAfter = new Set(after.hits.map((hit) => hit.rule));
    for (const rule of rulesAfter) if (!rulesBefore.has(rule)) note(gained, rule, item.posting.id);
    for (const rule of rulesBefore) if (!rulesAfter.has(rule)) note(lost, rule, item.posting.id);
    const truth = truthOf(item.posting.label);
    if (truth) {
      report.corpus.labelled++;
      countVerdict(countsBefore, truth, before.labels);
      countVerdict(countsAfter, truth, after.labels);
    }
    for (const label of LABELS) {
      const was = before.labels.includes(label);
      const is = after.labels.includes(label);
      if (is && !was) report.newlyFlagged.push(change(item.posting, label, before, after, truth));
      if (was && !is) report.noLongerFlagged.push(change(item.posting, label, before, after, truth));
    }
  }
  const rules = [...new Set([...hitsBefore.keys(), ...hitsAfter.keys(), ...report.rules.removed, ...report.rules.added])].sort();
  report.hitCounts = rules.map((rule) => ({
    rule,
    before: hitsBefore.get(rule) ?? 0,
    after: hitsAfter.get(rule) ?? 0,
    gained: gained.get(rule)?.ids ?? [],
    gainedTotal: gained.get(rule)?.total ?? 0,
    lost: lost.get(rule)?.ids ?? [],
    lostTotal: lost.get(rule)?.total ?? 0,
  }));
  report.metrics = METRIC_KEYS.filter((key) => support(countsBefore[key]) > 0).map((key) => ({
    key,
    support: support(countsBefore[key]),
    before: metricOf(countsBefore[key]),
    after: metricOf(countsAfter[key]),
  }));
  return report;
}

/** Why `--fail-on` fails this report, if it does. */
export function failureReasons(report: DiffReport, failOn: 'regression' | 'change', tolerance: number): string[] {
  if (failOn === 'change') {
    const changed = report.newlyFlagged.length + report.noLongerFlagged.length;
    return changed > 0 ? [`${changed} verdict change(s)`] : [];
  }
  const reasons: string[] = [];
  for (const m of report.metrics) {
    for (const measure of ['precision', 'recall'] as const) {
      const before = m.before[measure];
      const after = m.after[measure];
      if (before === null) continue;
      // A measure that becomes undefined (nothing flagged any more) has dropped to nothing.
      const drop = before - (after ?? 0);
      if (drop > tolerance + 1e-9) reasons.push(`${measure} of ${m.key} fell from ${before} to ${after ?? 'n/a'} (more than the tolerance ${tolerance})`);
    }
  }
  return reasons;
}
