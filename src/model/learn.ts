// Training: postings counted into the model's parts (or moved when relabelled), then finished:
// the logistic weights fitted, calibrations fitted out of fold (per language where one has enough
// documents), small parts merged, the vocabulary capped. No I/O.
import { IDENTITY_CALIBRATION, type RawScores } from './calibration.js';
import { CLASS_COUNT } from './classes.js';
import { logisticClassifier, rawScoresOfIds } from './classifier.js';
import { TokenCounts } from './counts.js';
import { DEFAULT_LOGISTIC, type FitJobs, fitJobsHere, keepStrongest, prepareLogistic } from './logistic.js';
import { fitReportHead, MIN_REPORT_DOCUMENTS } from './report-head.js';
import { calibrationOf, digest, fitCalibrationFor, foldOf, kindOf, outOfFoldScores, type TrainingDoc } from './train.js';
import { MIN_CLASS_DOCUMENTS, type ModelState, partitionUsable, partOfLanguage, REST_PART, sumAll, WHOLE_IN } from './state.js';

export interface LearnResult {
  added: number;
  moved: number;
  unchanged: number;
}

/** Count one document in (sign 1) or out of (-1) its language's tally. */
function countLanguage(model: ModelState, lang: string | undefined, label: number, sign: 1 | -1): void {
  if (lang === undefined) return;
  let counts = model.languages.get(lang);
  if (!counts) model.languages.set(lang, (counts = new Array<number>(CLASS_COUNT).fill(0)));
  counts[label] = Math.max(0, counts[label]! + sign);
}

/** The part a training document goes to. */
function partOfDoc(model: ModelState, doc: TrainingDoc & { script: string }): string {
  return model.partitioning === 'script' ? doc.script : (partOfLanguage(doc.lang) ?? REST_PART);
}

/**
 * Learn documents (tokenized into `model.vocabulary`) into the model. An id learned before with the
 * same class is not counted twice; with another class it is moved (its tokens, as given now, leave
 * the old class). `seen`: ids given earlier in this run, when a run learns its documents in chunks
 * (an id given twice in one run counts once, whatever its labels).
 */
export function learn(model: ModelState, docs: ReadonlyArray<TrainingDoc & { script: string }>, seen = new Set<string>()): LearnResult {
  const result: LearnResult = { added: 0, moved: 0, unchanged: 0 };
  for (const doc of docs) {
    const key = digest(doc.id, 16);
    const before = model.learned.get(key);
    if (seen.has(key) || (before && before.label === doc.label)) {
      result.unchanged++;
      continue;
    }
    seen.add(key);
    if (before) {
      model.partitions.get(before.part)?.apply(doc.ids, before.label, -1);
      countLanguage(model, before.lang, before.label, -1);
      result.moved++;
    } else result.added++;
    const name = partOfDoc(model, doc);
    let part = model.partitions.get(name);
    if (!part) model.partitions.set(name, (part = new TokenCounts(model.vocabulary)));
    part.apply(doc.ids, doc.label);
    countLanguage(model, doc.lang, doc.label, 1);
    model.learned.set(key, { label: doc.label, part: name, ...(doc.lang !== undefined ? { lang: doc.lang } : {}) });
  }
  return result;
}

/** Fewer new documents than this and an update keeps the calibrations it had. */
export const MIN_CALIBRATION_DOCUMENTS = 200;

/**
 * Fit the calibrations on this run's documents, each scored by the model without its fold, and cap
 * the vocabulary. An update with too few documents to calibrate on keeps the old calibrations.
 * `headDocs` train the logistic kind's report head only (their ids those the vocabulary already held).
 * `fitJobs` runs the logistic kind's fits: on this thread unless the caller gives threads.
 */
