// A softmax (multinomial logistic) regression over the same token presence the naive Bayes counts:
// one weight per token and class, fitted by stochastic gradient descent with an L2 penalty.
// Naive Bayes adds up every token's evidence as though each were independent, so the dozens of
// tokens that only say "this is Vietnamese" or "this is a writer's template" outvote the few that
// say "lure" (issue 14: a language seen mostly in lures came to mean "lure"). A discriminative fit
// gives a token weight only for what it adds to the others: held-out ranking of our dev corpus
// went from AUC 0.95 to 0.99 (docs/accuracy-history.md, "The model: measurements behind its
// design"). Pure computation, deterministic: no I/O, no clock,
// the same documents give the same weights whatever order they come in.
import { hash } from 'node:crypto';
import { CLASS_COUNT } from './classes.js';
import type { ReportHead } from './report-head.js';

export interface LogisticOptions {
  /** L2 penalty on each weight, applied as the weight's token is seen. */
  l2: number;
  /** Passes over the documents. */
  epochs: number;
  /** First step size; pass `e` uses `rate / (1 + 0.2 e)`. */
  rate: number;
  /**
   * The first pass (0-based) whose steps are averaged: the fit's weights are the mean of every
   * step's weights from this pass on (Polyak-Ruppert averaging). Absent: the last step's weights.
   */
  averageFrom?: number;
}

/**
 * The weights are averaged over the second half of the passes. The last step's weights depend on
 * the order the last few hundred documents came in: with the same documents, only the shuffle's
 * seed changed, 58.com's F1 went 56.9-70.7 and EMSCAD's 90.2-93.2 over four seeds, so adding a
 * batch in another language moved them as much. The mean over many steps keeps the fit and drops
 * most of that noise (docs/accuracy-history.md, 2026-12-08).
 */
export const DEFAULT_LOGISTIC: LogisticOptions = { l2: 0.003, epochs: 10, rate: 0.1, averageFrom: 5 };

/** Weights per token id and class (`table[id * CLASS_COUNT + c]`; NaN: a token the fit does not hold), and a bias per class. */
export interface LogisticWeights {
  bias: number[];
  table: Float64Array;
  /** The report head (report-head.ts), fitted over the same token ids when the training data marks reports. */
  report?: ReportHead;
}

export interface LogisticDoc {
  /** Distinct token ids. */
  ids: ArrayLike<number>;
  label: number;
  /** What orders the documents: the same keys give the same order, whatever order the documents came in. */
  key: string;
}

/** A small seeded generator (mulberry32): the shuffles are the same on every run and machine. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffle `order` in place (Fisher-Yates) with `random`: the same generator state gives the same order. */
export function shuffle(order: Int32Array, random: () => number): void {
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    const t = order[k]!;
    order[k] = order[j]!;
    order[j] = t;
  }
}

function sortKey(doc: LogisticDoc, index: number, ids: Int32Array): string {
  // Ties (one key for many documents, such as a writing batch) are broken by the tokens' ids. One
  // call over the key and the ids' bytes (little-endian, as they lie in memory).
  const bytes = Buffer.concat([Buffer.from(`${doc.key}\u0000`), Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength)]);
  return `${hash('sha256', bytes).slice(0, 24)}${String(index).padStart(10, '0')}`;
}

/** A document ready to fit: its held, distinct token ids in order, and its place in the input. */
export interface PreparedDoc {
  ids: Int32Array;
  label: number;
  index: number;
}

/**
 * Documents ready to fit, in the order the fit visits them, and which token ids are held; their ids
 * and `keep` in shared memory.
 */
export interface Prepared {
  docs: PreparedDoc[];
  keep: Uint8Array;
  size: number;
}

/**
 * Ready `docs` for fitting the tokens `held` says the model keeps (ids of a vocabulary of `size`):
 * each keeps its held, distinct ids, and they are ordered by content. Done once for a model's fits:
 * a subset of the result (the documents outside one calibration fold) is in the order a fit of that
 * subset alone would give it, since ties fall back on the input order.
 */
