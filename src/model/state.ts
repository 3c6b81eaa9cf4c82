// The model's state: its parts (counts per language, or per script in version 1 files), the
// calibrations, the logistic weights, what it learned from, and the thresholds that say when a
// part or a class has enough documents. Training (learn.ts), scoring (scorer.ts) and the file
// format (model-file.ts) share it. No I/O.
import { languageGroup } from '../lang/detect.js';
import type { Calibration } from './calibration.js';
import { MODEL_LABELS } from './classes.js';
import { TokenCounts } from './counts.js';
import { DEFAULT_TOKENIZER, type TokenizerSettings } from './tokenize.js';
import type { LogisticWeights } from './logistic.js';
import type { FitOptions } from './train.js';
import { Vocabulary } from './vocabulary.js';

export const MODEL_FORMAT = 'lurescan-naive-bayes';
export const MODEL_VERSION = 3;

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
export interface Learned {
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
export function partitionUsable(documents: readonly number[]): boolean {
  const total = documents.reduce((a, b) => a + b, 0);
  return total >= MIN_PARTITION_DOCUMENTS && documents.filter((n) => n >= MIN_CLASS_DOCUMENTS).length >= 2;
}

/** Calibration keys `all@<group>`: the whole model as it scores one language group without a part of its own. */
export const WHOLE_IN = 'all@';
