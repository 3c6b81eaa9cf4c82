// `rules stats`: per rule, what it does on a labelled corpus: hits per answer-key label, precision
// (the share of its labelled hits on the postings it is meant for), the rules it fires together
// with, and the rules that never fire. The figures a rule author needs to set points.
import type { ChalkInstance } from 'chalk';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import type { RuleDef } from '../rules/schema.js';
import type { ScorePool } from '../run/pool.js';
import type { ReadItem } from '../contracts/read-item.js';
import { isErrorRecord } from '../types.js';
import { scorePostings } from './corpus.js';
import { TRUTHS, truthOf, type Truth } from '../contracts/labels.js';

export interface RuleStats {
  rule: string;
  label: string;
  category: string;
  points: number;
  hits: number;
  /** Hits per answer-key value; `unlabelled` for postings without one. */
  byTruth: Record<Truth | 'unlabelled', number>;
  /** Which postings a hit is right on: the rule's label, or `legit` for negative-point rules. */
  target: string;
  /** Share of labelled hits on the target (a binary "fraudulent" key counts as either label); null without labelled hits. */
  precision: number | null;
  /** The rules that fire most often on the same postings: share of this rule's hits. */
  overlap: { rule: string; together: number; share: number }[];
}

export interface StatsReport {
  inputs: string[];
  postings: number;
  labelled: number;
  byTruth: Record<Truth | 'unlabelled', number>;
  rules: RuleStats[];
  neverFired: string[];
  errors: { id: string; code: string; message: string }[];
}

const TOP_OVERLAP = 3;

function emptyByTruth(): Record<Truth | 'unlabelled', number> {
  return Object.fromEntries([...TRUTHS, 'unlabelled'].map((k) => [k, 0])) as Record<Truth | 'unlabelled', number>;
}

function precisionOf(rule: RuleDef, byTruth: Record<Truth | 'unlabelled', number>): number | null {
  const labelled = TRUTHS.reduce((sum, t) => sum + byTruth[t], 0);
  if (labelled === 0) return null;
  const right = rule.points < 0 ? byTruth.legit : byTruth[rule.label] + byTruth.fraud;
  return Math.round((right / labelled) * 10000) / 10000;
}

export async function ruleStats(
  ruleset: RuleSetDefinition,
  pool: ScorePool,
  corpus: { inputs: string[]; postings: AsyncIterable<ReadItem> },
): Promise<StatsReport> {
  const byRule = new Map(ruleset.rules.map((r) => [r.id, emptyByTruth()]));
  const pairs = new Map<string, Map<string, number>>();
  const report: StatsReport = { inputs: corpus.inputs, postings: 0, labelled: 0, byTruth: emptyByTruth(), rules: [], neverFired: [], errors: [] };
  for await (const item of scorePostings(corpus.postings, [pool])) {
    if ('readError' in item) {
      report.errors.push({ id: item.readError.id, ...item.readError.error });
      continue;
    }
    const record = item.records[0]!;
    if (isErrorRecord(record)) {
      report.errors.push({ id: record.id, ...record.error });
      continue;
    }
    report.postings++;
    const truth = truthOf(item.posting.label) ?? 'unlabelled';
    if (truth !== 'unlabelled') report.labelled++;
    report.byTruth[truth]++;
    const fired = [...new Set(record.hits.map((h) => h.rule))];
    for (const rule of fired) {
      const counts = byRule.get(rule);
      if (counts) counts[truth]++;
      const row = pairs.get(rule) ?? new Map<string, number>();
      for (const other of fired) if (other !== rule) row.set(other, (row.get(other) ?? 0) + 1);
      pairs.set(rule, row);
    }
  }
  for (const rule of ruleset.rules) {
    const byTruth = byRule.get(rule.id)!;
    const hits = Object.values(byTruth).reduce((a, b) => a + b, 0);
    const overlap = [...(pairs.get(rule.id) ?? new Map<string, number>())]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, TOP_OVERLAP)
      .map(([other, together]) => ({ rule: other, together, share: Math.round((together / hits) * 10000) / 10000 }));
    report.rules.push({
      rule: rule.id,
      label: rule.label,
      category: rule.category,
      points: rule.points,
      hits,
      byTruth,
      target: rule.points < 0 ? 'legit' : rule.label,
      precision: precisionOf(rule, byTruth),
      overlap,
    });
    if (hits === 0 && rule.status !== 'deprecated') report.neverFired.push(rule.id);
  }
  report.rules.sort((a, b) => (a.rule < b.rule ? -1 : 1));
  return report;
}

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(0)}%`);
const TRUTH_COLUMNS: (Truth | 'unlabelled')[] = ['forced-criminality', 'employment-fraud', 'fraud', 'legit', 'unlabelled'];

export function statsMarkdown(report: StatsReport): string {
  const lines = [
    '## lurescan rules stats',
    '',
    `${report.postings} postings from ${report.inputs.map((i) => `\`${i}\``).join(', ')}; labelled: ${TRUTH_COLUMNS.map((t) => `${t} ${report.byTruth[t]}`).join(', ')}.`,
    '',
    `| rule | points | hits | ${TRUTH_COLUMNS.join(' | ')} | precision | fires most with |`,
    `|---|---|---|${TRUTH_COLUMNS.map(() => '---').join('|')}|---|---|`,
  ];
  for (const r of report.rules) {
    const overlap = r.overlap.map((o) => `${o.rule} ${pct(o.share)}`).join(', ');
    lines.push(
      `| ${r.rule} | ${r.points} | ${r.hits} | ${TRUTH_COLUMNS.map((t) => r.byTruth[t]).join(' | ')} | ${pct(r.precision)} (${r.target}) | ${overlap} |`,
    );
  }
  lines.push('', `Never fired (${report.neverFired.length}): ${report.neverFired.join(', ') || 'none'}.`, '');
  return lines.join('\n');
}

export function statsText(report: StatsReport, color: ChalkInstance): string {
  const out = [
    color.bold(`rules stats: ${report.postings} postings (${report.labelled} labelled) from ${report.inputs.join(', ')}`),
    `${'rule'.padEnd(34)} ${'pts'.padStart(4)} ${'hits'.padStart(5)}  ${'FC'.padStart(4)} ${'EF'.padStart(4)} ${'fraud'.padStart(5)} ${'legit'.padStart(5)} ${'unlab'.padStart(5)}  precision  fires most with`,
  ];
  for (const r of report.rules) {
    const b = r.byTruth;
    const precision = `${pct(r.precision)} ${r.target === 'legit' ? '(legit)' : ''}`.trim();
    const paint = r.hits === 0 ? color.dim : r.precision !== null && r.precision < 0.5 ? color.yellow : (s: string) => s;
    out.push(
      paint(
        `${r.rule.padEnd(34)} ${String(r.points).padStart(4)} ${String(r.hits).padStart(5)}  ${String(b['forced-criminality']).padStart(4)} ${String(b['employment-fraud']).padStart(4)} ${String(b.fraud).padStart(5)} ${String(b.legit).padStart(5)} ${String(b.unlabelled).padStart(5)}  ${precision.padEnd(9)}  ${r.overlap.map((o) => `${o.rule} ${pct(o.share)}`).join(', ')}`,
      ),
    );
  }
  out.push('', `never fired (${report.neverFired.length}): ${report.neverFired.join(', ') || 'none'}`);
  for (const e of report.errors) out.push(color.red(`not scored: ${e.id}: ${e.code}: ${e.message}`));
  return `${out.join('\n')}\n`;
}