export async function finish(
  model: ModelState,
  docs: ReadonlyArray<TrainingDoc & { script: string }>,
  headDocs: ReadonlyArray<TrainingDoc> = [],
  { fitJobs = fitJobsHere }: { fitJobs?: FitJobs } = {},
): Promise<void> {
  if (kindOf(model.fit) === 'logistic') {
    await finishLogistic(model, docs, headDocs, fitJobs);
    return;
  }
  if (model.partitioning === 'language') mergeSmallParts(model);
  if (docs.length >= MIN_CALIBRATION_DOCUMENTS || model.calibrations.size === 0) {
    const wholeScores = outOfFoldScores(sumAll(model), docs, model.fit.calibrationFolds, model.fit.alpha);
    model.calibrations.set('all', calibrationOf(wholeScores, docs));
    // A document of a part merged into REST_PART belongs to it now.
    const partOf = docs.map((doc) => {
      const name = partOfDoc(model, doc);
      return model.partitions.has(name) ? name : REST_PART;
    });
    for (const name of [...model.partitions.keys()].sort()) {
      const part = model.partitions.get(name)!;
      const own = docs.filter((_, i) => partOf[i] === name);
      if (name === REST_PART || !partitionUsable(part.documents) || own.length < MIN_CALIBRATION_DOCUMENTS) continue;
      // One part holding everything is the whole model: same scores, same calibration.
      const whole = model.partitions.size === 1 && own.length === docs.length;
      model.calibrations.set(name, whole ? model.calibrations.get('all')! : fitCalibrationFor(part, own, model.fit));
    }
    if (model.partitioning === 'language') calibrateWholeByLanguage(model, docs, wholeScores, partOf);
  }
  capVocabulary(model);
}

/**
 * The logistic kind: one softmax regression over every language fits on `docs` and all their
 * tokens; the vocabulary is then capped to the tokens with the strongest weights (`keepStrongest`),
 * and the calibration fitted on each posting's score from a fit without its fold, capped the same way.
 */
async function finishLogistic(model: ModelState, docs: ReadonlyArray<TrainingDoc>, headDocs: ReadonlyArray<TrainingDoc>, fitJobs: FitJobs): Promise<void> {
  if (model.partitioning === 'language') mergeSmallParts(model);
  const whole = sumAll(model);
  const size = model.vocabulary.size;
  const tokens = model.vocabulary.tokens;
  const held = (id: number): boolean => whole.has(id);
  const options = model.fit.logistic;
  // Prepared once for the fit and its calibration folds' fits.
  const prepared = prepareLogistic(
    docs.map((doc) => ({ ids: doc.ids, label: doc.label, key: doc.group })),
    size,
    held,
  );
  // The whole fit and one per calibration fold that leaves documents out (side by side where the
  // caller gives threads: run/fit-threads.ts); each fold's fit scores the documents of its fold.
  const folds = model.fit.calibrationFolds;
  const fold = Int32Array.from(docs, (doc) => foldOf(doc.group, folds));
  const scores = new Array<RawScores>(docs.length);
  const jobs = [{ exclude: -1 }, ...Array.from({ length: folds }, (_, k) => ({ exclude: k })).filter(({ exclude }) => fold.includes(exclude))];
  await fitJobs(prepared, fold, jobs, options ?? DEFAULT_LOGISTIC, ({ exclude }, fitted) => {
    const weights = keepStrongest(fitted, model.maxVocabulary, tokens);
    if (exclude < 0) {
      model.weights = weights;
      return;
    }
    const classifier = logisticClassifier(weights, model.vocabulary, IDENTITY_CALIBRATION);
    docs.forEach((doc, i) => {
      if (fold[i] === exclude) scores[i] = rawScoresOfIds(classifier, doc.ids);
    });
  });
  const weights = model.weights!;
  const reports = docs.filter((doc) => doc.report === true).length + headDocs.filter((doc) => doc.report === true).length;
  if (reports >= MIN_REPORT_DOCUMENTS) {
    // Reports against lures and scams only: the head decides among postings the model and rules
    // would flag, so ordinary ads (most of the training data) would only teach it what a job board
    // reads like. Over the tokens the model keeps, so the head is one more column of the same table.
    // `headDocs` (train --report-head-only) join this contrast and nothing else.
    const contrast = [...docs, ...headDocs].filter((doc) => doc.report === true || doc.label !== 0);
    const kept = prepareLogistic(
      contrast.map((doc) => ({ ids: doc.ids, label: doc.label, key: doc.group })),
      size,
      (id) => !Number.isNaN(weights.table[id * CLASS_COUNT]!),
    );
    weights.report = fitReportHead(kept, (index) => contrast[index]!.report === true);
  }
  // The counts keep only the tokens the weights keep: they are what the model knows.
  const table = weights.table;
  for (const part of model.partitions.values()) for (const id of [...part.ids()]) if (Number.isNaN(table[id * CLASS_COUNT]!)) part.remove(id);
  // One calibration for every language: the weights already carry what a language's words add, and
  // a calibration per language group on a few hundred postings of it only added noise (corpus/dev,
  // aggregate: legitimate ads flagged 8.4% -> 5.9%, lures caught 93.5% -> 93.2%).
  model.calibrations.clear();
  model.calibrations.set('all', calibrationOf(scores, docs));
}

