// The model as a whole: counts per language (version 1 files: per script), calibrations, what it
// learned from, and the versioned file format (parse with clear errors, serialise
// deterministically). No I/O: callers read and write.
import { languageGroup } from '../lang/detect.js';
import { atBaseRates, calibrate, IDENTITY_CALIBRATION, type Calibration, type RawScores } from './calibration.js';
import { CLASS_COUNT, MODEL_LABELS } from './classes.js';
import { buildClassifier, classifierFromColumns, explain, rawScoresOfIds, type Classifier } from './classifier.js';
import { TokenCounts } from './counts.js';
import { DEFAULT_TOKENIZER, knownTokenIds, SCRIPTS, type TokenIds, type Tokenized, type TokenizerSettings } from './tokenize.js';
import { fitPrepared, keepStrongest, prepareLogistic, roundWeight, type LogisticWeights, type PreparedDoc } from './logistic.js';
import { calibrationOf, digest, fitCalibrationFor, foldOf, kindOf, outOfFoldScores, type FitOptions, type TrainingDoc } from './train.js';
import { Vocabulary } from './vocabulary.js';

export const MODEL_FORMAT = 'lurescan-naive-bayes';
export const MODEL_VERSION = 3;
/** Version 1 files (no per-language counts, no calibration shares) are still read: no language gate, no base-rate restating. */
const READABLE_VERSIONS = [1, 2, 3];

/** Fewer documents than this in a class and the model (or one part of it) is not trusted to score. */
export const MIN_CLASS_DOCUMENTS = 20;
/** A language's own part is used once it has this many documents; below that, the whole model scores it. */
export const MIN_PARTITION_DOCUMENTS = 300;

/**
 * How a model is cut into parts that keep their own counts and calibration. By language (version
 * 2): English job ads are judged against English ones, not against Vietnamese or Chinese ones, so
 * the vocabulary of a region or a source does not pass for evidence of fraud. By script (version 1).
 */
export type Partitioning = 'language' | 'script';
/** Where the counts of languages too small for a part of their own go (they still count in the whole model). */
export const REST_PART = 'rest';

/** The part a posting in `lang` belongs to: its language group (zh, id-ms, en ...); none for `und`. */
export function partOfLanguage(lang: string | undefined): string | undefined {
  if (lang === undefined || lang === 'und') return undefined;
  const group = languageGroup(lang);
  return group.length > 1 ? (group[0]!.startsWith('zh') ? 'zh' : group.join('-')) : lang;
}

/**
 * When the model abstains, stored in the model file: fewer legitimate training postings than
 * `minLanguageLegit` in a posting's language, fewer than `minKnownTokens` of its tokens known, or
 * a smaller share of them than `minKnownShare`.
 */
export interface Gate {
  minLanguageLegit: number;
  /**
   * Fewer postings of a fraud label than this in a posting's language and the model adds no points
   * for that label there (its probability is still reported): a dozen written scams against a
   * thousand job-board ads teach the model the writers' style, not the scam.
   */
  minLanguageLabel: number;
  minKnownTokens: number;
  minKnownShare: number;
}

export const DEFAULT_GATE: Gate = { minLanguageLegit: 40, minLanguageLabel: 30, minKnownTokens: 5, minKnownShare: 0.25 };

export interface TrainingSource {
  name: string;
  documents: number;
  fingerprint: string;
}

/** What the model learned from one posting id: its class, part and language, so relabelling can move it. */
interface Learned {
  label: number;
  part: string;
  lang?: string;
}

export interface ModelState {
  tokenizer: TokenizerSettings;
  fit: FitOptions;
  maxVocabulary: number;
  trainedOn: string;
  sources: TrainingSource[];
  /** Token strings and ids, shared by every part's counts (tokenize training documents into it). */
  vocabulary: Vocabulary;
  partitioning: Partitioning;
  /** Token counts per part (language group, or REST_PART); the whole model is their sum. */
  partitions: Map<string, TokenCounts>;
  /** The logistic kind's weights (fit.kind `logistic`), over the vocabulary's ids; the counts then only gate and describe. */
  weights?: LogisticWeights;
  /** Calibrations for `all` and for every part that is big enough. */
  calibrations: Map<string, Calibration>;
  learned: Map<string, Learned>;
  /** Documents learned per detected language and class: where the model has seen enough legitimate ads to judge. */
  languages: Map<string, number[]>;
  gate: Gate;
}

