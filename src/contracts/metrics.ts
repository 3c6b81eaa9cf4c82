// Accuracy figures from verdicts against answer keys, one module for `eval`, `rules diff` and
// `rules stats`: counts per label and for "any" (flagged at all against fraudulent at all),
// precision, recall, F1, the false-positive rate on legitimate postings, a confusion matrix, and
// the model's precision and recall at probability thresholds. No I/O.
import { CLASSES, type Truth } from './labels.js';
import { LABELS, type Label } from './labels.js';

/** Each label, and `any` (flagged at all, against fraudulent at all: what a binary key can tell). */
export type MetricKey = Label | 'any';
export const METRIC_KEYS: readonly MetricKey[] = [...LABELS, 'any'];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Legitimate postings, and those of them flagged with this key: the false-positive rate. */
  legit: number;
  legitFlagged: number;
}

export interface Metric extends Counts {
  /** null when nothing was flagged (precision), nothing was positive (recall), or no legitimate posting was seen (fpr). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  fpr: number | null;
}

export function emptyCounts(): Record<MetricKey, Counts> {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, { tp: 0, fp: 0, fn: 0, tn: 0, legit: 0, legitFlagged: 0 }])) as Record<MetricKey, Counts>;
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
    if (truth === 'legit') {
      c.legit++;
      if (predicted) c.legitFlagged++;
    }
  };
  add('any', truth !== 'legit', flagged.length > 0);
  if (truth === 'fraud') return;
  for (const label of LABELS) add(label, truth === label, flagged.includes(label));
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : Math.round((num / den) * 10000) / 10000);

export function metricOf(c: Counts): Metric {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 =
    precision === null || recall === null ? null : precision + recall === 0 ? 0 : Math.round(((2 * precision * recall) / (precision + recall)) * 10000) / 10000;
  return { ...c, precision, recall, f1, fpr: ratio(c.legitFlagged, c.legit) };
}

/** Postings a metric was computed on. */
/** Every key's figures from its counts. */
export function metricsOf(counts: Record<MetricKey, Counts>): Record<MetricKey, Metric> {
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, metricOf(counts[key])])) as Record<MetricKey, Metric>;
}

export function support(c: Counts): number {
  return c.tp + c.fp + c.fn + c.tn;
}

/** A flag's class: forced criminality outranks employment fraud, the graver finding. */
export function predictedClass(labels: readonly Label[]): number {
  if (labels.includes('forced-criminality')) return CLASSES.indexOf('forced-criminality');
  if (labels.includes('employment-fraud')) return CLASSES.indexOf('employment-fraud');
  return 0;
}

/** Confusion rows: each truth (binary "fraud" apart); columns: not flagged, employment-fraud, forced-criminality. */
export const CONFUSION_ROWS: readonly Truth[] = ['legit', 'employment-fraud', 'forced-criminality', 'fraud'];

export function emptyConfusion(): number[][] {
  return CONFUSION_ROWS.map(() => CLASSES.map(() => 0));
}

export function countConfusion(confusion: number[][], truth: Truth, flagged: readonly Label[]): void {
  confusion[CONFUSION_ROWS.indexOf(truth)]![predictedClass(flagged)]!++;
}

export interface ThresholdRow {
  threshold: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** Fraud of either kind called when the model's probability of not-legit reaches each threshold. */
export function thresholdCurve(points: ReadonlyArray<{ truth: Truth; notLegit: number }>, thresholds: readonly number[]): ThresholdRow[] {
  return thresholds.map((threshold) => {
    const counts = emptyCounts();
    for (const { truth, notLegit } of points) countVerdict(counts, truth === 'legit' ? 'legit' : 'fraud', notLegit >= threshold ? ['employment-fraud'] : []);
    const { precision, recall, f1 } = metricOf(counts.any);
    return { threshold, precision, recall, f1 };
  });
}
