// Output formats: each writer turns records into text; the CLI owns the stream.
import type { ChalkInstance } from 'chalk';
import Papa from 'papaparse';
import { LABELS, isErrorRecord, type Label, type OutputRecord, type Posting, type Verdict } from '../types.js';
import type { Summary } from './summary.js';

export interface Writer {
  begin(): string;
  record(record: OutputRecord, posting?: Posting): string;
  end(summary: Summary): string;
}

/**
 * Characters that JSON allows raw in a string but other tools take for line ends: U+2028 and U+2029
 * (JavaScript's old line terminators, and Python's `splitlines`), U+0085 (NEL: Python, Java, Spark's
 * line readers). A JSONL line holding one raw was cut in two downstream; escaped, it is still the
 * same JSON value.
 */
const LINE_BREAKERS = /[\u0085\u2028\u2029]/g;

/** A record as one JSON line that no line splitter cuts. */
export function jsonLine(record: unknown): string {
  return JSON.stringify(record).replace(LINE_BREAKERS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function jsonlWriter(): Writer {
  return {
    begin: () => '',
    record: (record) => `${jsonLine(record)}\n`,
    end: () => '',
  };
}

/** One JSON document: {"verdicts": [...], "summary": {...}}, streamed element by element. */
export function jsonWriter(): Writer {
  let first = true;
  return {
    begin: () => '{"verdicts":[',
    record: (record) => {
      const text = `${first ? '\n' : ',\n'}${jsonLine(record)}`;
      first = false;
      return text;
    },
    end: (summary) => `${first ? '' : '\n'}],\n"summary":${JSON.stringify(summary)}}\n`,
  };
}

/** A label or class as a column name: `score_forced_criminality`, `p_legit`. */
export function columnOf(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/-/g, '_')}`;
}

const CSV_COLUMNS = [
  'id',
  'file',
  'row',
  'line',
  'url',
  'flagged',
  'labels',
  ...LABELS.map((label) => columnOf('score', label)),
  'top_rules',
  'title',
  'company',
  'location',
  'error_code',
  'error_message',
  'contacts',
];
const TOP_RULES = 5;

/** One row a posting: id, where, flagged, labels, scores, the strongest rules; error rows alike. */
export function csvWriter(): Writer {
  const row = (values: unknown[]): string => `${Papa.unparse([values.map((v) => (v === undefined ? '' : String(v)))], { newline: '\n' })}\n`;
  return {
    begin: () => row(CSV_COLUMNS),
    record: (record) => {
      const where = [record.id, record.source.file, record.source.row, record.source.line, record.source.url];
      if (isErrorRecord(record)) {
        return row([...where, '', '', ...LABELS.map(() => ''), '', '', '', '', record.error.code, record.error.message, '']);
      }
      const top = record.hits
        .filter((hit) => hit.points > 0)
        .slice(0, TOP_RULES)
        .map((hit) => hit.rule)
        .join(';');
      return row([
        ...where,
        record.flagged,
        record.labels.join(';'),
        ...LABELS.map((label) => record.scores[label]),
        top,
        record.posting.title,
        record.posting.company,
        record.posting.location,
        '',
        '',
        contactKeys(record),
      ]);
    },
    end: () => '',
  };
}

/** A verdict's contact keys, each once, in the order found, joined by a space (`phone:+855... handle:hr_linda_kh`). */
export function contactKeys(verdict: Verdict): string {
  return [...new Set((verdict.contacts ?? []).map((contact) => contact.key))].join(' ');
}

const CONTEXT = 50;

/** The matched text with some of its surroundings, on one line; marked `»…«` where there is no colour to mark it. */
function snippet(text: string, start: number, end: number, color: ChalkInstance): string {
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  const before = flat(text.slice(Math.max(0, start - CONTEXT), start));
  const after = flat(text.slice(end, end + CONTEXT));
  return `${start > CONTEXT ? '…' : ''}${before}${mark(flat(text.slice(start, end)), color)}${after}${end + CONTEXT < text.length ? '…' : ''}`;
}

function mark(text: string, color: ChalkInstance): string {
  return color.level > 0 ? color.bold.inverse(text) : `»${text}«`;
}

function describeScores(verdict: Verdict): string {
  return LABELS.map((label) => `${label} ${verdict.scores[label]}`).join(', ');
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * How a label's score adds up: the hits' points, what the category caps took off, the model's
 * points, against the threshold. The caps' share is what is left once hits and model are summed.
 */
function scoreSum(verdict: Verdict, label: Label, threshold: number | undefined): string {
  const hits = round(verdict.hits.filter((hit) => hit.label === label).reduce((sum, hit) => sum + hit.points, 0));
  const model = verdict.model?.points?.[label] ?? 0;
  const capped = round(verdict.scores[label] - hits - model);
  const parts = [`hits ${hits}`];
  if (capped !== 0) parts.push(`${capped > 0 ? '+' : '−'} ${Math.abs(capped)} ${capped < 0 ? 'over category caps' : 'under negative caps'}`);
  if (model !== 0) parts.push(`${model > 0 ? '+' : '−'} model ${Math.abs(model)}`);
  return `${label} ${verdict.scores[label]} = ${parts.join(' ')}${threshold !== undefined ? ` (flags at ${threshold})` : ''}`;
}

/**
 * A terminal report: flagged postings with their evidence highlighted (marked `»…«` without
 * colour), how each flagged label's score adds up, and their warnings; others one dim line each,
 * naming a negative rule that held the posting under a threshold, and any warnings.
 */
export function tableWriter(color: ChalkInstance, thresholds?: Readonly<Record<Label, number>>): Writer {
  return {
    begin: () => '',
    record: (record, posting) => {
      if (isErrorRecord(record)) return `${color.magenta('✖ error')} ${record.id}  ${color.magenta(record.error.code)} ${record.error.message}\n`;
      const title = record.posting.title || '(no title)';
      const warnings = record.warnings?.map((w) => w.code) ?? [];
      if (!record.flagged) {
        const extra: string[] = [];
        const negatives = record.hits.filter((hit) => hit.points < 0);
        const held = thresholds
          ? negatives.filter((hit) => record.scores[hit.label] < thresholds[hit.label] && record.scores[hit.label] - hit.points >= thresholds[hit.label])
          : [];
        if (held.length > 0) extra.push(`held under by ${held.map((hit) => `${hit.rule} ${hit.points}`).join(', ')}`);
        if (record.model?.muted) extra.push(`muted ${record.model.muted.join(' + ')}: taken for a report (${record.model.report})`);
        if (record.quoted) extra.push(`muted ${record.quoted.muted.join(' + ')}: its offer is quoted in a warning ("${record.quoted.cue}")`);
        if (warnings.length > 0) extra.push(`warnings: ${warnings.join(', ')}`);
        return color.dim(`○ ok      ${record.id}  ${title.slice(0, 80)}  [${describeScores(record)}]${extra.map((e) => `  ${e}`).join('')}\n`);
      }
      const lines = [`${color.red.bold('● FLAGGED')} ${color.bold(record.labels.join(' + '))}  ${record.id}  ${color.bold(title.slice(0, 80))}`];
      lines.push(
        `  scores: ${LABELS.map((label) => (record.labels.includes(label) ? scoreSum(record, label, thresholds?.[label]) : `${label} ${record.scores[label]}`)).join('; ')}`,
      );
      if (warnings.length > 0) lines.push(`  ${color.magenta('warnings')}: ${record.warnings!.map((w) => `${w.code} (${w.message})`).join('; ')}`);
      for (const hit of record.hits) {
        const points = hit.points > 0 ? color.yellow(`+${hit.points}`) : color.green(String(hit.points));
        const head = `  ${points} ${hit.rule} ${color.dim(`(${hit.category})`)}`;
        if (hit.combines) {
          lines.push(`${head} ${color.dim('combines')} ${hit.combines.join(', ')}`);
          continue;
        }
        const text = posting?.fields[hit.field!];
        const evidence = text !== undefined ? snippet(text, hit.start!, hit.end!, color) : mark(hit.match ?? '', color);
        lines.push(`${head} ${color.cyan(hit.field!)}: ${evidence}`);
      }
      const contacts = contactKeys(record);
      if (contacts) lines.push(`  ${color.dim('contacts')}: ${contacts}`);
      const model = modelLine(record);
      if (model) lines.push(`  ${color.dim(model)}`);
      return `${lines.join('\n')}\n`;
    },
    end: () => '',
  };
}

/** The model's part, when it added points or abstained. */
function modelLine(verdict: Verdict): string | undefined {
  const model = verdict.model;
  if (!model) return undefined;
  if (model.abstained) return `model: abstained (${model.abstained})`;
  const points = Object.entries(model.points ?? {}).filter(([, n]) => n !== 0);
  return points.length > 0
    ? `model: ${points.map(([label, n]) => `${label} +${n}`).join(', ')} (P ${points.map(([label]) => model.probabilities?.[label as Label]).join(', ')})`
    : undefined;
}
