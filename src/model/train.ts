// Training: answer-key values to classes, content-grouped folds, out-of-fold scores for calibration
// and cross-validation, and the whole fit. Pure computation over already-read documents.
import { createHash } from 'node:crypto';
import { CLASS_COUNT, Counts, fitCalibration, MODEL_LABELS, type Calibration, type RawScores } from './naive-bayes.js';

/**
 * One labelled document, tokenized: `ids` are its distinct tokens in the model's vocabulary.
 * `group` keeps re-posted copies of one ad in the same fold.
 */
export interface TrainingDoc {
  id: string;
  ids: Int32Array;
  label: number;
  group: string;
}

/** Answer-key spellings and the class each means; `--label-map` adds to these. */
const DEFAULT_VALUES: Record<string, number> = {
  legit: 0, legitimate: 0, real: 0, genuine: 0, ok: 0, ham: 0, '0': 0, false: 0, f: 0, no: 0, n: 0, negative: 0,
  'employment-fraud': 1, fraud: 1, fraudulent: 1, fake: 1, scam: 1, spam: 1, '1': 1, true: 1, t: 1, yes: 1, y: 1, positive: 1, ef: 1,
  'forced-criminality': 2, fc: 2, trafficking: 2,
};

/** The class an answer-key value names, or undefined for a value nobody mapped. */
export function classOfValue(value: string, map: Readonly<Record<string, number>> = {}): number | undefined {
  const key = value.trim().toLowerCase();
  if (key in map) return map[key];
  return DEFAULT_VALUES[key];
}

/** `--label-map 2=employment-fraud,0.5=legit`: value to class. */
export function parseLabelMap(spec: string | undefined): Record<string, number> {
  const map: Record<string, number> = {};
  if (!spec) return map;
  for (const part of spec.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.lastIndexOf('=');
    const label = eq > 0 ? trimmed.slice(eq + 1).trim() : '';
    const index = (MODEL_LABELS as readonly string[]).indexOf(label);
    if (eq <= 0 || index < 0) throw new Error(`--label-map: \`${trimmed}\` is not value=label with label one of ${MODEL_LABELS.join(', ')}`);
    map[trimmed.slice(0, eq).trim().toLowerCase()] = index;
  }
  return map;
}

/** A stable hash of a string, as hex. */
export function digest(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The group of an ad: re-posted copies (same title, description, company) share it and so a fold. */
export function adGroup(fields: Readonly<Record<string, string>>): string {
  return digest([fields.title ?? '', fields.description ?? '', fields.company ?? ''].join('\u0000'));
}

/** Fold of a group: a hash, so the split is the same on every run and machine. */
export function foldOf(group: string, folds: number): number {
  return parseInt(digest(group, 8), 16) % folds;
}

/**
 * Raw scores of every document from the model minus the document's fold: `all` must already hold
 * the documents (a fresh model, or an old one updated with them). Each fold's counts are kept
 * apart and subtracted token by token, instead of copying the whole vocabulary once per fold; a
 * token's log-likelihood is log(count + alpha) from a table less the class's log-denominator.
 */
export function outOfFoldScores(all: Counts, docs: readonly TrainingDoc[], folds: number, alpha: number): RawScores[] {
  const fold = docs.map((doc) => foldOf(doc.group, folds));
  const held = Array.from({ length: folds }, () => new Counts(all.vocabulary));
  docs.forEach((doc, i) => held[fold[i]!]!.apply(doc.ids, doc.label));
  const vocabulary = Math.max(1, all.size);
  // A token's count is at most the number of documents, so log(count + alpha) is a table lookup.
  const logCount = new Float64Array(all.documents.reduce((a, b) => a + b, 0) + 1);
  for (let n = 0; n < logCount.length; n++) logCount[n] = Math.log(n + alpha);
  const perFold = held.map((out) => {
    const documents = all.documents.map((n, c) => n - out.documents[c]!);
    const total = documents.reduce((a, b) => a + b, 0);
    return {
      logPrior: documents.map((n) => Math.log((n + 1e-3) / (total + 1e-3 * CLASS_COUNT))),
      logDenominator: all.totals.map((n, c) => Math.log(n - out.totals[c]! + alpha * vocabulary)),
    };
  });
  // Clamped at 0: an id given twice in `docs` is counted once in `all` but twice in its fold.
  const logOf = (n: number): number => (n <= 0 ? logCount[0]! : n < logCount.length ? logCount[n]! : Math.log(n + alpha));
  const table = all.table;
  // The three classes unrolled (CLASS_COUNT is 3): this loop is most of a training run's arithmetic.
  return docs.map((doc, i) => {
    const out = held[fold[i]!]!.table;
    const { logPrior, logDenominator } = perFold[fold[i]!]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let known = 0;
    const ids = doc.ids;
    for (let k = 0; k < ids.length; k++) {
      const base = ids[k]! * CLASS_COUNT;
      if (base >= table.length) continue;
      const n0 = table[base]! - (base < out.length ? out[base]! : 0);
      const n1 = table[base + 1]! - (base < out.length ? out[base + 1]! : 0);
      const n2 = table[base + 2]! - (base < out.length ? out[base + 2]! : 0);
      if (n0 <= 0 && n1 <= 0 && n2 <= 0) continue;
      known++;
      s0 += logOf(n0);
      s1 += logOf(n1);
      s2 += logOf(n2);
    }
    const sums = [s0, s1, s2];
    return { logScores: logPrior.map((prior, c) => prior + sums[c]! - known * logDenominator[c]!), known };
  });
}

export interface FitOptions {
  /** Lidstone smoothing: small, because a token seen in one fraudulent ad out of thousands is real evidence. */
  alpha: number;
  /** Folds for the calibration's out-of-fold scores. */
  calibrationFolds: number;
}

export const DEFAULT_FIT: FitOptions = { alpha: 0.05, calibrationFolds: 5 };

/** A calibration fitted on out-of-fold scores of `docs`, which `all` already counts. */
export function fitCalibrationFor(all: Counts, docs: readonly TrainingDoc[], options: FitOptions = DEFAULT_FIT): Calibration {
  const scores = outOfFoldScores(all, docs, options.calibrationFolds, options.alpha);
  return fitCalibration(scores.map((raw, i) => ({ raw, label: docs[i]!.label })));
}
