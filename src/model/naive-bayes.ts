// A multinomial naive Bayes over sparse token presence, three classes, Lidstone smoothing; with a
// softmax calibration fitted on out-of-fold scores so its probabilities mean what they say.
// Pure computation: training counts, classifying, calibrating. No I/O.
import { CLASSES } from '../contracts/labels.js';
import type { TokenizerSettings } from './tokenize.js';
import { Vocabulary } from './vocabulary.js';

/** The model's classes (contracts/labels.ts): legit and the two labels. */
export const MODEL_LABELS = CLASSES;
export const CLASS_COUNT = MODEL_LABELS.length;

/** Softmax over `scale * (log-likelihood / length^power) + bias[class]`. */
export interface Calibration {
  scale: number;
  bias: number[];
  /** How much a long posting's summed evidence is damped: 0 none, 0.5 by the square root of its token count. */
  lengthPower: number;
  /**
   * Each class's share of the documents the calibration was fitted on: its probabilities are true
   * for a feed with these shares, and are restated for other base rates (`atBaseRates`).
   */
  shares?: number[];
}

export const IDENTITY_CALIBRATION: Calibration = { scale: 1, bias: [0, 0, 0], lengthPower: 0 };

/** Mutable training state: per-class document counts, and per-class counts of each token id of a vocabulary. */
export class Counts {
  readonly documents: number[] = new Array<number>(CLASS_COUNT).fill(0);
  readonly totals: number[] = new Array<number>(CLASS_COUNT).fill(0);
  /** `table[id * CLASS_COUNT + c]`: documents of class c that hold token `id`. */
  table: Int32Array;
  /** Tokens with any count. */
  size = 0;

  constructor(readonly vocabulary: Vocabulary) {
    // Room for the vocabulary as it is now, so counting documents already tokenized never regrows.
    this.table = new Int32Array(CLASS_COUNT * Math.max(1024, vocabulary.size));
  }

  /** Documents of class `classIndex` that hold token `id`. */
  count(id: number, classIndex: number): number {
    return id * CLASS_COUNT < this.table.length ? this.table[id * CLASS_COUNT + classIndex]! : 0;
  }

  /** True when some document holds token `id`. */
  has(id: number): boolean {
    const base = id * CLASS_COUNT;
    if (base >= this.table.length) return false;
    for (let c = 0; c < CLASS_COUNT; c++) if (this.table[base + c] !== 0) return true;
    return false;
  }

  private reserve(id: number): void {
    const needed = (id + 1) * CLASS_COUNT;
    if (needed <= this.table.length) return;
    const table = new Int32Array(Math.max(needed, this.table.length * 2));
    table.set(this.table);
    this.table = table;
  }

  /** Add (`sign` 1) or take out (`sign` -1) one document's distinct token ids; counts never go below 0. */
  apply(ids: ArrayLike<number>, classIndex: number, sign: 1 | -1 = 1): void {
    this.documents[classIndex] = Math.max(0, this.documents[classIndex]! + sign);
    if (sign > 0) {
      let max = -1;
      for (let k = 0; k < ids.length; k++) if (ids[k]! > max) max = ids[k]!;
      if (max >= 0) this.reserve(max);
    }
    const table = this.table;
    let changed = 0;
    let size = this.size;
    for (let k = 0; k < ids.length; k++) {
      const base = ids[k]! * CLASS_COUNT;
      const at = base + classIndex;
      if (at >= table.length) continue;
      const before = table[at]!;
      if (sign < 0 && before === 0) continue;
      // Counts are never negative, so the others are all 0 when the three (CLASS_COUNT) sum to this one.
      const alone = table[base]! + table[base + 1]! + table[base + 2]! === before;
      table[at] = before + sign;
      changed += sign;
      if (alone && before === 0) size++;
      else if (alone && before + sign === 0) size--;
    }
    this.size = size;
    this.totals[classIndex] = this.totals[classIndex]! + changed;
  }

  /** Add `n` documents of class `classIndex` holding token `id` (reading counts from a model file). */
  add(id: number, classIndex: number, n: number): void {
    if (n === 0) return;
    this.reserve(id);
    if (!this.has(id)) this.size++;
    this.table[id * CLASS_COUNT + classIndex]! += n;
    this.totals[classIndex] = this.totals[classIndex]! + n;
  }

