// The versioned model file: serialised deterministically, read back with a clear error for every
// kind of damage (ModelFormatError), and loaded as a Scorer. No I/O: callers read and write.
import { LurescanError } from '../contracts/errors.js';
import { IDENTITY_CALIBRATION, type Calibration } from './calibration.js';
import { CLASS_COUNT, MODEL_LABELS } from './classes.js';
import { buildClassifier, classifierFromColumns, logisticClassifier } from './classifier.js';
import { TokenCounts } from './counts.js';
import { SCRIPTS, type TokenizerSettings, TokenizerState } from './tokenize.js';
import { roundWeight, type LogisticWeights } from './logistic.js';
import { digest, type FitOptions } from './train.js';
import { Vocabulary } from './vocabulary.js';
import { lazy, wholeCalibrations } from './scorer.js';
import {
  DEFAULT_GATE,
  type Gate,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelState,
  type Partitioning,
  partitionUsable,
  REST_PART,
  sumAll,
  type TrainingSource,
  weakness,
  WHOLE_IN,
  type Learned,
} from './state.js';
import type { Scorer } from './scorer.js';

/** Version 1 files (no per-language counts, no calibration shares) are still read: no language gate, no base-rate restating. */
const READABLE_VERSIONS = [1, 2, 3];

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
  /** The report head (report-head.ts): its weights aligned with `tokens`; absent when the training data marked no reports. */
  report?: { bias: number; values: number[]; documents: number[] };
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
  const report = weights.report;
  return {
    bias: [...weights.bias],
    tokens: ids.map((id) => vocabulary[id]!),
    values: MODEL_LABELS.map((_, c) => ids.map((id) => roundWeight(table[id * CLASS_COUNT + c]!))),
    ...(report
      ? {
          report: {
            bias: report.bias,
            values: ids.map((id) => (Number.isNaN(report.table[id]!) ? 0 : roundWeight(report.table[id]!))),
            documents: [...report.documents],
          },
        }
      : {}),
  };
}

/** A file's weights over `vocabulary` (their tokens are added to it). */
function weightsOf(json: WeightsJson, vocabulary: Vocabulary): LogisticWeights {
  const ids = json.tokens.map((token) => vocabulary.id(token));
  const table = new Float64Array(vocabulary.size * CLASS_COUNT).fill(NaN);
  ids.forEach((id, i) => {
    for (let c = 0; c < CLASS_COUNT; c++) table[id * CLASS_COUNT + c] = json.values[c]![i]!;
  });
  const weights: LogisticWeights = { bias: [...json.bias], table };
  if (json.report) {
    const head = new Float64Array(vocabulary.size).fill(NaN);
    ids.forEach((id, i) => {
      head[id] = json.report!.values[i]!;
    });
    weights.report = { bias: json.report.bias, table: head, documents: [json.report.documents[0]!, json.report.documents[1]!] };
  }
  return weights;
}

/** A model file that is damaged or not a model: callers name the file (code MODEL_INVALID). */
export class ModelFormatError extends LurescanError {
  constructor(message: string) {
    super('MODEL_INVALID', message);
    this.name = 'ModelFormatError';
  }
}

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
    tokenizer?.version === 1 || tokenizer?.version === 2,
    `model tokenizer version ${tokenizer?.version} is not supported (this lurescan reads 1 and 2); retrain with \`lurescan train\``,
  );
  check(
    typeof tokenizer.pairs === 'boolean' &&
      (tokenizer.cjk === 'bigrams' || tokenizer.cjk === 'unigrams+bigrams') &&
      Array.isArray(tokenizer.prefixed) &&
      Number.isInteger(tokenizer.shortValueMax) &&
      (tokenizer.version === 1 ? tokenizer.hangul === undefined : tokenizer.hangul === 'words' || tokenizer.hangul === 'words+bigrams'),
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
    if (w.report !== undefined) {
      const r = w.report;
      check(
        typeof r === 'object' &&
          r !== null &&
          Number.isFinite(r.bias) &&
          Array.isArray(r.documents) &&
          r.documents.length === 2 &&
          r.documents.every((n) => Number.isInteger(n) && n >= 0),
        'model report head is damaged (bias or documents)',
      );
      check(
        Array.isArray(r.values) && r.values.length === w.tokens.length,
        `model report head is damaged (its values do not line up with the ${w.tokens.length} tokens)`,
      );
      for (let i = 0; i < r.values.length; i++)
        if (!Number.isFinite(r.values[i])) throw new ModelFormatError(`model report head has a bad value for token ${JSON.stringify(w.tokens[i])}`);
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
    tokenizerState: new TokenizerState(),
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
