// Output formats: each writer turns records into text; the CLI owns the stream.
import type { ChalkInstance } from 'chalk';
import Papa from 'papaparse';
import { LABELS, isErrorRecord, type OutputRecord, type Posting, type Verdict } from '../types.js';
import type { Summary } from './summary.js';

export const OUTPUT_FORMATS = ['jsonl', 'csv', 'json', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Writer {
  begin(): string;
  record(record: OutputRecord, posting?: Posting): string;
  end(summary: Summary): string;
}

export function jsonlWriter(): Writer {
  return {
    begin: () => '',
    record: (record) => `${JSON.stringify(record)}\n`,
    end: () => '',
  };
}

/** One JSON document: {"verdicts": [...], "summary": {...}}, streamed element by element. */
export function jsonWriter(): Writer {
  let first = true;
  return {
    begin: () => '{"verdicts":[',
    record: (record) => {
      const text = `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
      first = false;
      return text;
    },
    end: (summary) => `${first ? '' : '\n'}],\n"summary":${JSON.stringify(summary)}}\n`,
  };
}

const CSV_COLUMNS = [
  'id', 'file', 'row', 'line', 'url', 'flagged', 'labels',
  ...LABELS.map((label) => `score_${label.replace(/-/g, '_')}`),
  'top_rules', 'title', 'company', 'location', 'error_code', 'error_message',
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
        return row([...where, '', '', ...LABELS.map(() => ''), '', '', '', '', record.error.code, record.error.message]);
      }
      const top = record.hits.filter((hit) => hit.points > 0).slice(0, TOP_RULES).map((hit) => hit.rule).join(';');
      return row([
        ...where, record.flagged, record.labels.join(';'), ...LABELS.map((label) => record.scores[label]), top,
        record.posting.title, record.posting.company, record.posting.location, '', '',
      ]);
    },
    end: () => '',
  };
}

const CONTEXT = 50;

/** The matched text with some of its surroundings, on one line. */
function snippet(text: string, start: number, end: number, color: ChalkInstance): string {
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  const before = flat(text.slice(Math.max(0, start - CONTEXT), start));
  const after = flat(text.slice(end, end + CONTEXT));
  const match = flat(text.slice(start, end));
  return `${start > CONTEXT ? '…' : ''}${before}${color.bold.inverse(match)}${after}${end + CONTEXT < text.length ? '…' : ''}`;
}

function describeScores(verdict: Verdict): string {
  return LABELS.map((label) => `${label} ${verdict.scores[label]}`).join(', ');
}

/** A terminal report: flagged postings with their evidence highlighted, others one dim line each. */
export function tableWriter(color: ChalkInstance): Writer {
  return {
    begin: () => '',
    record: (record, posting) => {
      if (isErrorRecord(record)) return `${color.magenta('✖ error')} ${record.id}  ${color.magenta(record.error.code)} ${record.error.message}\n`;
      const title = record.posting.title || '(no title)';
      if (!record.flagged) return color.dim(`○ ok      ${record.id}  ${title.slice(0, 80)}  [${describeScores(record)}]\n`);
      const lines = [`${color.red.bold('● FLAGGED')} ${color.bold(record.labels.join(' + '))}  ${record.id}  ${color.bold(title.slice(0, 80))}`];
      lines.push(`  scores: ${describeScores(record)}`);
      for (const hit of record.hits) {
        const points = hit.points > 0 ? color.yellow(`+${hit.points}`) : color.green(String(hit.points));
        const head = `  ${points} ${hit.rule} ${color.dim(`(${hit.category})`)}`;
        if (hit.combines) {
          lines.push(`${head} ${color.dim('combines')} ${hit.combines.join(', ')}`);
          continue;
        }
        const text = posting?.fields[hit.field!];
        const evidence = text !== undefined ? snippet(text, hit.start!, hit.end!, color) : color.bold.inverse(hit.match ?? '');
        lines.push(`${head} ${color.cyan(hit.field!)}: ${evidence}`);
      }
      return `${lines.join('\n')}\n`;
    },
    end: () => '',
  };
}
