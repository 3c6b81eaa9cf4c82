// A multinomial naive Bayes over sparse token presence, three classes, Lidstone smoothing; with a
// softmax calibration fitted on out-of-fold scores so its probabilities mean what they say.
// Pure computation: training counts, classifying, calibrating. No I/O.
import type { Features, TokenizerSettings } from './tokenize.js';

export const MODEL_LABELS = ['legit', 'employment-fraud', 'forced-criminality'] as const;
export type ModelLabel = (typeof MODEL_LABELS)[number];
export const CLASS_COUNT = MODEL_LABELS.length;

/** Softmax over `scale * (log-likelihood / length^power) + bias[class]`. */
export interface Calibration {
  scale: number;
  bias: number[];
  /** How much a long posting's summed evidence is damped: 0 none, 0.5 by the square root of its token count. */
  lengthPower: number;
}

export const IDENTITY_CALIBRATION: Calibration = { scale: 1, bias: [0, 0, 0], lengthPower: 0 };

/** Mutable training state: per-class document and token counts. */
export class Counts {
  readonly documents: number[] = new Array<number>(CLASS_COUNT).fill(0);
  readonly totals: number[] = new Array<number>(CLASS_COUNT).fill(0);
  readonly tokens = new Map<string, number[]>();

  /** Add (`sign` 1) or take out (`sign` -1) one document's tokens, each counted once. */
  apply(features: Features, classIndex: number, sign: 1 | -1 = 1): void {
    this.documents[classIndex] = Math.max(0, this.documents[classIndex]! + sign);
    for (const token of features.keys()) {
      let row = this.tokens.get(token);
      if (row === undefined) {
        if (sign < 0) continue;
        row = new Array<number>(CLASS_COUNT).fill(0);
        this.tokens.set(token, row);
      }
      const before = row[classIndex]!;
      const after = Math.max(0, before + sign);
      row[classIndex] = after;
      this.totals[classIndex] = this.totals[classIndex]! + (after - before);
    }
  }

  /** Take a token out entirely (vocabulary cap). */
  remove(token: string): void {
    const row = this.tokens.get(token);
    if (row === undefined) return;
    this.tokens.delete(token);
    for (let c = 0; c < CLASS_COUNT; c++) this.totals[c] = this.totals[c]! - row[c]!;
  }

  /** Add another set of counts into this one. */
  merge(other: Counts): void {
    for (let c = 0; c < CLASS_COUNT; c++) {
      this.documents[c] = this.documents[c]! + other.documents[c]!;
      this.totals[c] = this.totals[c]! + other.totals[c]!;
    }
    for (const [token, row] of other.tokens) {
      const mine = this.tokens.get(token);
      if (mine === undefined) this.tokens.set(token, [...row]);
      else for (let c = 0; c < CLASS_COUNT; c++) mine[c] = mine[c]! + row[c]!;
    }
  }

  clone(): Counts {
    const copy = new Counts();
    copy.merge(this);
    return copy;
  }
}

/** A model ready to score: log-probabilities per token in one flat array. */
export interface Classifier {
  alpha: number;
  logPrior: number[];
  /** Log-probability of a token the class never saw (smoothing mass). */
  logUnseen: number[];
  index: Map<string, number>;
  /** `logLikelihood[i * CLASS_COUNT + c]` for token i and class c. */
  logLikelihood: Float64Array;
  calibration: Calibration;
}

export function buildClassifier(counts: Counts, alpha: number, calibration: Calibration = IDENTITY_CALIBRATION): Classifier {
  const tokens = [...counts.tokens.keys()];
  const rows = [...counts.tokens.values()];
  return classifierFrom(tokens, (i, c) => rows[i]![c]!, counts.documents, counts.totals, alpha, calibration);
}

/** Build from per-class count columns, as stored in a model file, without an intermediate map of rows. */
export function classifierFromColumns(tokens: readonly string[], columns: readonly (readonly number[])[], documents: readonly number[], alpha: number, calibration: Calibration): Classifier {
  const totals = columns.map((column) => column.reduce((a, b) => a + b, 0));
  return classifierFrom(tokens, (i, c) => columns[c]![i]!, documents, totals, alpha, calibration);
}

function classifierFrom(
  tokens: readonly string[],
  count: (token: number, classIndex: number) => number,
  documentCounts: readonly number[],
  totals: readonly number[],
  alpha: number,
  calibration: Calibration,
): Classifier {
  const vocabulary = Math.max(1, tokens.length);
  const documents = documentCounts.reduce((a, b) => a + b, 0);
  // Classes with no documents get a vanishing prior instead of -Infinity, so sums stay finite.
  const logPrior = documentCounts.map((n) => Math.log((n + 1e-3) / (documents + 1e-3 * CLASS_COUNT)));
  const denominators = totals.map((total) => total + alpha * vocabulary);
  const logUnseen = denominators.map((d) => Math.log(alpha / d));
  const index = new Map<string, number>();
  const logLikelihood = new Float64Array(tokens.length * CLASS_COUNT);
  for (let i = 0; i < tokens.length; i++) {
    index.set(tokens[i]!, i);
    for (let c = 0; c < CLASS_COUNT; c++) logLikelihood[i * CLASS_COUNT + c] = Math.log((count(i, c) + alpha) / denominators[c]!);
  }
  return { alpha, logPrior, logUnseen, index, logLikelihood, calibration };
}

/** Raw per-class log scores (prior plus evidence) and how many known tokens they rest on. */
export interface RawScores {
  logScores: number[];
  known: number;
}