/** A model with nothing learned yet; pass `vocabulary` to share one between models (cross-validation). */
export function emptyModel(
  tokenizer: TokenizerSettings = DEFAULT_TOKENIZER,
  fitOptions: FitOptions,
  maxVocabulary: number,
  vocabulary = new Vocabulary(),
): ModelState {
  return {
    tokenizer,
    fit: fitOptions,
    maxVocabulary,
    trainedOn: '',
    sources: [],
    vocabulary,
    partitioning: 'language',
    partitions: new Map(),
    calibrations: new Map(),
    learned: new Map(),
    languages: new Map(),
    gate: { ...DEFAULT_GATE },
  };
}

/** The whole model's counts: every part summed. */
export function sumAll(model: ModelState): TokenCounts {
  const all = new TokenCounts(model.vocabulary);
  for (const part of model.partitions.values()) all.merge(part);
  return all;
}

/** Fewer documents than this in all and the model is not trusted to score. */
export const MIN_DOCUMENTS = 100;

/**
 * Why counts are too thin to trust, or undefined when they are fine. A class may be absent (a
 * fraud/legit data set teaches no forced-criminality class; its probability then stays near 0), but
 * legit and fraud of some kind must each have MIN_CLASS_DOCUMENTS.
 */
export function weakness(documents: readonly number[]): string | undefined {
  const [legit, ef, fc] = documents as [number, number, number];
  const total = legit + ef + fc;
  if (total < MIN_DOCUMENTS) return `it learned from ${total} documents (fewer than ${MIN_DOCUMENTS})`;
  if (legit < MIN_CLASS_DOCUMENTS) return `it learned from ${legit} legit documents (fewer than ${MIN_CLASS_DOCUMENTS})`;
  if (ef + fc < MIN_CLASS_DOCUMENTS) return `it learned from ${ef + fc} fraudulent documents (fewer than ${MIN_CLASS_DOCUMENTS})`;
  return undefined;
}

/** Classes with some documents but too few to say much: worth a warning when training. */
export function thinClasses(counts: TokenCounts): string[] {
  return MODEL_LABELS.filter((_, c) => counts.documents[c]! > 0 && counts.documents[c]! < MIN_CLASS_DOCUMENTS).map(
    (label) => `${label} has only ${counts.documents[MODEL_LABELS.indexOf(label)]} documents`,
  );
}

/** A part with enough documents (per class) in at least two classes to score postings of its own. */
function partitionUsable(documents: readonly number[]): boolean {
  const total = documents.reduce((a, b) => a + b, 0);
  return total >= MIN_PARTITION_DOCUMENTS && documents.filter((n) => n >= MIN_CLASS_DOCUMENTS).length >= 2;
}

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
 */
