// The model as a whole: per-script counts, calibrations, what it learned from, and the versioned
// file format (parse with clear errors, serialise deterministically). No I/O: callers read and write.
import { buildClassifier, calibrate, classifierFromColumns, CLASS_COUNT, Counts, explain, IDENTITY_CALIBRATION, MODEL_LABELS, rawScoresOfIds, type Calibration, type Classifier, type RawScores } from './naive-bayes.js';
import { DEFAULT_TOKENIZER, knownTokenIds, SCRIPTS, type Script, type TokenIds, type Tokenized, type TokenizerSettings } from './tokenize.js';
import { digest, fitCalibrationFor, type FitOptions, type TrainingDoc } from './train.js';
import { Vocabulary } from './vocabulary.js';

export const MODEL_FORMAT = 'lurescan-naive-bayes';
export const MODEL_VERSION = 1;

/** Fewer documents than this in a class and the model (or one script's part of it) is not trusted to score. */
export const MIN_CLASS_DOCUMENTS = 20;
/** A script's own part is used once it has this many documents; below that, the whole model scores it. */
export const MIN_PARTITION_DOCUMENTS = 300;

export interface TrainingSource {
  name: string;
  documents: number;
  fingerprint: string;
}

/** What the model learned from one posting id: its class and script, so relabelling can move it. */
interface Learned {
  label: number;
  script: Script;
}

export interface ModelState {
  tokenizer: TokenizerSettings;
  fit: FitOptions;
  maxVocabulary: number;
  trainedOn: string;
  sources: TrainingSource[];
  /** Token strings and ids, shared by every part's counts (tokenize training documents into it). */
  vocabulary: Vocabulary;
  /** Counts per script; the whole model is their sum. */
  partitions: Map<Script, Counts>;
  /** Calibrations for `all` and for every script part that is big enough. */
  calibrations: Map<Script | 'all', Calibration>;
  learned: Map<string, Learned>;
}

/** A model with nothing learned yet; pass `vocabulary` to share one between models (cross-validation). */
export function emptyModel(tokenizer: TokenizerSettings = DEFAULT_TOKENIZER, fitOptions: FitOptions, maxVocabulary: number, vocabulary = new Vocabulary()): ModelState {
  return { tokenizer, fit: fitOptions, maxVocabulary, trainedOn: '', sources: [], vocabulary, partitions: new Map(), calibrations: new Map(), learned: new Map() };
}

