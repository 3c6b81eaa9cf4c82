// `rules diff` reports as Markdown (for a pull-request comment) and as text for a terminal.
import type { ChalkInstance } from 'chalk';
import type { DiffReport, FlagChange, MetricChange } from './diff.js';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);

function delta(before: number | null, after: number | null): string {
  if (before === null || after === null) return '';
  const d = (after - before) * 100;
  if (Math.abs(d) < 0.05) return '±0';
  return `${d > 0 ? '+' : ''}${d.toFixed(1)} pt`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function rulesCell(c: FlagChange): string {
  return [...c.added.map((r) => `+${r}`), ...c.removed.map((r) => `-${r}`)].join(' ') || '(points or caps changed)';
}

const MAX_ROWS = 50;

function changeTable(title: string, changes: FlagChange[]): string[] {
  if (changes.length === 0) return [];
  const lines = [`### ${title} (${changes.length})`, '', '| posting | label | truth | score | rules |', '|---|---|---|---|---|'];
  for (const c of changes.slice(0, MAX_ROWS)) {
    lines.push(`| \`${cell(c.id)}\` ${cell(c.title)} | ${c.label} | ${c.truth ?? ''} | ${c.scoreBefore} → ${c.scoreAfter} | ${cell(rulesCell(c))} |`);
  }
  if (changes.length > MAX_ROWS) lines.push('', `…and ${changes.length - MAX_ROWS} more (see the JSON report).`);
  lines.push('');
  return lines;
}

function metricRow(m: MetricChange): string {
  return `| ${m.key} | ${m.support} | ${pct(m.before.precision)} → ${pct(m.after.precision)} (${delta(m.before.precision, m.after.precision)}) | ${pct(m.before.recall)} → ${pct(m.after.recall)} (${delta(m.before.recall, m.after.recall)}) |`;
}

export function diffMarkdown(report: DiffReport, failures: string[] = []): string {
  const { base, head, corpus, rules } = report;
  const lines = [
    '## lurescan rules diff',
    '',
    `Base \`${base.name}\` (${base.rules} rules) → head \`${head.name}\` (${head.rules} rules); corpus ${corpus.inputs.map((i) => `\`${i}\``).join(', ')}: ${corpus.postings} postings, ${corpus.labelled} labelled. Scored with rules only (the model is held out of diffs).`,
    '',
    `Rules added: ${rules.added.join(', ') || 'none'}; removed: ${rules.removed.join(', ') || 'none'}; changed: ${rules.changed.join(', ') || 'none'}.`,
    '',
    `**${report.newlyFlagged.length} newly flagged, ${report.noLongerFlagged.length} no longer flagged.**`,
    '',
  ];
  if (failures.length > 0) lines.push(`:x: **Regression:** ${failures.join('; ')}`, '');
  if (report.points.length > 0) {
    lines.push(`### Points that changed (${report.points.length})`, '', '| rule | before | after |', '|---|---|---|');
    for (const p of report.points.slice(0, MAX_ROWS)) lines.push(`| ${p.rule} | ${p.before} | ${p.after} |`);
    if (report.points.length > MAX_ROWS) lines.push('', `…and ${report.points.length - MAX_ROWS} more (see the JSON report).`);
    lines.push('');
  }
  if (report.metrics.length > 0) {
    lines.push('### Precision and recall (labelled postings)', '', '| label | postings | precision | recall |', '|---|---|---|---|');
    lines.push(...report.metrics.map(metricRow), '');
  }
  lines.push(...changeTable('Newly flagged', report.newlyFlagged), ...changeTable('No longer flagged', report.noLongerFlagged));
  const changedHits = report.hitCounts.filter((h) => h.before !== h.after);
  if (changedHits.length > 0) {
    lines.push(
      `### Rule hits that changed (${changedHits.length} of ${report.hitCounts.length} rules)`,
      '',
      '| rule | before | after | now fires on | no longer on |',
      '|---|---|---|---|---|',
    );
    for (const h of changedHits)
      lines.push(`| ${h.rule} | ${h.before} | ${h.after} | ${idList(h.gained, h.gainedTotal, code)} | ${idList(h.lost, h.lostTotal, code)} |`);
    lines.push('');
  }
  if (report.errors.length > 0) {
    lines.push(`### Not compared (${report.errors.length})`, '');
    for (const e of report.errors.slice(0, MAX_ROWS)) lines.push(`- \`${cell(e.id)}\` (${e.side}): ${e.code}: ${cell(e.message)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** A posting id as Markdown code. */
const code = (id: string): string => `\`${cell(id)}\``;

/** The posting ids named for a rule, with how many more there are (`a, b +3`). */
function idList(ids: string[], total: number, show: (id: string) => string = (id) => id): string {
  return `${ids.map(show).join(', ')}${total > ids.length ? ` +${total - ids.length}` : ''}`;
}

export function diffText(report: DiffReport, color: ChalkInstance, failures: string[] = []): string {
  const { base, head, corpus, rules } = report;
  const out = [
    color.bold(`rules diff: ${base.name} (${base.rules} rules) -> ${head.name} (${head.rules} rules)`),
    `corpus: ${corpus.inputs.join(', ')}: ${corpus.postings} postings, ${corpus.labelled} labelled; rules only (the model is held out)`,
    `rules added: ${rules.added.join(', ') || 'none'}; removed: ${rules.removed.join(', ') || 'none'}; changed: ${rules.changed.join(', ') || 'none'}`,
  ];
  if (report.points.length > 0) out.push(`points changed: ${report.points.map((p) => `${p.rule} ${p.before} -> ${p.after}`).join(', ')}`);
  out.push('');
  const list = (title: string, changes: FlagChange[], paint: (s: string) => string) => {
    out.push(paint(`${title}: ${changes.length}`));
    for (const c of changes) out.push(`  ${c.id} ${c.label} ${c.scoreBefore} -> ${c.scoreAfter}${c.truth ? ` (labelled ${c.truth})` : ''}: ${rulesCell(c)}`);
  };
  list('newly flagged', report.newlyFlagged, color.yellow);
  list('no longer flagged', report.noLongerFlagged, color.cyan);
  if (report.metrics.length > 0) {
    out.push('', 'precision / recall (labelled postings):');
    for (const m of report.metrics) {
      out.push(
        `  ${m.key.padEnd(20)} n=${String(m.support).padEnd(5)} precision ${pct(m.before.precision)} -> ${pct(m.after.precision)} (${delta(m.before.precision, m.after.precision)})  recall ${pct(m.before.recall)} -> ${pct(m.after.recall)} (${delta(m.before.recall, m.after.recall)})`,
      );
    }
  }
  const changedHits = report.hitCounts.filter((h) => h.before !== h.after);
  if (changedHits.length > 0) {
    out.push('', 'rule hits that changed:');
    for (const h of changedHits) {
      const named = [
        h.gained.length > 0 ? `now on ${idList(h.gained, h.gainedTotal)}` : '',
        h.lost.length > 0 ? `no longer on ${idList(h.lost, h.lostTotal)}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      out.push(`  ${h.rule.padEnd(34)} ${String(h.before).padStart(5)} -> ${h.after}${named ? `  (${named})` : ''}`);
    }
  }
  for (const e of report.errors) out.push(color.red(`not compared: ${e.id} (${e.side}): ${e.code}: ${e.message}`));
  if (failures.length > 0) out.push('', color.red(`regression: ${failures.join('; ')}`));
  return `${out.join('\n')}\n`;
}
