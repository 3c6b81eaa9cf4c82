// The report head: a second, binary logistic fit over the model's own tokens that tells a text
// about a lure (a news report, an advisory, a warning that quotes the offer) from an offer. The
// three-class model cannot: a report that quotes a lure carries the lure's words, and a report is
// legitimate, so the only way the classes can learn it is as "legitimate words outweigh the lure's",
// which the lure's own words win. The head asks the other question, on the same token ids, so it
// costs one sum a posting and no second tokenizing. Pure computation, deterministic.
import { generator, roundWeight, shuffle, type Prepared } from './logistic.js';

/** The head's weights: one a token id (NaN: a token it does not hold), a bias, and what it learned from. */
export interface ReportHead {
  bias: number;
  table: Float64Array;
  /** Offers and reports learned from. */
  documents: [number, number];
}

export interface ReportHeadOptions {
  l2: number;
  epochs: number;
  rate: number;
  /**
   * How much a report's error counts against an offer's. Reports are a few percent of the training
   * postings; at 1 the fit finds it cheapest to call nearly everything an offer.
   */
  reportWeight: number;
}

/**
 * Chosen out of fold on `corpus/train` (5 folds by writing batch), the head fitted on reports
 * against lures and scams: at report weight 3 and a mute at 0.3, 84% of the written news and
 * advisories and 60% of the quoted real ones reached it, against 3 of 4,635 lures and scams. At
 * weight 10, and fitted against every offer (ordinary ads too), the lures reaching the same share
 * of news were 20 times as many. With the batches the model leaves out in the head's fit too
 * (train:default's `--report-head-only`), the shipped mute is 0.5 (rules/scoring.yaml says why).
 */
export const DEFAULT_REPORT_HEAD: ReportHeadOptions = { l2: 0.003, epochs: 10, rate: 0.1, reportWeight: 3 };

/** Fewer reports than this and no head is fitted: it would learn a writer's habits, not a genre. */
export const MIN_REPORT_DOCUMENTS = 50;

/**
 * Fit the head on documents already prepared for the model's fit (`prepareLogistic`, their ids
 * those the model holds), `report[index]` saying which are reports. Deterministic: the same
 * documents in any order give the same weights.
 */
export function fitReportHead(prepared: Prepared, report: (index: number) => boolean, options: ReportHeadOptions = DEFAULT_REPORT_HEAD): ReportHead {
  const { docs, keep, size } = prepared;
  const table = new Float64Array(size);
  let bias = 0;
  const order = Int32Array.from(docs, (_, i) => i);
  const random = generator(0x2e907);
  const { l2, epochs, rate, reportWeight } = options;
  const documents: [number, number] = [0, 0];
  for (const doc of docs) documents[report(doc.index) ? 1 : 0]++;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    const eta = rate / (1 + epoch * 0.2);
    const shrink = 1 - eta * l2;
    for (let n = 0; n < order.length; n++) {
      const doc = docs[order[n]!]!;
      const ids = doc.ids;
      let z = bias;
      for (let k = 0; k < ids.length; k++) z += table[ids[k]!]!;
      const y = report(doc.index);
      const g = (1 / (1 + Math.exp(-z)) - (y ? 1 : 0)) * (y ? reportWeight : 1);
      bias -= eta * g;
      for (let k = 0; k < ids.length; k++) table[ids[k]!] = table[ids[k]!]! * shrink - eta * g;
    }
  }
  for (let id = 0; id < size; id++) table[id] = keep[id] === 1 ? roundWeight(table[id]!) : NaN;
  return { bias: roundWeight(bias), table, documents };
}

/** The probability that a text is a report, from the sum of its held tokens' weights and the bias. */
export function reportProbabilityOf(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
