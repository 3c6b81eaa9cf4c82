// Scoring: a finished model as a Scorer (the classifier per part or the whole, lazily built), the
// language and coverage gates that make it abstain, and a posting's calibrated probabilities at
// the base rates asked for, with the tokens that weighed most. No I/O.
import { languageGroup } from '../lang/detect.js';
import { atBaseRates, calibrate, type Calibration, type RawScores } from './calibration.js';
import { CLASS_COUNT, MODEL_LABELS } from './classes.js';
import { buildClassifier, explain, logisticClassifier, rawScoresOfIds, type Classifier } from './classifier.js';
import { knownTokenIds, type TokenIds, type Tokenized, type TokenizerSettings, TokenizerState } from './tokenize.js';
import { digest } from './train.js';
import type { Vocabulary } from './vocabulary.js';
import { type Gate, type ModelState, type Partitioning, partitionUsable, partOfLanguage, REST_PART, sumAll, weakness, WHOLE_IN } from './state.js';

/** A loaded model, ready to score postings. */
export interface Scorer {
  tokenizer: TokenizerSettings;
  /** Token strings and ids, shared by every classifier below. */
  vocabulary: Vocabulary;
  /** What tokenizing keeps from one posting to the next (word cache, scratch ids, field-value cache): this scorer's own. */
  tokenizerState: TokenizerState;
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

export function wholeCalibrations(calibrations: ReadonlyMap<string, Calibration>): Map<string, Calibration> {
  const out = new Map<string, Calibration>();
  for (const [key, value] of calibrations) if (key.startsWith(WHOLE_IN)) out.set(key.slice(WHOLE_IN.length), value);
  return out;
}

export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function toScorer(model: ModelState): Scorer {
  const alpha = model.fit.alpha;
  const whole = sumAll(model);
  const scorer: Scorer = {
    tokenizer: model.tokenizer,
    vocabulary: model.vocabulary,
    tokenizerState: new TokenizerState(),
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
  /** The report head's probability that the posting is a report (news, an advisory), not an offer; absent when the model has no head. */
  report?: number;
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
  return predictIds(scorer, knownTokenIds(fields, scorer.tokenizer, scorer.vocabulary, scorer.tokenizerState, context.folded), context);
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

function output(
  classifier: Classifier,
  raw: RawScores & { report?: number },
  ids: ArrayLike<number>,
  baseRates: ReadonlyArray<number | undefined> | undefined,
): ModelOutput {
  const calibrated = calibrate(raw, classifier.calibration);
  const p = baseRates ? atBaseRates(calibrated, classifier.calibration.shares, baseRates) : calibrated;
  let best = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (p[c]! > p[best]!) best = c;
  const probabilities: Record<string, number> = {};
  MODEL_LABELS.forEach((label, c) => {
    probabilities[label] = Number(p[c]!.toFixed(4));
  });
  const result: ModelOutput = { label: MODEL_LABELS[best]!, probabilities, classifier, ids };
  if (raw.report !== undefined) result.report = Number(raw.report.toFixed(4));
  return result;
}

export function explainPrediction(output: ModelOutput, label: string): { for: string[]; against: string[] } {
  return explain(output.classifier, output.ids, Math.max(0, (MODEL_LABELS as readonly string[]).indexOf(label)));
}