/** The whole model's counts: every script's part summed. */
export function sumAll(model: ModelState): Counts {
  const all = new Counts(model.vocabulary);
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
export function thinClasses(counts: Counts): string[] {
  return MODEL_LABELS.filter((_, c) => counts.documents[c]! > 0 && counts.documents[c]! < MIN_CLASS_DOCUMENTS).map(
    (label) => `${label} has only ${counts.documents[MODEL_LABELS.indexOf(label)]} documents`,
  );
}

/** A part with enough documents (per class) in at least two classes to score its own script. */
function partitionUsable(documents: readonly number[]): boolean {
  const total = documents.reduce((a, b) => a + b, 0);
  return total >= MIN_PARTITION_DOCUMENTS && documents.filter((n) => n >= MIN_CLASS_DOCUMENTS).length >= 2;
}

export interface LearnResult {
  added: number;
  moved: number;
  unchanged: number;
}

/**
 * Learn documents (tokenized into `model.vocabulary`) into the model. An id learned before with the
 * same class is not counted twice; with another class it is moved (its tokens, as given now, leave
 * the old class).
 */
export function learn(model: ModelState, docs: ReadonlyArray<TrainingDoc & { script: Script }>): LearnResult {
  const result: LearnResult = { added: 0, moved: 0, unchanged: 0 };
  const seen = new Set<string>();
  for (const doc of docs) {
    const key = digest(doc.id, 16);
    const before = model.learned.get(key);
    if (seen.has(key) || (before && before.label === doc.label)) {
      result.unchanged++;
      continue;
    }
    seen.add(key);
    if (before) {
      model.partitions.get(before.script)?.apply(doc.ids, before.label, -1);
      result.moved++;
    } else result.added++;
    let part = model.partitions.get(doc.script);
    if (!part) model.partitions.set(doc.script, (part = new Counts(model.vocabulary)));
    part.apply(doc.ids, doc.label);
    model.learned.set(key, { label: doc.label, script: doc.script });
  }
  return result;
}

/** Fewer new documents than this and an update keeps the calibrations it had. */
export const MIN_CALIBRATION_DOCUMENTS = 200;

/**
 * Fit the calibrations on this run's documents, each scored by the model without its fold, and cap
 * the vocabulary. An update with too few documents to calibrate on keeps the old calibrations.
 */
export function finish(model: ModelState, docs: ReadonlyArray<TrainingDoc & { script: Script }>): void {
  if (docs.length >= MIN_CALIBRATION_DOCUMENTS || model.calibrations.size === 0) {
    model.calibrations.set('all', fitCalibrationFor(sumAll(model), docs, model.fit));
    for (const script of SCRIPTS) {
      const part = model.partitions.get(script);
      const own = docs.filter((doc) => doc.script === script);
      if (!part || !partitionUsable(part.documents) || own.length < MIN_CALIBRATION_DOCUMENTS) continue;
      // One script's part holding everything is the whole model: same scores, same calibration.
      const whole = model.partitions.size === 1 && own.length === docs.length;
      model.calibrations.set(script, whole ? model.calibrations.get('all')! : fitCalibrationFor(part, own, model.fit));
    }
  }
  capVocabulary(model);
}

/** Keep the tokens found in most documents, at most `maxVocabulary` over all scripts, ties by token. */
function capVocabulary(model: ModelState): void {
  const total = [...model.partitions.values()].reduce((n, part) => n + part.size, 0);
  if (total <= model.maxVocabulary) return;
  const tokens = model.vocabulary.tokens;
  const frequency: Array<[string, Script, number, number]> = [];
  for (const [script, part] of model.partitions) {
    for (const id of part.ids()) {
      let n = 0;
      for (let c = 0; c < CLASS_COUNT; c++) n += part.count(id, c);
      frequency.push([tokens[id]!, script, n, id]);
    }
  }
  frequency.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  for (const [, script, , id] of frequency.slice(model.maxVocabulary)) model.partitions.get(script)!.remove(id);
}

/** A loaded model, ready to score postings. */
export interface Scorer {
  tokenizer: TokenizerSettings;
  /** Token strings and ids, shared by every classifier below. */
  vocabulary: Vocabulary;
  byScript: Map<Script, Classifier>;
  /** The whole model, for scripts without a part of their own; built on first use. */
  whole: () => Classifier;
  /** Set when the model is too small to trust; scans then report it instead of scoring with it. */
  untrusted?: string;
  documents: number[];
  fingerprint: string;
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
    whole: lazy(() => buildClassifier(whole, alpha, model.calibrations.get('all'))),
    byScript: new Map(),
    documents: [...whole.documents],
    fingerprint: digest(model.sources.map((s) => s.fingerprint).join(','), 16),
  };
  for (const [script, part] of model.partitions) {
    const calibration = model.calibrations.get(script);
    if (calibration && partitionUsable(part.documents)) scorer.byScript.set(script, buildClassifier(part, alpha, calibration));
  }
  const weak = weakness(whole.documents);
  if (weak) scorer.untrusted = weak;
  return scorer;
}

export interface ModelOutput {
  label: string;
  probabilities: Record<string, number>;
  classifier: Classifier;
  /** The posting's tokens the model knows, as ids in `scorer.vocabulary` (for `explainPrediction`). */
  ids: ArrayLike<number>;
}

/**
 * The model's calibrated probabilities for one posting's fields: its tokens are looked up in the
 * model's vocabulary by number (see tokenize.ts), and a field value seen before is not scanned again.
 */
export function predict(scorer: Scorer, fields: Readonly<Record<string, string>>): ModelOutput {
  return scoreIds(scorer, knownTokenIds(fields, scorer.tokenizer, scorer.vocabulary));
}

/** `predict` for a posting already tokenized into strings. */
export function predictTokens(scorer: Scorer, { features, script }: Tokenized): ModelOutput {
  const ids: number[] = [];
  for (const token of features) {
    const id = scorer.vocabulary.get(token);
    if (id !== undefined) ids.push(id);
  }
  return scoreIds(scorer, { ids, script });
}

/** The probabilities for a posting already tokenized into the scorer's vocabulary (`knownTokenIds`). */
export function predictIds(scorer: Scorer, tokens: TokenIds): Record<string, number> {
  return scoreIds(scorer, tokens).probabilities;
}