/** A language group scored by the whole model gets a calibration of its own from this many training postings. */
export const MIN_LANGUAGE_CALIBRATION_DOCUMENTS = 150;

/**
 * A language too small for counts of its own is scored by the whole model, whose raw scores mean
 * different things in different languages: most of what the whole model knows of Khmer or Nepali
 * words comes from lures, so every Khmer ad leans to fraud, and its few tokens give compressed
 * scores. A calibration fitted on that language's own out-of-fold scores (its bias takes up the
 * lean, its scale the compression) makes the probability mean the same in every language; its class
 * shares are the language's own, so base rates restate it as they restate any other.
 */
function calibrateWholeByLanguage(model: ModelState, docs: ReadonlyArray<TrainingDoc>, scores: readonly RawScores[], partOf: readonly string[]): void {
  const byGroup = new Map<string, number[]>();
  docs.forEach((doc, i) => {
    if (model.calibrations.has(partOf[i]!)) return;
    const group = partOfLanguage(doc.lang);
    if (group === undefined) return;
    let members = byGroup.get(group);
    if (!members) byGroup.set(group, (members = []));
    members.push(i);
  });
  // A group that has a part of its own now no longer needs one; one with too few postings in this
  // run (an update) keeps the calibration it had, as parts do.
  for (const key of [...model.calibrations.keys()])
    if (key.startsWith(WHOLE_IN) && model.calibrations.has(key.slice(WHOLE_IN.length))) model.calibrations.delete(key);
  for (const group of [...byGroup.keys()].sort()) {
    const members = byGroup.get(group)!;
    const counts = new Array<number>(CLASS_COUNT).fill(0);
    for (const i of members) counts[docs[i]!.label]!++;
    if (members.length < MIN_LANGUAGE_CALIBRATION_DOCUMENTS || counts[0]! < MIN_CLASS_DOCUMENTS || !counts.slice(1).some((n) => n >= MIN_CLASS_DOCUMENTS))
      continue;
    model.calibrations.set(
      WHOLE_IN + group,
      calibrationOf(
        members.map((i) => scores[i]!),
        members.map((i) => docs[i]!),
      ),
    );
  }
}

/**
 * Parts too small to score postings of their own language are merged into REST_PART: they still
 * count in the whole model, and keeping a table the size of the vocabulary for each would cost
 * memory for nothing.
 */
function mergeSmallParts(model: ModelState): void {
  const small = [...model.partitions.keys()].filter((name) => name !== REST_PART && !partitionUsable(model.partitions.get(name)!.documents));
  if (small.length === 0) return;
  let rest = model.partitions.get(REST_PART);
  if (!rest) model.partitions.set(REST_PART, (rest = new TokenCounts(model.vocabulary)));
  for (const name of small.sort()) {
    rest.merge(model.partitions.get(name)!);
    model.partitions.delete(name);
    model.calibrations.delete(name);
  }
  const merged = new Set(small);
  for (const entry of model.learned.values()) if (merged.has(entry.part)) entry.part = REST_PART;
}

/** Keep the tokens found in most documents, at most `maxVocabulary` over all scripts, ties by token. */
function capVocabulary(model: ModelState): void {
  const total = [...model.partitions.values()].reduce((n, part) => n + part.size, 0);
  if (total <= model.maxVocabulary) return;
  const tokens = model.vocabulary.tokens;
  const frequency: Array<[string, string, number, number]> = [];
  for (const [name, part] of model.partitions) {
    for (const id of part.ids()) {
      let n = 0;
      for (let c = 0; c < CLASS_COUNT; c++) n += part.count(id, c);
      frequency.push([tokens[id]!, name, n, id]);
    }
  }
  frequency.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  for (const [, name, , id] of frequency.slice(model.maxVocabulary)) model.partitions.get(name)!.remove(id);
}