export function prepareLogistic(docs: readonly LogisticDoc[], size: number, held: (id: number) => boolean): Prepared {
  // `keep`, and each document's held ids, each once (a mark per id, the document's number, in place
  // of a Set), side by side in one buffer, in shared memory: fitting threads read them where they
  // lie (run/fit-threads.ts). The buffer is as long as the documents' ids, held or not, at most.
  const keep = new Uint8Array(new SharedArrayBuffer(size));
  for (let id = 0; id < size; id++) if (held(id)) keep[id] = 1;
  const seen = new Int32Array(size).fill(-1);
  let total = 0;
  for (const doc of docs) total += doc.ids.length;
  const all = new Int32Array(new SharedArrayBuffer(Math.max(1, total) * Int32Array.BYTES_PER_ELEMENT));
  let end = 0;
  const keyed = docs.map((doc, index) => {
    const start = end;
    for (let k = 0; k < doc.ids.length; k++) {
      const id = doc.ids[k]!;
      if (id < size && keep[id] === 1 && seen[id] !== index) {
        seen[id] = index;
        all[end++] = id;
      }
    }
    const own = all.subarray(start, end).sort();
    return { ids: own, label: doc.label, index, order: sortKey(doc, index, own) };
  });
  keyed.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return { docs: keyed.map(({ ids, label, index }) => ({ ids, label, index })), keep, size };
}

/**
 * Fit weights for the tokens `held` says the model keeps (ids of a vocabulary of `size`): every
 * other id is passed over, and stays NaN in the table. The penalty is applied to a weight only when
 * its token is seen (the usual sparse form), so a pass costs the documents' tokens, not the vocabulary.
 */
export function fitLogistic(
  docs: readonly LogisticDoc[],
  size: number,
  held: (id: number) => boolean,
  options: LogisticOptions = DEFAULT_LOGISTIC,
): LogisticWeights {
  const prepared = prepareLogistic(docs, size, held);
  return fitPrepared(prepared.docs, prepared, options);
}

/** `fitLogistic` on documents already prepared (all of `prepareLogistic`'s, or an ordered subset of them). */
export function fitPrepared(prepared: readonly PreparedDoc[], { keep, size }: Prepared, options: LogisticOptions = DEFAULT_LOGISTIC): LogisticWeights {
  const table = new Float64Array(size * CLASS_COUNT);
  const bias = new Array<number>(CLASS_COUNT).fill(0);
  const order = Int32Array.from(prepared, (_, i) => i);
  const random = generator(0x1ce5ca7);
  const p = new Float64Array(CLASS_COUNT);
  const { l2, epochs, rate } = options;
  // Averaging (options.averageFrom): the mean of the weights as they stand before each step of the
  // averaged passes. A token's weights change only at the steps whose document holds it, so its total
  // gains its value times the steps it stood unchanged, added when it is next touched (`since`: the
  // first step not yet counted for it) and once more at the end.
  const averageFrom = options.averageFrom !== undefined && options.averageFrom < epochs ? Math.max(0, options.averageFrom) : undefined;
  const totals = averageFrom !== undefined ? new Float64Array(size * CLASS_COUNT) : undefined;
  const since = averageFrom !== undefined ? new Float64Array(size) : undefined;
  const biasSum = new Array<number>(CLASS_COUNT).fill(0);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    const eta = rate / (1 + epoch * 0.2);
    const averaging = averageFrom !== undefined && epoch >= averageFrom;
    for (let n = 0; n < order.length; n++) {
      const doc = prepared[order[n]!]!;
      const ids = doc.ids;
      // The three classes unrolled (CLASS_COUNT is 3): this loop is the whole fit's arithmetic.
      let z0 = bias[0]!;
      let z1 = bias[1]!;
      let z2 = bias[2]!;
      for (let k = 0; k < ids.length; k++) {
        const base = ids[k]! * CLASS_COUNT;
        z0 += table[base]!;
        z1 += table[base + 1]!;
        z2 += table[base + 2]!;
      }
      const max = Math.max(z0, z1, z2);
      p[0] = Math.exp(z0 - max);
      p[1] = Math.exp(z1 - max);
      p[2] = Math.exp(z2 - max);
      const sum = p[0]! + p[1]! + p[2]!;
      const g0 = p[0]! / sum - (doc.label === 0 ? 1 : 0);
      const g1 = p[1]! / sum - (doc.label === 1 ? 1 : 0);
      const g2 = p[2]! / sum - (doc.label === 2 ? 1 : 0);
      const shrink = 1 - eta * l2;
      if (averaging) {
        for (let c = 0; c < CLASS_COUNT; c++) biasSum[c] = biasSum[c]! + bias[c]!;
        // In the same pass as the update: a weight's value before this step's change has stood from
        // step `since` through this one.
        const next = step + 1;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          const base = id * CLASS_COUNT;
          const held = next - since![id]!;
          const w0 = table[base]!;
          const w1 = table[base + 1]!;
          const w2 = table[base + 2]!;
          totals![base] = totals![base]! + held * w0;
          totals![base + 1] = totals![base + 1]! + held * w1;
          totals![base + 2] = totals![base + 2]! + held * w2;
          since![id] = next;
          table[base] = w0 * shrink - eta * g0;
          table[base + 1] = w1 * shrink - eta * g1;
          table[base + 2] = w2 * shrink - eta * g2;
        }
        step = next;
      } else {
        for (let k = 0; k < ids.length; k++) {
          const base = ids[k]! * CLASS_COUNT;
          table[base] = table[base]! * shrink - eta * g0;
          table[base + 1] = table[base + 1]! * shrink - eta * g1;
          table[base + 2] = table[base + 2]! * shrink - eta * g2;
        }
      }
      bias[0] = bias[0]! - eta * g0;
      bias[1] = bias[1]! - eta * g1;
      bias[2] = bias[2]! - eta * g2;
    }
  }
  if (step > 0) {
    for (let c = 0; c < CLASS_COUNT; c++) bias[c] = biasSum[c]! / step;
    for (let id = 0; id < size; id++) {
      const base = id * CLASS_COUNT;
      // Its last value stood for every step after its last change.
      const held = step - since![id]!;
      for (let c = 0; c < CLASS_COUNT; c++) table[base + c] = (totals![base + c]! + held * table[base + c]!) / step;
    }
  }
  // Stored rounded (the file keeps 6 decimals), so a model read back scores exactly as it was fitted.
  for (let id = 0; id < size; id++) {
    const base = id * CLASS_COUNT;
    for (let c = 0; c < CLASS_COUNT; c++) table[base + c] = keep[id] === 1 ? roundWeight(table[base + c]!) : NaN;
  }
  return { bias: bias.map(roundWeight), table };
}