export function finish(model: ModelState, docs: ReadonlyArray<TrainingDoc & { script: string }>): void {
  if (kindOf(model.fit) === 'logistic') {
    finishLogistic(model, docs);
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
function finishLogistic(model: ModelState, docs: ReadonlyArray<TrainingDoc>): void {
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
  const fit = (subset: readonly PreparedDoc[]): LogisticWeights => keepStrongest(fitPrepared(subset, prepared, options), model.maxVocabulary, tokens);
  model.weights = fit(prepared.docs);
  // The counts keep only the tokens the weights keep: they are what the model knows.
  const table = model.weights.table;
  for (const part of model.partitions.values()) for (const id of [...part.ids()]) if (Number.isNaN(table[id * CLASS_COUNT]!)) part.remove(id);
  const folds = model.fit.calibrationFolds;
  const fold = docs.map((doc) => foldOf(doc.group, folds));
  const scores = new Array<RawScores>(docs.length);
  for (let k = 0; k < folds; k++) {
    const rest = prepared.docs.filter((doc) => fold[doc.index] !== k);
    if (rest.length === docs.length) continue;
    const classifier = logisticClassifier(fit(rest), model.vocabulary, IDENTITY_CALIBRATION);
    docs.forEach((doc, i) => {
      if (fold[i] === k) scores[i] = rawScoresOfIds(classifier, doc.ids);
    });
  }
  // One calibration for every language: the weights already carry what a language's words add, and
  // a calibration per language group on a few hundred postings of it only added noise (corpus/dev,
  // aggregate: legitimate ads flagged 8.4% -> 5.9%, lures caught 93.5% -> 93.2%).
  model.calibrations.clear();
  model.calibrations.set('all', calibrationOf(scores, docs));
}

/** A logistic fit as a classifier: its weights stand where naive Bayes keeps log-likelihoods, its biases where it keeps priors. */
export function logisticClassifier(weights: LogisticWeights, vocabulary: Vocabulary, calibration: Calibration = IDENTITY_CALIBRATION): Classifier {
  return { alpha: 0, logPrior: [...weights.bias], logUnseen: new Array<number>(CLASS_COUNT).fill(0), vocabulary, logLikelihood: weights.table, calibration };
}

/** Calibration keys `all@<group>`: the whole model as it scores one language group without a part of its own. */
export const WHOLE_IN = 'all@';
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

/** A loaded model, ready to score postings. */
export interface Scorer {
  tokenizer: TokenizerSettings;
  /** Token strings and ids, shared by every classifier below. */
  vocabulary: Vocabulary;
  partitioning: Partitioning;
  /** A classifier for each part big enough to score its own postings. */
  byPart: Map<string, Classifier>;
  /** The whole model, for postings without a part of their own; built on first use. */
  whole: () => Classifier;
  /** Calibrations of the whole model for language groups without a part of their own (`all@<group>` in the file). */
  wholeIn: Map<string, Calibration>;
  /** Set when the model is too small to trust; scans then report it instead of scoring with it. */
  untrusted?: string;
  documents: number[];
  fingerprint: string;
  /** Documents learned per language and class (absent in version 1 files: no language gate then). */
  languages?: ReadonlyMap<string, readonly number[]>;
  gate: Gate;
}

function wholeCalibrations(calibrations: ReadonlyMap<string, Calibration>): Map<string, Calibration> {
  const out = new Map<string, Calibration>();
  for (const [key, value] of calibrations) if (key.startsWith(WHOLE_IN)) out.set(key.slice(WHOLE_IN.length), value);
  return out;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function toScorer(model: ModelState): Scorer {
  const alpha = model.fit.alpha;
  const whole = sumAll(model);
  const scorer: Scorer = {
    tokenizer: model.tokenizer,
    vocabulary: model.vocabulary,
    whole: lazy(() =>
      model.weights
        ? logisticClassifier(model.weights, model.vocabulary, model.calibrations.get('all'))
        : buildClassifier(whole, alpha, model.calibrations.get('all')),
    ),
    partitioning: model.partitioning,
    byPart: new Map(),
    wholeIn: wholeCalibrations(model.calibrations),
    documents: [...whole.documents],
    fingerprint: digest(model.sources.map((s) => s.fingerprint).join(','), 16),
    languages: model.languages,
    gate: model.gate,
  };
  for (const [name, part] of model.partitions) {
    const calibration = model.calibrations.get(name);
    if (name !== REST_PART && calibration && partitionUsable(part.documents)) scorer.byPart.set(name, buildClassifier(part, alpha, calibration));
  }
  const weak = weakness(whole.documents);
  if (weak) scorer.untrusted = weak;
  return scorer;
}

export interface ModelOutput {
  label: string;
  probabilities: Record<string, number>;
  /** The fraud labels the model may add points for in this language; absent: every label. */
  judges?: string[];
  classifier: Classifier;
  /** The posting's tokens the model knows, as ids in `scorer.vocabulary` (for `explainPrediction`). */
  ids: ArrayLike<number>;
}

/** Why the model does not judge a posting: it says so instead of guessing. */
export interface Abstention {
  abstained: string;
}

/** What a prediction is told besides the text: the posting's language and the feed's base rates. */
export interface PredictContext {
  /** Detected language (lang/detect.ts); `und` or absent skips the language gate. */
  lang?: string;
  /** Base rate of each fraud class, by MODEL_LABELS index (legit takes the rest); absent: as calibrated. */
  baseRates?: ReadonlyArray<number | undefined>;
  /** Fields already folded for the rules (`normalizeString` of each), by name: the model does not fold them again. */
  folded?: ReadonlyMap<string, string>;
}

/**
 * What the model learned of `lang` allows: why it should not judge a posting in it at all
 * (`abstained`), or the fraud labels it may add points for (`judges`; absent: every one). A model
 * that saw only lures in a language learns that the language means "lure" (SpamAssassin and Rspamd
 * gate their Bayes the same way, on what it has learned). Nothing when it keeps no per-language
 * counts or the language is unknown.
 */
export function languageGate(scorer: Scorer, lang: string | undefined): { abstained?: string; judges?: string[] } {
  if (scorer.languages === undefined || lang === undefined || lang === 'und') return {};
  const members = languageGroup(lang);
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (const member of members)
    scorer.languages.get(member)?.forEach((n, c) => {
      counts[c] = counts[c]! + n;
    });
  const group = members.join('/');
  if (counts[0]! < scorer.gate.minLanguageLegit) {
    return { abstained: `language ${group}: the model learned from ${counts[0]} legitimate posting(s) in it (it needs ${scorer.gate.minLanguageLegit})` };
  }
  const judges = MODEL_LABELS.slice(1).filter((_, k) => counts[k + 1]! >= scorer.gate.minLanguageLabel);
  if (judges.length === 0) {
    const fraud = MODEL_LABELS.slice(1)
      .map((label, k) => `${counts[k + 1]} ${label}`)
      .join(' and ');
    return { abstained: `language ${group}: the model learned from ${fraud} posting(s) in it (it needs ${scorer.gate.minLanguageLabel} of a label)` };
  }
  return judges.length < MODEL_LABELS.length - 1 ? { judges } : {};
}

/**
 * Why the model should not judge a posting whose tokens it mostly does not know: `known` distinct
 * tokens with counts, of `ids` looked up, with `found` and `unknown` occurrences in the vocabulary.
 */
function coverageAbstention(gate: Gate, known: number, tokens: TokenIds): string | undefined {
  const occurrences = tokens.found + tokens.unknown;
  const share = (known / Math.max(1, tokens.ids.length)) * (tokens.found / Math.max(1, occurrences));
  if (known >= gate.minKnownTokens && share >= gate.minKnownShare) return undefined;
  return `coverage: the model knows ${known} of the posting's tokens (${Math.round(share * 100)}%; it needs ${gate.minKnownTokens} and ${Math.round(gate.minKnownShare * 100)}%)`;
}

/**
 * The model's calibrated probabilities for one posting's fields, or why it abstains: its tokens are
 * looked up in the model's vocabulary by number (see tokenize.ts), and a field value seen before is
 * not scanned again.
 */
export function predict(scorer: Scorer, fields: Readonly<Record<string, string>>, context: PredictContext = {}): ModelOutput | Abstention {
  return predictIds(scorer, knownTokenIds(fields, scorer.tokenizer, scorer.vocabulary, context.folded), context);
}

/** `predict` for a posting already tokenized into strings (no gate: tests and tools). */
export function predictTokens(scorer: Scorer, { features, script }: Tokenized, context: PredictContext = {}): ModelOutput {
  const ids: number[] = [];
  for (const token of features) {
    const id = scorer.vocabulary.get(token);
    if (id !== undefined) ids.push(id);
  }
  const classifier = classifierFor(scorer, script, context.lang);
  return output(classifier, rawScoresOfIds(classifier, ids), ids, context.baseRates);
}

/** `predict` for a posting already tokenized into the scorer's vocabulary (`knownTokenIds`). */
export function predictIds(scorer: Scorer, tokens: TokenIds, context: PredictContext = {}): ModelOutput | Abstention {
  const gate = languageGate(scorer, context.lang);
  if (gate.abstained !== undefined) return { abstained: gate.abstained };
  const classifier = classifierFor(scorer, tokens.script, context.lang);
  const raw = rawScoresOfIds(classifier, tokens.ids);
  const coverage = coverageAbstention(scorer.gate, raw.known, tokens);
  if (coverage !== undefined) return { abstained: coverage };
  const result = output(classifier, raw, tokens.ids, context.baseRates);
  if (gate.judges !== undefined) result.judges = gate.judges;
  return result;
}

export function isAbstention(output: ModelOutput | Abstention): output is Abstention {
  return 'abstained' in output;
}

/** The part of the posting's language (version 1 models: its script), or the whole model when it has none. */
function classifierFor(scorer: Scorer, script: string, lang: string | undefined): Classifier {
  const name = scorer.partitioning === 'script' ? script : partOfLanguage(lang);
  if (name === undefined) return scorer.whole();
  const own = scorer.byPart.get(name);
  if (own) return own;
  const calibration = scorer.wholeIn.get(name);
  if (!calibration) return scorer.whole();
  // The whole model's tables under the language's calibration: built once, kept with the parts.
  const calibrated = { ...scorer.whole(), calibration };
  scorer.byPart.set(name, calibrated);
  return calibrated;
}

function output(classifier: Classifier, raw: RawScores, ids: ArrayLike<number>, baseRates: ReadonlyArray<number | undefined> | undefined): ModelOutput {
  const calibrated = calibrate(raw, classifier.calibration);
  const p = baseRates ? atBaseRates(calibrated, classifier.calibration.shares, baseRates) : calibrated;
  let best = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (p[c]! > p[best]!) best = c;
  const probabilities: Record<string, number> = {};
  MODEL_LABELS.forEach((label, c) => {
    probabilities[label] = Number(p[c]!.toFixed(4));
  });
  return { label: MODEL_LABELS[best]!, probabilities, classifier, ids };
}

export function explainPrediction(output: ModelOutput, label: string): { for: string[]; against: string[] } {
  return explain(output.classifier, output.ids, Math.max(0, (MODEL_LABELS as readonly string[]).indexOf(label)));
}

// ---- the file format ----

interface PartitionJson {
  documents: number[];
  tokens: string[];
  /** One array per class, aligned with `tokens`. */
  counts: number[][];
}

interface ModelJson {
  format: string;
  version: number;
  labels: string[];
  trainedOn: string;
  training: { fingerprint: string; documents: number[]; sources: TrainingSource[] };
  tokenizer: TokenizerSettings;
  fit: FitOptions;
  maxVocabulary: number;
  calibration: Record<string, Calibration>;
  /** Version 2: `language`; version 1 files were cut by script. */
  partitioning?: Partitioning;
  partitions: Record<string, PartitionJson>;
  /** Hashed posting id → class index and part, and `/language` (version 2), for `--update`. */
  learned: Record<string, string>;
  /** Documents learned per language, per class (version 2). */
  languages?: Record<string, number[]>;
  /** When the model abstains (version 2). */
  gate?: Gate;
  /** The logistic kind's weights (version 3): the parts then keep their document counts only. */
  weights?: WeightsJson;
}

interface WeightsJson {
  bias: number[];
  tokens: string[];
  /** One array per class, aligned with `tokens`. */
  values: number[][];
}

/** A part's name in a model file: a script (version 1), or a language group or REST_PART (version 2). */
const PART_NAME = /^(?:[a-z]{2,3}(?:-[a-z]{2,4})?|rest)$/i;

/** The model as JSON text: sorted everywhere, so the same training gives the same bytes. */
export function serializeModel(model: ModelState): string {
  const whole = sumAll(model);
  const partitions: Record<string, PartitionJson> = {};
  const vocabulary = model.vocabulary.tokens;
  const names = [...model.partitions.keys()].sort();
  for (const name of names) {
    const part = model.partitions.get(name)!;
    if (model.weights) {
      // The weights hold what scores; the counts would only make the file twice the size.
      partitions[name] = { documents: [...part.documents], tokens: [], counts: MODEL_LABELS.map(() => []) };
      continue;
    }
    const ids = [...part.ids()].sort((a, b) => (vocabulary[a]! < vocabulary[b]! ? -1 : vocabulary[a]! > vocabulary[b]! ? 1 : 0));
    partitions[name] = {
      documents: [...part.documents],
      tokens: ids.map((id) => vocabulary[id]!),
      counts: MODEL_LABELS.map((_, c) => ids.map((id) => part.count(id, c))),
    };
  }
  const calibration: Record<string, Calibration> = {};
  const wholeKeys = [...model.calibrations.keys()].filter((key) => key.startsWith(WHOLE_IN)).sort();
  for (const key of ['all', ...names, ...wholeKeys]) {
    const value = model.calibrations.get(key);
    if (value) calibration[key] = value;
  }
  const learned: Record<string, string> = {};
  for (const key of [...model.learned.keys()].sort()) {
    const entry = model.learned.get(key)!;
    learned[key] = `${entry.label}${entry.part}${entry.lang !== undefined ? `/${entry.lang}` : ''}`;
  }
  const languages: Record<string, number[]> = {};
  for (const lang of [...model.languages.keys()].sort()) {
    const counts = model.languages.get(lang)!;
    if (counts.some((n) => n > 0)) languages[lang] = [...counts];
  }
  const json: ModelJson = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labels: [...MODEL_LABELS],
    trainedOn: model.trainedOn,
    training: { fingerprint: digest(model.sources.map((s) => s.fingerprint).join(','), 16), documents: [...whole.documents], sources: model.sources },
    tokenizer: model.tokenizer,
    fit: model.fit,
    maxVocabulary: model.maxVocabulary,
    calibration,
    partitioning: model.partitioning,
    partitions,
    learned,
    languages,
    gate: model.gate,
    ...(model.weights ? { weights: weightsJson(model.weights, vocabulary) } : {}),
  };
  return `${JSON.stringify(json)}\n`;
}

function weightsJson(weights: LogisticWeights, vocabulary: readonly string[]): WeightsJson {
  const ids: number[] = [];
  const table = weights.table;
  for (let id = 0; id * CLASS_COUNT < table.length; id++) if (!Number.isNaN(table[id * CLASS_COUNT])) ids.push(id);
  ids.sort((a, b) => (vocabulary[a]! < vocabulary[b]! ? -1 : vocabulary[a]! > vocabulary[b]! ? 1 : 0));
  return {
    bias: [...weights.bias],
    tokens: ids.map((id) => vocabulary[id]!),
    values: MODEL_LABELS.map((_, c) => ids.map((id) => roundWeight(table[id * CLASS_COUNT + c]!))),
  };
}

/** A file's weights over `vocabulary` (their tokens are added to it). */
function weightsOf(json: WeightsJson, vocabulary: Vocabulary): LogisticWeights {
  const ids = json.tokens.map((token) => vocabulary.id(token));
  const table = new Float64Array(vocabulary.size * CLASS_COUNT).fill(NaN);
  ids.forEach((id, i) => {
    for (let c = 0; c < CLASS_COUNT; c++) table[id * CLASS_COUNT + c] = json.values[c]![i]!;
  });
  return { bias: [...json.bias], table };
}

export class ModelFormatError extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ModelFormatError(message);
}

function isCalibration(value: unknown): value is Calibration {
  const c = value as Calibration;
  const shares = c?.shares;
  const sharesOk =
    shares === undefined || (Array.isArray(shares) && shares.length === CLASS_COUNT && shares.every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isFinite(c.scale) &&
    Number.isFinite(c.lengthPower) &&
    Array.isArray(c.bias) &&
    c.bias.length === CLASS_COUNT &&
    c.bias.every(Number.isFinite) &&
    sharesOk
  );
}

/** Parse a model file's text and check everything a scan relies on; every problem names what is wrong. */
function readModelJson(text: string): ModelJson {
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (error) {
    throw new ModelFormatError(`not JSON (${(error as Error).message}); the file is damaged or not a lurescan model`);
  }
  check(typeof json === 'object' && json !== null && !Array.isArray(json), 'not a lurescan model (the top level is not an object)');
  check(json.format === MODEL_FORMAT, `not a lurescan model (format is ${JSON.stringify(json.format)}, expected "${MODEL_FORMAT}")`);
  check(
    READABLE_VERSIONS.includes(json.version),
    `model format version ${json.version} is not supported by this lurescan (it reads versions ${READABLE_VERSIONS.join(' and ')}); retrain with \`lurescan train\``,
  );
  check(
    Array.isArray(json.labels) && json.labels.join() === MODEL_LABELS.join(),
    `model labels ${JSON.stringify(json.labels)} differ from ${JSON.stringify(MODEL_LABELS)}`,
  );
  const tokenizer = json.tokenizer;
  check(
    tokenizer?.version === DEFAULT_TOKENIZER.version,
    `model tokenizer version ${tokenizer?.version} is not supported (expected ${DEFAULT_TOKENIZER.version})`,
  );
  check(
    typeof tokenizer.pairs === 'boolean' &&
      (tokenizer.cjk === 'bigrams' || tokenizer.cjk === 'unigrams+bigrams') &&
      Array.isArray(tokenizer.prefixed) &&
      Number.isInteger(tokenizer.shortValueMax) &&
      (tokenizer.hangul === undefined || tokenizer.hangul === 'words' || tokenizer.hangul === 'words+bigrams'),
    'model tokenizer settings are incomplete',
  );
  check(json.fit && Number.isFinite(json.fit.alpha) && json.fit.alpha > 0, 'model smoothing (fit.alpha) is missing or not a positive number');
  check(typeof json.partitions === 'object' && json.partitions !== null, 'model has no `partitions`');
  check(
    json.partitioning === undefined || json.partitioning === 'language' || json.partitioning === 'script',
    `model partitioning ${JSON.stringify(json.partitioning)} is not language or script`,
  );
  const partName = (name: string): boolean => (partitioningOf(json) === 'script' ? (SCRIPTS as readonly string[]).includes(name) : PART_NAME.test(name));
  for (const [script, part] of Object.entries(json.partitions)) {
    check(partName(script), `model has an unknown part \`${script}\``);
    check(
      Array.isArray(part.tokens) && Array.isArray(part.counts) && part.counts.length === CLASS_COUNT,
      `model part \`${script}\` is damaged (tokens or counts missing)`,
    );
    check(
      Array.isArray(part.documents) && part.documents.length === CLASS_COUNT && part.documents.every((n) => Number.isInteger(n) && n >= 0),
      `model part \`${script}\` has bad document counts`,
    );
    for (let c = 0; c < CLASS_COUNT; c++) {
      const column = part.counts[c]!;
      check(
        Array.isArray(column) && column.length === part.tokens.length,
        `model part \`${script}\` is damaged (${MODEL_LABELS[c]} counts do not line up with its ${part.tokens.length} tokens)`,
      );
      for (let i = 0; i < column.length; i++) {
        const n = column[i]!;
        if (!(Number.isInteger(n) && n >= 0))
          throw new ModelFormatError(`model part \`${script}\` has a bad ${MODEL_LABELS[c]} count for token ${JSON.stringify(part.tokens[i])}`);
      }
    }
    for (const token of part.tokens) if (typeof token !== 'string') throw new ModelFormatError(`model part \`${script}\` has a token that is not a string`);
  }
  for (const [key, value] of Object.entries(json.calibration ?? {})) {
    check(
      key === 'all' || partName(key) || (key.startsWith(WHOLE_IN) && PART_NAME.test(key.slice(WHOLE_IN.length))),
      `model has a calibration for an unknown part \`${key}\``,
    );
    check(isCalibration(value), `model calibration \`${key}\` is damaged`);
  }
  check(
    json.fit.kind === undefined || json.fit.kind === 'logistic' || json.fit.kind === 'naive-bayes',
    `model kind ${JSON.stringify(json.fit.kind)} is not logistic or naive-bayes`,
  );
  check(
    (json.fit.kind === 'logistic') === (json.weights !== undefined),
    json.weights === undefined ? 'model of kind logistic has no `weights`' : 'model has `weights` but is not of kind logistic',
  );
  if (json.weights !== undefined) {
    const w = json.weights;
    check(
      typeof w === 'object' && w !== null && Array.isArray(w.bias) && w.bias.length === CLASS_COUNT && w.bias.every(Number.isFinite),
      'model `weights` are damaged (bias)',
    );
    check(Array.isArray(w.tokens) && w.tokens.every((token) => typeof token === 'string'), 'model `weights` are damaged (tokens)');
    check(Array.isArray(w.values) && w.values.length === CLASS_COUNT, 'model `weights` are damaged (values)');
    for (let c = 0; c < CLASS_COUNT; c++) {
      const column = w.values[c]!;
      check(
        Array.isArray(column) && column.length === w.tokens.length,
        `model \`weights\` are damaged (${MODEL_LABELS[c]} values do not line up with its ${w.tokens.length} tokens)`,
      );
      for (let i = 0; i < column.length; i++)
        if (!Number.isFinite(column[i]))
          throw new ModelFormatError(`model \`weights\` have a bad ${MODEL_LABELS[c]} value for token ${JSON.stringify(w.tokens[i])}`);
    }
  }
  if (json.gate !== undefined) {
    const g = json.gate;
    check(
      typeof g === 'object' &&
        g !== null &&
        Number.isInteger(g.minLanguageLegit) &&
        g.minLanguageLegit >= 0 &&
        (g.minLanguageLabel === undefined || (Number.isInteger(g.minLanguageLabel) && g.minLanguageLabel >= 0)) &&
        Number.isInteger(g.minKnownTokens) &&
        g.minKnownTokens >= 0 &&
        Number.isFinite(g.minKnownShare) &&
        g.minKnownShare >= 0 &&
        g.minKnownShare <= 1,
      'model `gate` is damaged',
    );
  }
  if (json.languages !== undefined) {
    check(typeof json.languages === 'object' && json.languages !== null && !Array.isArray(json.languages), 'model `languages` is damaged');
    for (const [lang, counts] of Object.entries(json.languages)) {
      check(
        Array.isArray(counts) && counts.length === CLASS_COUNT && counts.every((n) => Number.isInteger(n) && n >= 0),
        `model language counts for \`${lang}\` are damaged`,
      );
    }
  }
  return json;
}

function partitioningOf(json: ModelJson): Partitioning {
  return json.partitioning ?? 'script';
}

/** One part of a model file as counts over `vocabulary` (its tokens are added to it). */
function countsOfPart(vocabulary: Vocabulary, part: PartitionJson): TokenCounts {
  const counts = new TokenCounts(vocabulary);
  counts.documents.splice(0, CLASS_COUNT, ...part.documents);
  for (let i = 0; i < part.tokens.length; i++) {
    const id = vocabulary.id(part.tokens[i]!);
    for (let c = 0; c < CLASS_COUNT; c++) counts.add(id, c, part.counts[c]![i]!);
  }
  return counts;
}

/** Parse a model file into its training state (for `train --update`). */
export function parseModel(text: string): ModelState {
  const json = readModelJson(text);
  const vocabulary = new Vocabulary();
  const partitions = new Map<string, TokenCounts>();
  for (const [name, part] of Object.entries(json.partitions)) partitions.set(name, countsOfPart(vocabulary, part));
  const calibrations = new Map<string, Calibration>(Object.entries(json.calibration ?? {}));
  const learned = new Map<string, Learned>();
  for (const [key, value] of Object.entries(json.learned ?? {})) {
    const label = Number(value.slice(0, 1));
    const slash = value.indexOf('/');
    const part = value.slice(1, slash < 0 ? undefined : slash);
    check(label >= 0 && label < CLASS_COUNT && part !== '', `model learned-id entry ${key} is damaged`);
    learned.set(key, { label, part, ...(slash >= 0 ? { lang: value.slice(slash + 1) } : {}) });
  }
  return {
    tokenizer: json.tokenizer,
    fit: json.fit,
    maxVocabulary: Number.isInteger(json.maxVocabulary) ? json.maxVocabulary : 1_000_000,
    trainedOn: String(json.trainedOn ?? ''),
    sources: Array.isArray(json.training?.sources) ? json.training.sources : [],
    vocabulary,
    partitioning: partitioningOf(json),
    partitions,
    calibrations,
    learned,
    languages: new Map(Object.entries(json.languages ?? {}).map(([lang, counts]) => [lang, [...counts]])),
    gate: { ...DEFAULT_GATE, ...json.gate },
    ...(json.weights ? { weights: weightsOf(json.weights, vocabulary) } : {}),
  };
}

/** What a summary says about a model file. */
export interface ModelInfo {
  trainedOn: string;
  sources: TrainingSource[];
}

/** What a model says of itself, for a run's summary. */
export interface ModelHeader {
  documents: number[];
  fingerprint: string;
  /** Why scans will not use it (too little data), if so. */
  untrusted?: string;
  info: ModelInfo;
}

/** Load a model file straight into a scorer: no per-token maps beyond the one index. */
export function loadScorer(text: string): { scorer: Scorer; info: ModelInfo } {
  const json = readModelJson(text);
  const alpha = json.fit.alpha;
  const documents = new Array<number>(CLASS_COUNT).fill(0);
  const parts = Object.entries(json.partitions);
  for (const [, part] of parts)
    part.documents.forEach((n, c) => {
      documents[c] = documents[c]! + n;
    });
  const sources = Array.isArray(json.training?.sources) ? json.training.sources : [];
  // One vocabulary for every part: a posting's tokens are looked up once, whichever part scores it.
  const vocabulary = new Vocabulary();
  // The logistic kind's tokens are entered now (the vocabulary must know them before the first posting is looked up).
  const weights = json.weights ? weightsOf(json.weights, vocabulary) : undefined;
  const scorer: Scorer = {
    tokenizer: json.tokenizer,
    vocabulary,
    partitioning: partitioningOf(json),
    byPart: new Map(),
    wholeIn: wholeCalibrations(new Map(Object.entries(json.calibration ?? {}))),
    whole: lazy(() => {
      if (weights) return logisticClassifier(weights, vocabulary, json.calibration?.all ?? IDENTITY_CALIBRATION);
      const counts = new TokenCounts(vocabulary);
      for (const [, part] of parts) counts.merge(countsOfPart(vocabulary, part));
      return buildClassifier(counts, alpha, json.calibration?.all ?? IDENTITY_CALIBRATION);
    }),
    documents,
    fingerprint: json.training?.fingerprint ?? '',
    ...(json.languages !== undefined ? { languages: new Map(Object.entries(json.languages)) } : {}),
    gate: { ...DEFAULT_GATE, ...json.gate },
  };
  for (const [name, part] of parts) {
    const calibration = json.calibration?.[name];
    if (name !== REST_PART && calibration && partitionUsable(part.documents))
      scorer.byPart.set(name, classifierFromColumns(part.tokens, part.counts, part.documents, alpha, calibration, vocabulary));
  }
  // The whole model (built when first needed) holds every part's tokens: the vocabulary must know
  // them all before the first posting is looked up in it.
  for (const [name, part] of parts) if (!scorer.byPart.has(name)) for (const token of part.tokens) vocabulary.id(token);
  const weak = weakness(documents);
  if (weak) scorer.untrusted = weak;
  return { scorer, info: { trainedOn: String(json.trainedOn ?? ''), sources } };
}