export function rawScores(classifier: Classifier, features: Features): RawScores {
  const logScores = [...classifier.logPrior];
  let known = 0;
  for (const token of features.keys()) {
    const i = classifier.index.get(token);
    if (i === undefined) continue;
    known++;
    for (let c = 0; c < CLASS_COUNT; c++) logScores[c] = logScores[c]! + classifier.logLikelihood[i * CLASS_COUNT + c]!;
  }
  return { logScores, known };
}

/** Calibrated class probabilities from raw scores. */
export function calibrate(raw: RawScores, calibration: Calibration): number[] {
  const damp = Math.pow(Math.max(1, raw.known), calibration.lengthPower);
  const z = raw.logScores.map((s, c) => (calibration.scale * s) / damp + calibration.bias[c]!);
  const max = Math.max(...z);
  const exp = z.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

export function classify(classifier: Classifier, features: Features): number[] {
  return calibrate(rawScores(classifier, features), classifier.calibration);
}

/** The tokens that moved a posting most towards `classIndex` and most away from it (against legit or the runner-up). */
export function explain(classifier: Classifier, features: Features, classIndex: number, limit = 8): { for: string[]; against: string[] } {
  const other = classIndex === 0 ? 1 : 0;
  const weights: Array<[string, number]> = [];
  for (const token of features.keys()) {
    const i = classifier.index.get(token);
    if (i === undefined) continue;
    const base = i * CLASS_COUNT;
    weights.push([token, classifier.logLikelihood[base + classIndex]! - classifier.logLikelihood[base + other]!]);
  }
  weights.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const format = ([token, weight]: [string, number]): string => `${token} ${weight >= 0 ? '+' : ''}${weight.toFixed(2)}`;
  return {
    for: weights.filter(([, w]) => w > 0).slice(0, limit).map(format),
    against: weights.filter(([, w]) => w < 0).reverse().slice(0, limit).map(format),
  };
}

/**
 * Fit the calibration's scale and biases to out-of-fold raw scores by minimising log loss
 * (gradient descent with an adaptive step: four parameters, thousands of points). Each length
 * power in `powers` is tried and the best kept.
 */
export function fitCalibration(points: ReadonlyArray<{ raw: RawScores; label: number }>, powers: readonly number[] = [0, 0.5]): Calibration {
  let best: { calibration: Calibration; loss: number } | undefined;
  const present = new Set(points.map((p) => p.label));
  const n = points.length;
  const labels = Int32Array.from(points, (p) => p.label);
  for (const lengthPower of powers) {
    // Scores relative to the legit class, divided by their spread so one step size fits every data set.
    const x = new Float64Array(n * CLASS_COUNT);
    let squares = 0;
    points.forEach(({ raw }, i) => {
      const damp = Math.pow(Math.max(1, raw.known), lengthPower);
      for (let c = 0; c < CLASS_COUNT; c++) {
        const v = (raw.logScores[c]! - raw.logScores[0]!) / damp;
        x[i * CLASS_COUNT + c] = v;
        squares += v * v;
      }
    });
    const spread = Math.max(1e-9, Math.sqrt(squares / Math.max(1, n)));
    for (let i = 0; i < x.length; i++) x[i] = x[i]! / spread;
    const state = { scale: 1, bias: new Float64Array(CLASS_COUNT) };
    let loss = lossAndGradient(x, labels, state.scale, state.bias);
    let rate = 0.5;
    for (let step = 0; step < 300 && rate > 1e-7; step++) {
      const scale = Math.max(1e-6, state.scale - rate * loss.gScale);
      const bias = state.bias.map((b, c) => (c === 0 || !present.has(c) ? b : b - rate * loss.gBias[c]!));
      const next = lossAndGradient(x, labels, scale, bias);
      if (next.loss < loss.loss) {
        const gain = loss.loss - next.loss;
        state.scale = scale;
        state.bias = bias;
        loss = next;
        rate *= 1.2;
        if (gain < 1e-9) break;
      } else rate /= 2;
    }
    const calibration = { scale: round(state.scale / spread), bias: [...state.bias].map(round), lengthPower };
    if (best === undefined || loss.loss < best.loss) best = { calibration, loss: loss.loss };
  }
  return best?.calibration ?? IDENTITY_CALIBRATION;
}

function round(value: number): number {
  return Number(value.toPrecision(8));
}

/** Mean log loss of softmax(scale * x + bias) and its gradient, in one pass without allocations. */
function lossAndGradient(x: Float64Array, labels: Int32Array, scale: number, bias: Float64Array): { loss: number; gScale: number; gBias: Float64Array } {
  let loss = 0;
  let gScale = 0;
  const gBias = new Float64Array(CLASS_COUNT);
  const z = new Float64Array(CLASS_COUNT);
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < CLASS_COUNT; c++) {
      z[c] = scale * x[i * CLASS_COUNT + c]! + bias[c]!;
      if (z[c]! > max) max = z[c]!;
    }
    let sum = 0;
    for (let c = 0; c < CLASS_COUNT; c++) {
      z[c] = Math.exp(z[c]! - max);
      sum += z[c]!;
    }
    const label = labels[i]!;
    loss -= Math.log(Math.max(1e-12, z[label]! / sum));
    for (let c = 0; c < CLASS_COUNT; c++) {
      const d = z[c]! / sum - (c === label ? 1 : 0);
      gScale += d * x[i * CLASS_COUNT + c]!;
      gBias[c] = gBias[c]! + d;
    }
  }
  const count = Math.max(1, n);
  for (let c = 0; c < CLASS_COUNT; c++) gBias[c] = gBias[c]! / count;
  return { loss: loss / count, gScale: gScale / count, gBias };
}

export type { TokenizerSettings };
