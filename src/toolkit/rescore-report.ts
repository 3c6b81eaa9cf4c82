// `lurescan rescore`'s report: what the fit changed (the shape `--format json` writes) and the table
// the terminal shows. No I/O.
import type { ChalkInstance } from 'chalk';
import type { Metric, MetricKey } from '../contracts/metrics.js';
import type { ModelPoints } from '../rules/schema.js';
import type { FitRound, LabelFit, ScoreSet } from '../score/fit.js';
import { LABELS, type Label } from '../types.js';

/** Rule changes and legitimate postings the table lists at most (all with --format json). */
const SHOWN_CHANGES = 15;

/** A rule whose points the rescore changes. */
export interface PointChange {
  rule: string;
  label: Label;
  category: string;
  /** The points its own file gives it. */
  authored: number;
  before: number;
  after: number;
}

export interface GroupFigures {
  group: string;
  documents: number;
  truth: Record<string, number>;
  before: Record<MetricKey, Metric>;
  after: Record<MetricKey, Metric>;
}

export interface RescoreReport {
  documents: number;
  truth: Record<string, number>;
  skipped: number;
  model: string;
  /** The score set fitted: `model` (points for the postings the model judges) or `no-model` (points-no-model). */
  scoreSet: ScoreSet;
  /** Postings the model judged (it abstains where it learned too little of a language); 0 without a model. */
  judged: number;
  rules: { rules: number; fitted: number; fingerprint: string };
  /** Which points were fitted: all (and the model's levels), or new rules only (`--fit new`). */
  fit: 'all' | 'new';
  targetFpr: number;
  /** Each label's own target, when given per label (a label not named takes `targetFpr`); the any-label target then does not apply. */
  labelTargets?: Record<Label, number>;
  /** The legitimate postings the target is judged on (all of them unless --fpr-on names some inputs). */
  targetJudgedOn: { legit: number; inputs: string[] | 'all' };
  /** Of those, how many the points in force flag with each label (before the fit; the kept round's counts are the after). */
  targetBefore: Record<Label, number>;
  targetMet: boolean;
  /** The round whose points are kept (index into rounds). */
  chosen: number;
  /** Each fit: the false-positive costs used and the rate they gave. */
  rounds: FitRound[];
  labels: Record<Label, LabelFit>;
  /** With the scoring in force before (rules' current points, the model's current points). */
  before: Record<MetricKey, Metric>;
  /** With the learned points, rounded as written. */
  after: Record<MetricKey, Metric>;
  by: string;
  groups: GroupFigures[];
  /** Rules whose points change, most first; rules that keep theirs are counted. */
  points: { changed: PointChange[]; unchanged: number };
  /**
   * The legitimate postings the target is judged on that the learned points still flag: what a
   * rule author reads to find the look-alikes that set the false-positive cost.
   */
  legitFlagged: Array<{ id: string; file: string; labels: Label[] }>;
  /** The model's points per label before and after (when a model was used). */
  modelPoints?: { before: Record<Label, ModelPoints>; after: Record<Label, ModelPoints> };
  /** Files written (none without --out or --write). */
  written: string[];
}

const pct = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const COLUMN = 17;
const change = (before: number | null, after: number | null): string => `${pct(before)} -> ${pct(after)}`.padStart(COLUMN);

function describeModelPoints(entry: ModelPoints): string {
  if ('levels' in entry) {
    const levels = entry.levels.length === 0 ? 'no points' : entry.levels.map((level) => `${level.at}: +${level.points}`).join(', ');
    const below = (entry.below ?? []).map((level) => `under ${level.at}: ${level.points}`).join(', ');
    return below === '' ? levels : `${levels}; ${below} (hand-set)`;
  }
  return `from ${entry.from}, alone ${entry.alone}, max ${entry.max}`;
}