/** Scores by the part of the posting's script (or the whole model) from ids in `scorer.vocabulary`. */
function scoreIds(scorer: Scorer, { ids, script }: { ids: ArrayLike<number>; script: Script }): ModelOutput {
  const classifier = scorer.byScript.get(script) ?? scorer.whole();
  return output(classifier, rawScoresOfIds(classifier, ids), ids);
}

function output(classifier: Classifier, raw: RawScores, ids: ArrayLike<number>): ModelOutput {
  const p = calibrate(raw, classifier.calibration);
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
  partitions: Record<string, PartitionJson>;
  /** Hashed posting id → class index and script, for `--update`. */
  learned: Record<string, string>;
}

/** The model as JSON text: sorted everywhere, so the same training gives the same bytes. */
export function serializeModel(model: ModelState): string {
  const whole = sumAll(model);
  const partitions: Record<string, PartitionJson> = {};
  const vocabulary = model.vocabulary.tokens;
  for (const script of SCRIPTS) {
    const part = model.partitions.get(script);
    if (!part) continue;
    const ids = [...part.ids()].sort((a, b) => (vocabulary[a]! < vocabulary[b]! ? -1 : vocabulary[a]! > vocabulary[b]! ? 1 : 0));
    partitions[script] = {
      documents: [...part.documents],
      tokens: ids.map((id) => vocabulary[id]!),
      counts: MODEL_LABELS.map((_, c) => ids.map((id) => part.count(id, c))),
    };
  }
  const calibration: Record<string, Calibration> = {};
  for (const key of ['all', ...SCRIPTS] as const) {
    const value = model.calibrations.get(key);
    if (value) calibration[key] = value;
  }
  const learned: Record<string, string> = {};
  for (const key of [...model.learned.keys()].sort()) {
    const entry = model.learned.get(key)!;
    learned[key] = `${entry.label}${entry.script}`;
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
    partitions,
    learned,
  };
  return `${JSON.stringify(json)}\n`;
}

export class ModelFormatError extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ModelFormatError(message);
}

function isCalibration(value: unknown): value is Calibration {
  const c = value as Calibration;
  return typeof c === 'object' && c !== null && Number.isFinite(c.scale) && Number.isFinite(c.lengthPower) && Array.isArray(c.bias) && c.bias.length === CLASS_COUNT && c.bias.every(Number.isFinite);
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
  check(json.version === MODEL_VERSION, `model format version ${json.version} is not supported by this lurescan (it reads version ${MODEL_VERSION}); retrain with \`lurescan train\``);
  check(Array.isArray(json.labels) && json.labels.join() === MODEL_LABELS.join(), `model labels ${JSON.stringify(json.labels)} differ from ${JSON.stringify(MODEL_LABELS)}`);
  const tokenizer = json.tokenizer;
  check(tokenizer?.version === DEFAULT_TOKENIZER.version, `model tokenizer version ${tokenizer?.version} is not supported (expected ${DEFAULT_TOKENIZER.version})`);
  check(typeof tokenizer.pairs === 'boolean' && (tokenizer.cjk === 'bigrams' || tokenizer.cjk === 'unigrams+bigrams') && Array.isArray(tokenizer.prefixed) && Number.isInteger(tokenizer.shortValueMax), 'model tokenizer settings are incomplete');
  check(json.fit && Number.isFinite(json.fit.alpha) && json.fit.alpha > 0, 'model smoothing (fit.alpha) is missing or not a positive number');
  check(typeof json.partitions === 'object' && json.partitions !== null, 'model has no `partitions`');
  for (const [script, part] of Object.entries(json.partitions)) {
    check((SCRIPTS as readonly string[]).includes(script), `model has an unknown script part \`${script}\``);
    check(Array.isArray(part.tokens) && Array.isArray(part.counts) && part.counts.length === CLASS_COUNT, `model part \`${script}\` is damaged (tokens or counts missing)`);
    check(Array.isArray(part.documents) && part.documents.length === CLASS_COUNT && part.documents.every((n) => Number.isInteger(n) && n >= 0), `model part \`${script}\` has bad document counts`);
    for (let c = 0; c < CLASS_COUNT; c++) {
      const column = part.counts[c]!;
      check(Array.isArray(column) && column.length === part.tokens.length, `model part \`${script}\` is damaged (${MODEL_LABELS[c]} counts do not line up with its ${part.tokens.length} tokens)`);
      for (let i = 0; i < column.length; i++) {
        const n = column[i]!;
        if (!(Number.isInteger(n) && n >= 0)) throw new ModelFormatError(`model part \`${script}\` has a bad ${MODEL_LABELS[c]} count for token ${JSON.stringify(part.tokens[i])}`);
      }
    }
    for (const token of part.tokens) if (typeof token !== 'string') throw new ModelFormatError(`model part \`${script}\` has a token that is not a string`);
  }
  for (const [key, value] of Object.entries(json.calibration ?? {})) {
    check(key === 'all' || (SCRIPTS as readonly string[]).includes(key), `model has a calibration for an unknown part \`${key}\``);
    check(isCalibration(value), `model calibration \`${key}\` is damaged`);
  }
  return json;
}

