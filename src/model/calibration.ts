// Calibration: a softmax over a classifier's raw scores, fitted on out-of-fold scores so its
// probabilities mean what they say, and restated for other base rates. Pure computation, no I/O.
import { CLASS_COUNT } from './classes.js';

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

/** Raw per-class log scores (prior plus evidence) and how many known tokens they rest on. */
export interface RawScores {
  logScores: number[];
  known: number;
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
