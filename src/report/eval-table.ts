// `lurescan eval`'s report: the figures of rules, model and both on a labelled corpus (the shape
// `--format json` writes), and the table the terminal shows. No I/O.
import type { ChalkInstance } from 'chalk';
import { CLASSES } from '../contracts/labels.js';
import { CONFUSION_ROWS, type Metric, type MetricKey, type ThresholdRow } from '../contracts/metrics.js';
import { LABELS, type Label } from '../types.js';

export const SYSTEMS = ['rules', 'model', 'combined'] as const;
export type System = (typeof SYSTEMS)[number];

export interface SystemReport {
  /** Per label, and `any`: flagged with either label against fraud of either kind. */
  metrics: Record<MetricKey, Metric>;
  /** Rows: the truth (legit, employment-fraud, forced-criminality, fraud); columns: not flagged, employment-fraud, forced-criminality. */
  confusion: number[][];
}

/** One group's figures (a language, a source file): the combined system, and how often the model abstained. */
export interface GroupReport {
  group: string;
  documents: number;
  truth: Record<string, number>;
  metrics: Record<MetricKey, Metric>;
  rulesOnly: Record<MetricKey, Metric>;
  abstained: number;
}

export interface EvalReport {
  documents: number;
  truth: Record<string, number>;
  skipped: number;
  model: string;
  baseRates: Partial<Record<Label, number>>;
  rules: { fingerprint: string; rules: number };
  systems: Partial<Record<System, SystemReport>>;
  /** Postings the model did not judge, and why (reasons shortened to their kind: language or coverage). */
  abstained: { total: number; byReason: Record<string, number> };
  by: string;
  groups: GroupReport[];
  modelThresholds?: ThresholdRow[];
  elapsedMs: number;
}

function pct(value: number | null): string {
  return (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`).padStart(7);
}

const SYSTEM_NAMES: Record<System, string> = { rules: 'rules only', model: 'model only', combined: 'combined' };

/** The report as the terminal shows it. */
export function formatEvalTable(result: EvalReport, color: ChalkInstance): string {
  const lines: string[] = [];
  const truth = Object.entries(result.truth)
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  lines.push(color.bold(`lurescan eval: ${result.documents} labelled postings (${truth})${result.skipped ? `; ${result.skipped} skipped` : ''}`));
  lines.push(`  rules: ${result.rules.rules}, fingerprint ${result.rules.fingerprint}`);
  lines.push(`  model: ${result.model}`);
  const rates = Object.entries(result.baseRates)
    .map(([label, rate]) => `${label} ${rate}`)
    .join(', ');
  if (result.systems.model)
    lines.push(
      `  base rates: ${rates || 'as calibrated'}; the model abstained on ${result.abstained.total}${
        result.abstained.total
          ? ` (${Object.entries(result.abstained.byReason)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')})`
          : ''
      }`,
    );
  lines.push('');
  lines.push(
    `${'system'.padEnd(12)} ${'label'.padEnd(20)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'FPR'.padStart(7)}   tp / fp / fn`,
  );
  for (const system of SYSTEMS) {
    const report = result.systems[system];
    if (!report) continue;
    for (const key of ['any', ...LABELS] as const) {
      const m = report.metrics[key];
      if (m.tp + m.fp + m.fn === 0 && key !== 'any') continue;
      const shown = key === 'any' ? 'fraud (either label)' : key;
      lines.push(
        `${SYSTEM_NAMES[system].padEnd(12)} ${shown.padEnd(20)} ${pct(m.precision).padStart(9)} ${pct(m.recall)} ${color.bold(pct(m.f1))} ${pct(m.fpr)}   ${m.tp} / ${m.fp} / ${m.fn}`,
      );
    }
  }
  const shownSystem: System = result.systems.combined ? 'combined' : 'rules';
  lines.push('', `confusion (${SYSTEM_NAMES[shownSystem]}; rows: truth, columns: verdict)`);
  lines.push(`${''.padEnd(20)} ${['not flagged', ...CLASSES.slice(1)].map((h) => h.padStart(19)).join('')}`);
  result.systems[shownSystem]!.confusion.forEach((row, r) => {
    if (row.some((n) => n > 0)) lines.push(`${CONFUSION_ROWS[r]!.padEnd(20)} ${row.map((n) => String(n).padStart(19)).join('')}`);
  });
  if (result.by !== 'none') {
    lines.push('', `by ${result.by} (${SYSTEM_NAMES[shownSystem]}; FC recall: forced-criminality flagged as such; fraud recall: either label)`);
    lines.push(
      `${result.by.padEnd(24)} ${'n'.padStart(6)} ${'legit'.padStart(6)} ${'FPR'.padStart(7)} ${'FC rec'.padStart(7)} ${'fraud rec'.padStart(9)} ${'precision'.padStart(9)} ${'F1'.padStart(7)} ${'rules FPR'.padStart(9)} ${'rules rec'.padStart(9)} ${'abstain'.padStart(7)}`,
    );
    for (const g of result.groups) {
      const any = g.metrics.any;
      const fc = g.metrics['forced-criminality'];
      lines.push(
        `${g.group.slice(0, 24).padEnd(24)} ${String(g.documents).padStart(6)} ${String(g.truth.legit ?? 0).padStart(6)} ${pct(any.fpr)} ${pct(fc.recall)} ${pct(any.recall).padStart(9)} ${pct(any.precision).padStart(9)} ${pct(any.f1)} ${pct(g.rulesOnly.any.fpr).padStart(9)} ${pct(g.rulesOnly.any.recall).padStart(9)} ${String(g.abstained).padStart(7)}`,
      );
    }
  }
  if (result.modelThresholds) {
    lines.push('', 'model alone, fraud of either kind when P(not legit) >= threshold (postings it judged)');
    lines.push(`${'threshold'.padEnd(10)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(7)}`);
    for (const row of result.modelThresholds)
      lines.push(`${row.threshold.toFixed(2).padEnd(10)} ${pct(row.precision).padStart(9)} ${pct(row.recall)} ${pct(row.f1)}`);
  }
  lines.push('', `${(result.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