  /** Take a token out entirely (vocabulary cap). */
  remove(id: number): void {
    if (!this.has(id)) return;
    const base = id * CLASS_COUNT;
    for (let c = 0; c < CLASS_COUNT; c++) {
      this.totals[c] = this.totals[c]! - this.table[base + c]!;
      this.table[base + c] = 0;
    }
    this.size--;
  }

  /** Add counts over the same vocabulary into these. */
  merge(other: Counts): void {
    if (other.vocabulary !== this.vocabulary) throw new Error('Counts.merge: counts over different vocabularies');
    for (let c = 0; c < CLASS_COUNT; c++) {
      this.documents[c] = this.documents[c]! + other.documents[c]!;
      this.totals[c] = this.totals[c]! + other.totals[c]!;
    }
    if (other.table.length > this.table.length) this.reserve(other.table.length / CLASS_COUNT - 1);
    const mine = this.table;
    const theirs = other.table;
    // The three classes unrolled (CLASS_COUNT is 3).
    for (let base = 0; base < theirs.length; base += CLASS_COUNT) {
      const a = theirs[base]!;
      const b = theirs[base + 1]!;
      const d = theirs[base + 2]!;
      if (a === 0 && b === 0 && d === 0) continue;
      if (mine[base] === 0 && mine[base + 1] === 0 && mine[base + 2] === 0) this.size++;
      mine[base] = mine[base]! + a;
      mine[base + 1] = mine[base + 1]! + b;
      mine[base + 2] = mine[base + 2]! + d;
    }
  }

  /** Ids of the tokens with any count, in id order. */
  *ids(): IterableIterator<number> {
    const n = this.table.length / CLASS_COUNT;
    for (let id = 0; id < n; id++) if (this.has(id)) yield id;
  }
}

/** A model ready to score: log-probabilities per token id in one flat array. */
export interface Classifier {
  alpha: number;
  logPrior: number[];
  /** Log-probability of a token the class never saw (smoothing mass). */
  logUnseen: number[];
  /** Token strings to ids: the training vocabulary, or the one a model file's parts share. */
  vocabulary: Vocabulary;
  /**
   * `logLikelihood[id * CLASS_COUNT + c]` for token id and class c; NaN for a token this classifier
   * does not hold. With `rows`, the table holds only the tokens held, at row `rows[id]` (-1: not held).
   */
  logLikelihood: Float64Array;
  rows?: Int32Array;
  calibration: Calibration;
}

/** A classifier over the tokens `counts` holds, sharing its vocabulary (no per-token map is built). */
export function buildClassifier(counts: Counts, alpha: number, calibration: Calibration = IDENTITY_CALIBRATION): Classifier {
  const table = counts.table;
  return classifierFrom(
    counts.vocabulary,
    table.length / CLASS_COUNT,
    (id, c) => table[id * CLASS_COUNT + c]!,
    counts.size,
    counts.documents,
    counts.totals,
    alpha,
    calibration,
  );
}

/**
 * Build from per-class count columns, as stored in a model file. The tokens are added to
 * `vocabulary`, which a model's parts share, so a posting is looked up once whichever part scores it.
 */
export function classifierFromColumns(
  tokens: readonly string[],
  columns: readonly (readonly number[])[],
  documents: readonly number[],
  alpha: number,
  calibration: Calibration,
  vocabulary: Vocabulary = new Vocabulary(),
): Classifier {
  // A token listed twice adds up, as it would in Counts; its column entries are read by position.
  const ids = tokens.map((token) => vocabulary.id(token));
  const rows = vocabulary.size;
  const merged = new Float64Array(rows * CLASS_COUNT);
  for (let c = 0; c < CLASS_COUNT; c++) for (let i = 0; i < tokens.length; i++) merged[ids[i]! * CLASS_COUNT + c]! += columns[c]![i]!;
  const totals = columns.map((column) => column.reduce((a, b) => a + b, 0));
  // The Lidstone denominators count this part's distinct tokens, not the shared vocabulary's.
  const held = new Set(ids).size;
  return classifierFrom(vocabulary, rows, (id, c) => merged[id * CLASS_COUNT + c]!, held, documents, totals, alpha, calibration);
}

/**
 * Log-likelihoods for ids 0 .. `ids - 1`: a token with no count in any class is not held (NaN).
 * `size` (tokens held) is the vocabulary size in the Lidstone denominators.
 */