/** The report as the terminal shows it. */
export function formatRescoreTable(report: RescoreReport, color: ChalkInstance): string {
  const lines: string[] = [];
  const truth = Object.entries(report.truth)
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  lines.push(color.bold(`lurescan rescore: ${report.documents} labelled postings (${truth})${report.skipped ? `; ${report.skipped} skipped` : ''}`));
  lines.push(`  rules: ${report.rules.rules} (fingerprint ${report.rules.fingerprint}); model: ${report.model}`);
  if (report.fit === 'new') lines.push("  fitted: new rules only (no learned points yet); learned points and the model's levels held");
  if (report.modelPoints) lines.push(`  the model judged ${report.judged} of ${report.documents} postings (it abstains on languages it learned too little of)`);
  const last = report.rounds[report.chosen]!;
  const costs = LABELS.filter((label) => report.labels[label].fitted)
    .map((label) => `${label} ${last.costs[label]}`)
    .join(', ');
  const met = report.targetMet ? color.green('met') : color.red('NOT met');
  const on =
    report.targetJudgedOn.inputs === 'all' ? '' : ` on the ${report.targetJudgedOn.legit} legitimate postings of ${report.targetJudgedOn.inputs.join(', ')}`;
  if (report.labelTargets) {
    const legit = report.targetJudgedOn.legit;
    const rate = (n: number): string => pct(legit ? n / legit : null);
    const per = LABELS.map(
      (label) => `${label} ${pct(report.labelTargets![label])} (${rate(report.targetBefore[label])} before, ${rate(last.legitFlagged[label])} after)`,
    ).join(', ');
    lines.push(
      `  target false-positive rate per label${on}: ${met}: ${per}; either label ${pct(last.fpr)}; fit ${report.chosen + 1} of ${report.rounds.length}; false-positive cost ${costs || 'n/a'}`,
    );
  } else {
    lines.push(
      `  target false-positive rate ${pct(report.targetFpr)}${on}: ${met} (${pct(last.fpr)}) with fit ${report.chosen + 1} of ${report.rounds.length}; false-positive cost ${costs || 'n/a'}`,
    );
  }
  for (const label of LABELS) {
    const fit = report.labels[label];
    lines.push(
      fit.fitted
        ? `  ${label}: ${fit.rules} rules fitted${fit.held ? ` (${fit.held} held at their learned points)` : ''} on ${fit.positives} positives, ${fit.legit} legitimate${fit.otherKind ? ` and ${fit.otherKind} of the other kind` : ''}`
        : color.yellow(`  ${label}: ${fit.reason}`),
    );
  }
  lines.push('');
  lines.push(`${'label'.padEnd(21)} ${['precision', 'recall', 'F1', 'FPR'].map((h) => h.padStart(COLUMN)).join(' ')}`);
  for (const key of ['any', ...LABELS] as const) {
    const b = report.before[key];
    const a = report.after[key];
    if (b.tp + b.fp + b.fn === 0 && a.tp + a.fp + a.fn === 0 && key !== 'any') continue;
    lines.push(
      `${(key === 'any' ? 'fraud (either label)' : key).padEnd(21)} ${change(b.precision, a.precision)} ${change(b.recall, a.recall)} ${color.bold(change(b.f1, a.f1))} ${change(b.fpr, a.fpr)}`,
    );
  }
  if (report.by !== 'none') {
    lines.push('', `by ${report.by} (before -> after; FC / EF recall: flagged with that label; fraud recall: either label)`);
    const width = Math.min(48, Math.max(report.by.length, ...report.groups.map((g) => g.group.length)));
    lines.push(
      `${report.by.padEnd(width)} ${'n'.padStart(5)} ${'legit'.padStart(5)} ${['FPR', 'FC recall', 'EF recall', 'fraud recall'].map((h) => h.padStart(COLUMN)).join(' ')}`,
    );
    for (const g of report.groups) {
      const [b, a] = [g.before, g.after];
      lines.push(
        `${g.group.slice(0, width).padEnd(width)} ${String(g.documents).padStart(5)} ${String(g.truth.legit ?? 0).padStart(5)} ${change(b.any.fpr, a.any.fpr)} ${change(b['forced-criminality'].recall, a['forced-criminality'].recall)} ${change(b['employment-fraud'].recall, a['employment-fraud'].recall)} ${change(b.any.recall, a.any.recall)}`,
      );
    }
  }
  const { changed, unchanged } = report.points;
  lines.push(
    '',
    `points${report.scoreSet === 'no-model' ? ' without the model (points-no-model)' : ''}: ${changed.length} rule(s) change, ${unchanged} fitted rule(s) keep theirs${changed.length > SHOWN_CHANGES ? `; the ${SHOWN_CHANGES} biggest changes (all with --format json)` : ''}`,
  );
  if (changed.length > 0) {
    lines.push(`${'rule'.padEnd(34)} ${'category'.padEnd(20)} ${'authored'.padStart(8)} ${'before'.padStart(7)} ${'after'.padStart(7)}`);
    for (const c of changed.slice(0, SHOWN_CHANGES)) {
      lines.push(
        `${c.rule.padEnd(34)} ${c.category.padEnd(20)} ${String(c.authored).padStart(8)} ${String(c.before).padStart(7)} ${String(c.after).padStart(7)}`,
      );
    }
  }
  const flagged = report.legitFlagged;
  if (flagged.length > 0) {
    lines.push(
      '',
      `legitimate postings still flagged (${flagged.length}${flagged.length > SHOWN_CHANGES ? `; the first ${SHOWN_CHANGES}, all with --format json` : ''}):`,
    );
    for (const f of flagged.slice(0, SHOWN_CHANGES)) lines.push(`  ${f.file}  ${f.id}  ${f.labels.join(', ')}`);
  }
  if (report.modelPoints) {
    lines.push('', 'model points (probability: points added at and above it)');
    for (const label of LABELS) {
      lines.push(`  ${label.padEnd(19)} before: ${describeModelPoints(report.modelPoints.before[label])}`);
      const reason = report.labels[label].model?.reason;
      lines.push(`  ${''.padEnd(19)} after:  ${reason ? color.yellow(`unchanged: ${reason}`) : describeModelPoints(report.modelPoints.after[label])}`);
    }
  }
  lines.push(
    '',
    report.written.length > 0
      ? `wrote ${report.written.join(', ')}`
      : "nothing written (report only): --out <file> writes a scoring file, --write updates the rules folder's own",
  );
  return `${lines.join('\n')}\n`;
}
