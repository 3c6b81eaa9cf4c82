// Accuracy figures for `eval`: precision, recall and F1 per label and for fraud of either kind, a
// confusion matrix, and precision/recall of the model at several probability thresholds. No I/O.
import { LABELS, type Label } from '../types.js';
import { MODEL_LABELS } from './naive-bayes.js';

export interface Outcome {
  /** Index into MODEL_LABELS. */
  truth: number;
  labels: readonly Label[];
}

export interface Scores {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface SystemReport {
  /** Per label, plus `fraud`: flagged with either label against fraud of either kind. */
  labels: Record<Label | 'fraud', Scores>;
  /** Rows: the truth; columns: the prediction (not flagged, employment-fraud, forced-criminality). */
  confusion: number[][];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function scores(tp: number, fp: number, fn: number): Scores {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision: round(precision), recall: round(recall), f1: round(f1) };
}

/** A flag's class: forced criminality outranks employment fraud, the graver finding. */
export function predictedClass(labels: readonly Label[]): number {
  if (labels.includes('forced-criminality')) return MODEL_LABELS.indexOf('forced-criminality');
  if (labels.includes('employment-fraud')) return MODEL_LABELS.indexOf('employment-fraud');
  return 0;
}

export function report(outcomes: readonly Outcome[]): SystemReport {
  const confusion = MODEL_LABELS.map(() => MODEL_LABELS.map(() => 0));
  const labels = {} as SystemReport['labels'];
  for (const label of LABELS) {
    const index = MODEL_LABELS.indexOf(label);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const o of outcomes) {
      const predicted = o.labels.includes(label);
      if (predicted && o.truth === index) tp++;
      else if (predicted) fp++;
      else if (o.truth === index) fn++;
    }
    labels[label] = scores(tp, fp, fn);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const o of outcomes) {
    const predicted = o.labels.length > 0;
    const actual = o.truth !== 0;
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    confusion[o.truth]![predictedClass(o.labels)]!++;
  }
  labels.fraud = scores(tp, fp, fn);
  return { labels, confusion };
}

export interface ThresholdRow extends Scores {
  threshold: number;
}

/** Fraud of either kind called when the model's probability of not-legit reaches each threshold. */
export function thresholdCurve(points: ReadonlyArray<{ truth: number; notLegit: number }>, thresholds: readonly number[]): ThresholdRow[] {
  return thresholds.map((threshold) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const { truth, notLegit } of points) {
      const predicted = notLegit >= threshold;
      if (predicted && truth !== 0) tp++;
      else if (predicted) fp++;
      else if (truth !== 0) fn++;
    }
    return { threshold, ...scores(tp, fp, fn) };
  });
}