function classifierFrom(
  vocabulary: Vocabulary,
  ids: number,
  count: (id: number, classIndex: number) => number,
  size: number,
  documentCounts: readonly number[],
  totals: readonly number[],
  alpha: number,
  calibration: Calibration,
): Classifier {
  const documents = documentCounts.reduce((a, b) => a + b, 0);
  // Classes with no documents get a vanishing prior instead of -Infinity, so sums stay finite.
  const logPrior = documentCounts.map((n) => Math.log((n + 1e-3) / (documents + 1e-3 * CLASS_COUNT)));
  const denominators = totals.map((total) => total + alpha * Math.max(1, size));
  const logUnseen = denominators.map((d) => Math.log(alpha / d));
  // Counts are small whole numbers, repeated across tokens: each class's log of one is computed once.
  const memo = Array.from({ length: CLASS_COUNT }, () => new Float64Array(Math.min(documents, 1 << 20) + 1).fill(NaN));
  const logOf = (n: number, c: number): number => {
    const table = memo[c]!;
    if (n >= table.length) return Math.log((n + alpha) / denominators[c]!);
    let value = table[n]!;
    if (Number.isNaN(value)) table[n] = value = Math.log((n + alpha) / denominators[c]!);
    return value;
  };
  const logLikelihood = new Float64Array(ids * CLASS_COUNT).fill(NaN);
  for (let id = 0; id < ids; id++) {
    const n0 = count(id, 0);
    const n1 = count(id, 1);
    const n2 = count(id, 2);
    if (n0 === 0 && n1 === 0 && n2 === 0) continue;
    const base = id * CLASS_COUNT;
    logLikelihood[base] = logOf(n0, 0);
    logLikelihood[base + 1] = logOf(n1, 1);
    logLikelihood[base + 2] = logOf(n2, 2);
  }
  return { alpha, logPrior, logUnseen, vocabulary, logLikelihood, calibration };
}

/** The row of token `id` in a classifier's log-likelihoods, or -1 when it does not hold the token. */
function rowOf(classifier: Classifier, id: number | undefined): number {
  if (id === undefined) return -1;
  const rows = classifier.rows;
  if (rows !== undefined) {
    const row = id < rows.length ? rows[id]! : -1;
    return row < 0 ? -1 : row * CLASS_COUNT;
  }
  const base = id * CLASS_COUNT;
  const value = classifier.logLikelihood[base];
  return value === undefined || Number.isNaN(value) ? -1 : base;
}

/** Raw per-class log scores (prior plus evidence) and how many known tokens they rest on. */
export interface RawScores {
  logScores: number[];
  known: number;
}

/** Raw scores from token ids of the classifier's vocabulary (tokens it does not hold are passed over). */
export function rawScoresOfIds(classifier: Classifier, ids: ArrayLike<number>): RawScores {
  const logScores = [...classifier.logPrior];
  const ll = classifier.logLikelihood;
  let known = 0;
  for (let k = 0; k < ids.length; k++) {
    const base = rowOf(classifier, ids[k]);
    if (base < 0) continue;
    known++;
    for (let c = 0; c < CLASS_COUNT; c++) logScores[c] = logScores[c]! + ll[base + c]!;
  }
  return { logScores, known };
}

/**
 * Probabilities calibrated on documents with class shares `shares`, restated for a feed whose
 * fraud classes have the base rates `rates` (legit takes the rest): each class's probability is
 * weighed by its rate over its share and the three renormalised (Saerens, Latinne & Decaestecker
 * 2002; class-conditional evidence is assumed the same in both feeds). A class missing from
 * `rates`, or absent from the calibration documents, keeps its weight.
 */
export function atBaseRates(p: readonly number[], shares: readonly number[] | undefined, rates: ReadonlyArray<number | undefined>): number[] {
  if (shares === undefined || rates.every((r) => r === undefined)) return [...p];
  const target = shares.map((share, c) => (c === 0 ? 0 : (rates[c] ?? share)));
  target[0] = Math.max(1e-9, 1 - target.reduce((a, b) => a + b, 0));
  const weighed = p.map((value, c) => (shares[c]! > 1e-9 ? (value * target[c]!) / shares[c]! : value));
  const sum = weighed.reduce((a, b) => a + b, 0);
  return sum > 0 ? weighed.map((value) => value / sum) : [...p];
}