/** One script's part of a model file as counts over `vocabulary` (its tokens are added to it). */
function countsOfPart(vocabulary: Vocabulary, part: PartitionJson): Counts {
  const counts = new Counts(vocabulary);
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
  const partitions = new Map<Script, Counts>();
  for (const [script, part] of Object.entries(json.partitions)) partitions.set(script as Script, countsOfPart(vocabulary, part));
  const calibrations = new Map<Script | 'all', Calibration>(Object.entries(json.calibration ?? {}) as Array<[Script | 'all', Calibration]>);
  const learned = new Map<string, Learned>();
  for (const [key, value] of Object.entries(json.learned ?? {})) {
    const label = Number(value.slice(0, 1));
    const script = value.slice(1) as Script;
    check(label >= 0 && label < CLASS_COUNT && SCRIPTS.includes(script), `model learned-id entry ${key} is damaged`);
    learned.set(key, { label, script });
  }
  return {
    tokenizer: json.tokenizer,
    fit: json.fit,
    maxVocabulary: Number.isInteger(json.maxVocabulary) ? json.maxVocabulary : 1_000_000,
    trainedOn: String(json.trainedOn ?? ''),
    sources: Array.isArray(json.training?.sources) ? json.training.sources : [],
    vocabulary,
    partitions,
    calibrations,
    learned,
  };
}

/** What a summary says about a model file. */
export interface ModelInfo {
  trainedOn: string;
  sources: TrainingSource[];
}

/** Load a model file straight into a scorer: no per-token maps beyond the one index (fast start). */
export function loadScorer(text: string): { scorer: Scorer; info: ModelInfo } {
  const json = readModelJson(text);
  const alpha = json.fit.alpha;
  const documents = new Array<number>(CLASS_COUNT).fill(0);
  const parts = Object.entries(json.partitions) as Array<[Script, PartitionJson]>;
  for (const [, part] of parts) part.documents.forEach((n, c) => (documents[c] = documents[c]! + n));
  const sources = Array.isArray(json.training?.sources) ? json.training.sources : [];
  // One vocabulary for every part: a posting's tokens are looked up once, whichever part scores it.
  const vocabulary = new Vocabulary();
  const scorer: Scorer = {
    tokenizer: json.tokenizer,
    vocabulary,
    byScript: new Map(),
    whole: lazy(() => {
      const counts = new Counts(vocabulary);
      for (const [, part] of parts) counts.merge(countsOfPart(vocabulary, part));
      return buildClassifier(counts, alpha, json.calibration?.all ?? IDENTITY_CALIBRATION);
    }),
    documents,
    fingerprint: json.training?.fingerprint ?? '',
  };
  for (const [script, part] of parts) {
    const calibration = json.calibration?.[script];
    if (calibration && partitionUsable(part.documents)) scorer.byScript.set(script, classifierFromColumns(part.tokens, part.counts, part.documents, alpha, calibration, vocabulary));
  }
  // The whole model (built when first needed) holds every part's tokens: the vocabulary must know
  // them all before the first posting is looked up in it.
  for (const [script, part] of parts) if (!scorer.byScript.has(script)) for (const token of part.tokens) vocabulary.id(token);
  const weak = weakness(documents);
  if (weak) scorer.untrusted = weak;
  return { scorer, info: { trainedOn: String(json.trainedOn ?? ''), sources } };
}
