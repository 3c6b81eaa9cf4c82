// Answer keys of labelled corpora (the `label` / `fraudulent` column a reader carries in
// Posting.label) and the precision / recall they allow.
import { LABELS, type Label } from '../types.js';

/** What an answer key says: one of our labels, legitimate, or fraudulent without saying which kind. */
export type Truth = Label | 'legit' | 'fraud';
export const TRUTHS: readonly Truth[] = [...LABELS, 'legit', 'fraud'];

const LEGIT = new Set(['0', 'false', 'no', 'n', 'f', 'legit', 'legitimate', 'genuine', 'real', 'ok', 'benign', 'negative', 'none']);
const FRAUD = new Set(['1', 'true', 'yes', 'y', 't', 'fraud', 'fraudulent', 'scam', 'fake', 'positive']);

/** Read an answer-key value; undefined when it is absent or says nothing we can use. */
export function truthOf(raw: string | undefined): Truth | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if ((LABELS as readonly string[]).includes(value)) return value as Label;
  if (LEGIT.has(value)) return 'legit';
  if (FRAUD.has(value)) return 'fraud';
  return undefined;
}

/** Each label, and `any` (flagged at all, against fraudulent at all: what a binary key can tell). */
export type MetricKey = Label | 'any';
export const METRIC_KEYS: readonly MetricKey[] = [...LABELS, 'any'];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Metric extends Counts {
  /** null when nothing was flagged (precision) or nothing was positive (recall). */
  precision: number | null;
  recall: number | null;
}

export function emptyCounts(): Record<MetricKey, Counts> {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, { tp: 0, fp: 0, fn: 0, tn: 0 }])) as Record<MetricKey, Counts>;
}

/**
 * Count one labelled posting. A binary key ("fraudulent: 1") does not say which label is right, so
 * it counts for `any` only; a legitimate posting counts against every label it was flagged with.
 */
export function countVerdict(counts: Record<MetricKey, Counts>, truth: Truth, flagged: readonly Label[]): void {
  const add = (key: MetricKey, actual: boolean, predicted: boolean): void => {
    const c = counts[key];
    if (actual && predicted) c.tp++;
    else if (predicted) c.fp++;
    else if (actual) c.fn++;
    else c.tn++;
  };
  add('any', truth !== 'legit', flagged.length > 0);
  if (truth === 'fraud') return;
  for (const label of LABELS) add(label, truth === label, flagged.includes(label));
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : Math.round((num / den) * 10000) / 10000);

export function metricOf(c: Counts): Metric {
  return { ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) };
}

/** Postings a metric was computed on. */
export function support(c: Counts): number {
  return c.tp + c.fp + c.fn + c.tn;
}