/** Calibrated class probabilities from raw scores. */
export function calibrate(raw: RawScores, calibration: Calibration): number[] {
  const damp = Math.max(1, raw.known) ** calibration.lengthPower;
  const z = raw.logScores.map((s, c) => (calibration.scale * s) / damp + calibration.bias[c]!);
  const max = Math.max(...z);
  const exp = z.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

/** The tokens (by id in the classifier's vocabulary) that weighed most for and against class `classIndex`. */
export function explain(classifier: Classifier, ids: ArrayLike<number>, classIndex: number, limit = 8): { for: string[]; against: string[] } {
  const other = classIndex === 0 ? 1 : 0;
  const weights: Array<[string, number]> = [];
  for (let k = 0; k < ids.length; k++) {
    const base = rowOf(classifier, ids[k]);
    if (base < 0) continue;
    weights.push([classifier.vocabulary.tokenOf(ids[k]!)!, classifier.logLikelihood[base + classIndex]! - classifier.logLikelihood[base + other]!]);
  }
  weights.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const format = ([token, weight]: [string, number]): string => `${token} ${weight >= 0 ? '+' : ''}${weight.toFixed(2)}`;
  return {
    for: weights
      .filter(([, w]) => w > 0)
      .slice(0, limit)
      .map(format),
    against: weights
      .filter(([, w]) => w < 0)
      .reverse()
      .slice(0, limit)
      .map(format),
  };
}

/**
 * Fit the calibration's scale and biases to out-of-fold raw scores by minimising log loss: a
 * softmax regression with at most three parameters (the scale, and the biases of the fraud classes
 * that have documents), so Newton's method with a backtracking line search converges in a few
 * passes over the points. Each length power in `powers` is tried and the best kept.
 */
export function fitCalibration(points: ReadonlyArray<{ raw: RawScores; label: number }>, powers: readonly number[] = [0, 0.5]): Calibration {
  let best: { calibration: Calibration; loss: number } | undefined;
  const n = points.length;
  const labels = Int32Array.from(points, (p) => p.label);
  // The parameters: the scale, then the bias of every non-legit class with documents.
  const biased = [1, 2].filter((c) => labels.includes(c));
  for (const lengthPower of powers) {
    // Scores relative to the legit class, divided by their spread so the search starts well scaled.
    const x = new Float64Array(n * CLASS_COUNT);
    let squares = 0;
    points.forEach(({ raw }, i) => {
      const damp = Math.max(1, raw.known) ** lengthPower;
      for (let c = 0; c < CLASS_COUNT; c++) {
        const v = (raw.logScores[c]! - raw.logScores[0]!) / damp;
        x[i * CLASS_COUNT + c] = v;
        squares += v * v;
      }
    });
    const spread = Math.max(1e-9, Math.sqrt(squares / Math.max(1, n)));
    for (let i = 0; i < x.length; i++) x[i] = x[i]! / spread;
    let theta = [1, ...biased.map(() => 0)];
    let current = softmaxFit(x, labels, biased, theta);
    for (let step = 0; step < 50; step++) {
      const direction = solve(current.hessian, current.gradient);
      if (direction === undefined) break;
      // Backtrack until the loss falls; the scale stays positive.
      let rate = 1;
      let next: SoftmaxFit | undefined;
      let candidate = theta;
      for (let tries = 0; tries < 30; tries++, rate /= 2) {
        candidate = theta.map((t, k) => t - rate * direction[k]!);
        candidate[0] = Math.max(1e-6, candidate[0]!);
        const fit = softmaxFit(x, labels, biased, candidate);
        if (fit.loss <= current.loss) {
          next = fit;
          break;
        }
      }
      if (next === undefined) break;
      const gain = current.loss - next.loss;
      theta = candidate;
      current = next;
      if (gain < 1e-12) break;
    }
    const bias = new Array<number>(CLASS_COUNT).fill(0);
    biased.forEach((c, k) => {
      bias[c] = round(theta[k + 1]!);
    });
    const calibration = { scale: round(theta[0]! / spread), bias, lengthPower };
    if (best === undefined || current.loss < best.loss) best = { calibration, loss: current.loss };
  }
  return best?.calibration ?? IDENTITY_CALIBRATION;
}

function round(value: number): number {
  return Number(value.toPrecision(8));
}

interface SoftmaxFit {
  loss: number;
  gradient: number[];
  hessian: number[][];
}

/**
 * Mean log loss of softmax(scale * x + bias) over the points, with its gradient and Hessian in the
 * parameters (scale, then the bias of each class in `biased`; the legit bias stays 0).
 */
function softmaxFit(x: Float64Array, labels: Int32Array, biased: readonly number[], theta: readonly number[]): SoftmaxFit {
  // Written out for three classes and at most two biases (CLASS_COUNT is 3), in scalars: with one
  // row of the design per parameter (x for the scale, a class indicator for each bias) the sums
  // below are exactly the general ones, and cheap enough that the first calls (before the JIT has
  // compiled them) do not cost a training run tens of milliseconds.
  const k = 1 + biased.length;
  const c1 = biased.length > 0 ? biased[0]! : -1;
  const c2 = biased.length > 1 ? biased[1]! : -1;
  const scale = theta[0]!;
  const b0 = c1 === 0 ? theta[1]! : c2 === 0 ? theta[2]! : 0;
  const b1 = c1 === 1 ? theta[1]! : c2 === 1 ? theta[2]! : 0;
  const b2 = c1 === 2 ? theta[1]! : c2 === 2 ? theta[2]! : 0;
  let g0 = 0,
    g1 = 0,
    g2 = 0;
  let h00 = 0,
    h01 = 0,
    h02 = 0,
    h11 = 0,
    h12 = 0,
    h22 = 0;
  let loss = 0;
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const x0 = x[i * 3]!,
      x1 = x[i * 3 + 1]!,
      x2 = x[i * 3 + 2]!;
    let p0 = scale * x0 + b0,
      p1 = scale * x1 + b1,
      p2 = scale * x2 + b2;
    let max = -Infinity;
    if (p0 > max) max = p0;
    if (p1 > max) max = p1;
    if (p2 > max) max = p2;
    p0 = Math.exp(p0 - max);
    p1 = Math.exp(p1 - max);
    p2 = Math.exp(p2 - max);
    const sum = p0 + p1 + p2;
    p0 /= sum;
    p1 /= sum;
    p2 /= sum;
    const label = labels[i]!;
    loss -= Math.log(Math.max(1e-300, label === 0 ? p0 : label === 1 ? p1 : p2));
    // The mean of each parameter's row under p, and the Hessian's E[row_a * row_b] - mean_a * mean_b.
    const m0 = p0 * x0 + p1 * x1 + p2 * x2;
    g0 = g0 + m0 - (label === 0 ? x0 : label === 1 ? x1 : x2);
    h00 = h00 + (p0 * x0 * x0 + p1 * x1 * x1 + p2 * x2 * x2) - m0 * m0;
    if (c1 < 0) continue;
    const m1 = c1 === 0 ? p0 : c1 === 1 ? p1 : p2;
    g1 = g1 + m1 - (label === c1 ? 1 : 0);
    h01 = h01 + m1 * (c1 === 0 ? x0 : c1 === 1 ? x1 : x2) - m0 * m1;
    h11 = h11 + m1 - m1 * m1;
    if (c2 < 0) continue;
    const m2 = c2 === 0 ? p0 : c2 === 1 ? p1 : p2;
    g2 = g2 + m2 - (label === c2 ? 1 : 0);
    h02 = h02 + m2 * (c2 === 0 ? x0 : c2 === 1 ? x1 : x2) - m0 * m2;
    h12 = h12 - m1 * m2;
    h22 = h22 + m2 - m2 * m2;
  }
  const count = Math.max(1, n);
  const gradient = [g0, g1, g2].slice(0, k).map((g) => g / count);
  const full = [
    [h00, h01, h02],
    [h01, h11, h12],
    [h02, h12, h22],
  ];
  const hessian = full.slice(0, k).map((row) => row.slice(0, k).map((h) => h / count));
  return { loss: loss / count, gradient, hessian };
}

/** Solve (H + a little ridge) d = g by Gaussian elimination; undefined when it is singular. */
function solve(hessian: readonly (readonly number[])[], gradient: readonly number[]): number[] | undefined {
  const k = gradient.length;
  const m = hessian.map((row, a) => [...row.map((v, b) => (a === b ? v + 1e-9 : v)), gradient[a]!]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-15) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= k; c++) m[r]![c] = m[r]![c]! - f * m[col]![c]!;
    }
  }
  return m.map((row, a) => row[k]! / row[a]!);
}

export type { TokenizerSettings };