/** Weights as the model file keeps them: 6 decimals. */
export function roundWeight(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Keep the weights of at most `max` tokens: those whose weights differ most between classes (the
 * largest pairwise gap; a token that adds the same to every class changes no probability), ties by
 * token. The rest become NaN, as tokens the fit never held. Capping the vocabulary this way, after
 * the fit, keeps what the fit found to matter; capping it before, by how many documents hold a
 * token, dropped rare tokens that carry evidence and kept frequent ones that carry none (held-out
 * ranking, docs/accuracy-history.md, "The model: measurements behind its design").
 */
export function keepStrongest(weights: LogisticWeights, max: number, tokens: readonly string[]): LogisticWeights {
  const table = weights.table;
  const spread: Array<[number, number]> = [];
  for (let id = 0; id * CLASS_COUNT < table.length; id++) {
    const base = id * CLASS_COUNT;
    const w0 = table[base]!;
    if (Number.isNaN(w0)) continue;
    const w1 = table[base + 1]!;
    const w2 = table[base + 2]!;
    spread.push([Math.max(Math.abs(w1 - w0), Math.abs(w2 - w0), Math.abs(w2 - w1)), id]);
  }
  if (spread.length <= max) return weights;
  spread.sort((a, b) => b[0] - a[0] || (tokens[a[1]]! < tokens[b[1]]! ? -1 : tokens[a[1]]! > tokens[b[1]]! ? 1 : 0));
  const kept = new Float64Array(table);
  for (const [, id] of spread.slice(max)) kept.fill(NaN, id * CLASS_COUNT, id * CLASS_COUNT + CLASS_COUNT);
  return { bias: [...weights.bias], table: kept };
}

/** A fit of the prepared documents outside one fold (`exclude`), or of them all (`exclude` -1). */
export interface FitJob {
  exclude: number;
}

/** The documents a job fits, in the prepared order (`fold`: each document's fold, by its place in the input). */
export function jobDocs(docs: readonly PreparedDoc[], fold: ArrayLike<number>, job: FitJob): readonly PreparedDoc[] {
  return job.exclude < 0 ? docs : docs.filter((doc) => fold[doc.index] !== job.exclude);
}

/**
 * Fits every job, handing each job's weights to `take` as it is done, in any order (`take` must not
 * depend on it): one after another on the calling thread (`fitJobsHere`), or side by side on threads
 * (run/fit-threads.ts), which gives the same weights, each fit being deterministic.
 */
export type FitJobs = (
  prepared: Prepared,
  fold: Int32Array,
  jobs: readonly FitJob[],
  options: LogisticOptions,
  take: (job: FitJob, weights: LogisticWeights) => void,
) => Promise<void>;

/** Every job on the calling thread, in order. */
export const fitJobsHere: FitJobs = async (prepared, fold, jobs, options, take) => {
  for (const job of jobs) take(job, fitPrepared(jobDocs(prepared.docs, fold, job), prepared, options));
};
