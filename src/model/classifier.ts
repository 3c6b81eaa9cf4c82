// A multinomial naive Bayes over sparse token presence, three classes, Lidstone smoothing: the
// table a model scores with (the logistic kind keeps its weights in the same shape), raw scores
// and the tokens that weighed most. Pure computation, no I/O.
import { IDENTITY_CALIBRATION, type Calibration, type RawScores } from './calibration.js';
import { CLASS_COUNT } from './classes.js';
import type { TokenCounts } from './counts.js';
import type { LogisticWeights } from './logistic.js';
import { reportProbabilityOf } from './report-head.js';
import { Vocabulary } from './vocabulary.js';

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
  /**
   * The logistic kind's report head (report-head.ts): a weight per row of `logLikelihood` (per
   * token id without `rows`; NaN: not held) and a bias.
   */
  report?: { bias: number; weights: Float64Array };
}

/** A classifier over the tokens `counts` holds, sharing its vocabulary (no per-token map is built). */
export function buildClassifier(counts: TokenCounts, alpha: number, calibration: Calibration = IDENTITY_CALIBRATION): Classifier {
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
  // A token listed twice adds up, as it would in TokenCounts; its column entries are read by position.
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

/**
 * Raw scores from token ids of the classifier's vocabulary (tokens it does not hold are passed
 * over), and with a report head its probability, summed in the same pass over the tokens.
 */
export function rawScoresOfIds(classifier: Classifier, ids: ArrayLike<number>): RawScores & { report?: number } {
  const logScores = [...classifier.logPrior];
  const ll = classifier.logLikelihood;
  const head = classifier.report;
  let z = head?.bias ?? 0;
  let known = 0;
  for (let k = 0; k < ids.length; k++) {
    const base = rowOf(classifier, ids[k]);
    if (base < 0) continue;
    known++;
    for (let c = 0; c < CLASS_COUNT; c++) logScores[c] = logScores[c]! + ll[base + c]!;
    if (head) {
      const weight = head.weights[base / CLASS_COUNT];
      if (weight !== undefined && !Number.isNaN(weight)) z += weight;
    }
  }
  return head ? { logScores, known, report: reportProbabilityOf(z) } : { logScores, known };
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

/** A logistic fit as a classifier: its weights stand where naive Bayes keeps log-likelihoods, its biases where it keeps priors. */
export function logisticClassifier(weights: LogisticWeights, vocabulary: Vocabulary, calibration: Calibration = IDENTITY_CALIBRATION): Classifier {
  return {
    alpha: 0,
    logPrior: [...weights.bias],
    logUnseen: new Array<number>(CLASS_COUNT).fill(0),
    vocabulary,
    logLikelihood: weights.table,
    calibration,
    ...(weights.report ? { report: { bias: weights.report.bias, weights: weights.report.table } } : {}),
  };
}
