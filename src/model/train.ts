// Training: answer-key values to classes, content-grouped folds, out-of-fold scores for calibration
// and cross-validation, and the whole fit. Pure computation over already-read documents.
import { createHash } from 'node:crypto';
import { DEFAULT_LOGISTIC, type LogisticOptions } from './logistic.js';
import { fitCalibration, type Calibration, type RawScores } from './calibration.js';
import { CLASS_COUNT } from './classes.js';
import type { TokenCounts } from './counts.js';

/**
 * One labelled document, tokenized: `ids` are its distinct tokens in the model's vocabulary.
 * `group` keeps re-posted copies of one ad in the same fold.
 */
export interface TrainingDoc {
  id: string;
  ids: Int32Array;
  label: number;
  group: string;
  /** The posting's language as detected (lang/detect.ts): the model counts what it learned per language. */
  lang?: string;
  /** A text about an offer (news, an advisory), not an offer: it trains the report head (report-head.ts). */
  report?: boolean;
}

/** A stable hash of a string, as hex. */
export function digest(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * The group of an ad, which decides its fold: re-posted copies (same title, description, company)
 * share one. So do the postings of one writing batch of a corpus (`meta.batch`): a batch shares its
 * writer's habits, and a model that saw the rest of the batch would judge its postings as though it
 * knew their writer, which it never does in a scan. Calibrations and learned points fitted on such
 * out-of-fold scores would trust the model more than held-out batches show it deserves.
 */
export function adGroup(fields: Readonly<Record<string, string>>, meta?: Readonly<Record<string, string>>): string {
  const batch = meta?.batch?.trim();
  if (batch) return digest(`batch\u0000${batch}`);
  return digest([fields.title ?? '', fields.description ?? '', fields.company ?? ''].join('\u0000'));
}

/**
 * Token ids a training run keeps for calibration at most (4 bytes each, 64 MB). Calibration scores
 * every posting with the model trained without its fold, so the run keeps each posting's ids until
 * the end; past this bound whole ad groups are left out of calibration (they are still counted in
 * the model) by a hash of the group, so training memory stays bounded however large the input.
 */
export const MAX_CALIBRATION_IDS = 16_000_000;

/**
 * The postings a run calibrates on: all of them while their ids fit in `budget`, else those whose
 * group ranks under a cut, halved until they fit. The cut depends on the whole input, not on its
 * order: the same postings are kept whatever order they come in. Read order is kept.
 */
export class CalibrationSample<T extends TrainingDoc> {
  private kept: Array<{ doc: T; rank: number }> = [];
  private ids = 0;
  private cut = 2 ** 32;
  /** Postings offered, kept or not. */
  offered = 0;
  constructor(private readonly budget = MAX_CALIBRATION_IDS) {}

  add(doc: T): void {
    this.offered++;
    const rank = parseInt(digest(`calibration:${doc.group}`, 8), 16);
    if (rank >= this.cut) return;
    this.kept.push({ doc, rank });
    this.ids += doc.ids.length;
    while (this.ids > this.budget && this.cut > 1) {
      this.cut = Math.floor(this.cut / 2);
      this.kept = this.kept.filter((entry) => entry.rank < this.cut);
      this.ids = this.kept.reduce((n, entry) => n + entry.doc.ids.length, 0);
    }
  }

  get docs(): T[] {
    return this.kept.map((entry) => entry.doc);
  }

  /** Whether some postings were left out. */
  get sampled(): boolean {
    return this.kept.length < this.offered;
  }
}

/** Fold of a group: a hash, so the split is the same on every run and machine. */
export function foldOf(group: string, folds: number): number {
  return parseInt(digest(group, 8), 16) % folds;
}

type FoldTable = Uint16Array | Int32Array;

/** Count one document's ids into a fold's table; returns how many were counted. */
function countInto(out: FoldTable, ids: Int32Array, label: number): number {
  let added = 0;
  for (let k = 0; k < ids.length; k++) {
    const at = ids[k]! * CLASS_COUNT + label;
    if (at >= out.length) continue;
    out[at]!++;
    added++;
  }
  return added;
}

/**
 * Sums of log(count + alpha) per class over a document's tokens, counted by `table` less its fold's
 * `out`, into `sums`; returns how many of its tokens the rest of the data holds. The three classes
 * unrolled (CLASS_COUNT is 3): this loop is most of a training run's arithmetic.
 */
function sumLogCounts(table: Int32Array, out: FoldTable, ids: Int32Array, logCount: Float64Array, alpha: number, sums: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let known = 0;
  const last = logCount.length;
  for (let k = 0; k < ids.length; k++) {
    const base = ids[k]! * CLASS_COUNT;
    if (base >= table.length) continue;
    // Clamped at 0: an id given twice in the documents is counted once in `table` but twice in `out`.
    const n0 = Math.max(0, table[base]! - out[base]!);
    const n1 = Math.max(0, table[base + 1]! - out[base + 1]!);
    const n2 = Math.max(0, table[base + 2]! - out[base + 2]!);
    if (n0 === 0 && n1 === 0 && n2 === 0) continue;
    known++;
    s0 += n0 < last ? logCount[n0]! : Math.log(n0 + alpha);
    s1 += n1 < last ? logCount[n1]! : Math.log(n1 + alpha);
    s2 += n2 < last ? logCount[n2]! : Math.log(n2 + alpha);
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  return known;
}

/**
 * Raw scores of every document from the model minus the document's fold: `all` must already hold
 * the documents (a fresh model, or an old one updated with them). One fold at a time, its counts
 * go into a scratch table, are subtracted token by token while its documents are scored, and are
 * zeroed again: one table besides `all`'s, instead of a copy of the vocabulary per fold. A token's
 * log-likelihood is log(count + alpha) from a table less the class's log-denominator.
 */
export function outOfFoldScores(all: TokenCounts, docs: readonly TrainingDoc[], folds: number, alpha: number): RawScores[] {
  const members: number[][] = Array.from({ length: folds }, () => []);
  docs.forEach((doc, i) => {
    members[foldOf(doc.group, folds)]!.push(i);
  });
  const table = all.table;
  // A fold's count of a token is at most its documents: 16 bits do for most, and halve the table.
  const largest = Math.max(...members.map((m) => m.length));
  const out: FoldTable = largest < 0xffff ? new Uint16Array(table.length) : new Int32Array(table.length);
  const vocabulary = Math.max(1, all.size);
  // A token's count is at most the number of documents, so log(count + alpha) is a table lookup.
  const logCount = new Float64Array(all.documents.reduce((a, b) => a + b, 0) + 1);
  for (let n = 0; n < logCount.length; n++) logCount[n] = Math.log(n + alpha);
  const scores = new Array<RawScores>(docs.length);
  const sums = new Float64Array(CLASS_COUNT);
  for (const fold of members) {
    const heldDocuments = [0, 0, 0];
    const heldTotals = [0, 0, 0];
    for (const i of fold) {
      const { ids, label } = docs[i]!;
      heldDocuments[label]!++;
      heldTotals[label]! += countInto(out, ids, label);
    }
    const documents = all.documents.map((n, c) => n - heldDocuments[c]!);
    const total = documents.reduce((a, b) => a + b, 0);
    const logPrior = documents.map((n) => Math.log((n + 1e-3) / (total + 1e-3 * CLASS_COUNT)));
    const logDenominator = all.totals.map((n, c) => Math.log(n - heldTotals[c]! + alpha * vocabulary));
    for (const i of fold) {
      const known = sumLogCounts(table, out, docs[i]!.ids, logCount, alpha, sums);
      scores[i] = { logScores: logPrior.map((prior, c) => prior + sums[c]! - known * logDenominator[c]!), known };
    }
    // Zeroing the whole table is one memset: cheaper than revisiting every token of the fold.
    out.fill(0);
  }
  return scores;
}

/**
 * What scores a posting: `logistic`, weights fitted on all training postings at once (the default:
 * it ranks held-out postings far better, see logistic.ts), or `naive-bayes`, counts alone (the
 * only kind `train --update` can add postings to, since counts add up and fitted weights do not).
 */
export type ModelKind = 'logistic' | 'naive-bayes';
export const MODEL_KINDS: readonly ModelKind[] = ['logistic', 'naive-bayes'];

export interface FitOptions {
  /** Absent in files written before the logistic kind: those are naive Bayes. */
  kind?: ModelKind;
  /** Lidstone smoothing: small, because a token seen in one fraudulent ad out of thousands is real evidence. */
  alpha: number;
  /** Folds for the calibration's out-of-fold scores. */
  calibrationFolds: number;
  /** The logistic kind's fit. */
  logistic?: LogisticOptions;
}

/** The most tokens a model keeps unless told otherwise (`train --max-vocabulary`). */
export const DEFAULT_MAX_VOCABULARY = 400_000;

export const DEFAULT_FIT: FitOptions = { kind: 'logistic', alpha: 0.05, calibrationFolds: 5, logistic: DEFAULT_LOGISTIC };

/** The fit options of a model of `kind` (the logistic settings only for the logistic kind). */
export function fitOf(kind: ModelKind, alpha = DEFAULT_FIT.alpha): FitOptions {
  const { logistic, ...common } = DEFAULT_FIT;
  return kind === 'logistic' ? { ...common, kind, alpha, logistic } : { ...common, kind, alpha };
}

/** The kind of a model's fit options. */
export function kindOf(fit: FitOptions): ModelKind {
  return fit.kind ?? 'naive-bayes';
}

/** A calibration fitted on out-of-fold scores of `docs`, which `all` already counts. */
export function fitCalibrationFor(all: TokenCounts, docs: readonly TrainingDoc[], options: FitOptions = DEFAULT_FIT): Calibration {
  return calibrationOf(outOfFoldScores(all, docs, options.calibrationFolds, options.alpha), docs);
}

/** A calibration fitted on out-of-fold raw scores (`scores[i]` is `docs[i]`'s), with the class shares of `docs`. */
export function calibrationOf(scores: readonly RawScores[], docs: readonly TrainingDoc[]): Calibration {
  const calibration = fitCalibration(scores.map((raw, i) => ({ raw, label: docs[i]!.label })));
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (const doc of docs) counts[doc.label]!++;
  return { ...calibration, shares: counts.map((n) => Number((n / Math.max(1, docs.length)).toPrecision(6))) };
}
