// `lurescan train`: learn labelled postings into a new model file or, with --update, into an existing one.
import { positiveNumber } from './flags.js';
import { stat } from 'node:fs/promises';
import { emptyModel, finish, learn, serializeModel, sumAll, thinClasses, weakness, type LearnResult, type ModelState } from '../model/model.js';
import { MODEL_LABELS } from '../model/classes.js';
import { DEFAULT_TOKENIZER, TokenizerState, tokenizeToIds } from '../model/tokenize.js';
import { adGroup, CalibrationSample, DEFAULT_FIT, fitOf, kindOf, MAX_CALIBRATION_IDS, MODEL_KINDS, type ModelKind, type TrainingDoc } from '../model/train.js';
import { postingLanguage } from '../lang/detect.js';
import { LurescanError, type Posting } from '../types.js';
import { writeWholeFile } from '../run/output-files.js';
import type { CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { loadModelFile, modelState } from '../run/model-file.js';
import { displayPath } from '../display-path.js';
import { MAX_MODEL_BYTES } from '../run/model-tables.js';
import { formatBytes } from '../format-bytes.js';
import { MIN_REPORT_DOCUMENTS } from '../model/report-head.js';

export interface TrainOptions extends LabelledOptions {
  out?: string;
  update?: string;
  date?: string;
  kind?: string;
  alpha?: string;
  maxVocabulary?: string;
  minLanguageLegit?: string;
  minLanguageLabel?: string;
  /** `column=value` (or `meta.<key>=value`): legitimate postings that are reports, which train the report head. */
  reports?: string;
}

/** `--reports column=value`: a test of a posting; the column is a field or `meta.<key>`, values compared case-blind. */
export function parseReportsOption(spec: string | undefined): ((posting: Posting) => boolean) | undefined {
  if (spec === undefined) return undefined;
  const eq = spec.indexOf('=');
  const column = spec.slice(0, eq).trim();
  const values = new Set(
    spec
      .slice(eq + 1)
      .split(',')
      .map((value) => value.trim().toLowerCase())
      .filter((value) => value !== ''),
  );
  if (eq <= 0 || column === '' || values.size === 0 || column === 'meta.')
    throw new LurescanError('USAGE', `--reports must be column=value or meta.<key>=value, e.g. meta.genre=report (got \`${spec}\`)`);
  const meta = column.startsWith('meta.') ? column.slice(5) : undefined;
  return (posting) => {
    const value = meta !== undefined ? posting.meta?.[meta] : posting.fields[column];
    return value !== undefined && values.has(value.trim().toLowerCase());
  };
}

export const DEFAULT_MAX_VOCABULARY = 400_000;

/** The training date: --date, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC). */
function trainingDate(option: string | undefined, env: CliIO['env']): string {
  if (option !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(option) || Number.isNaN(Date.parse(option)))
      throw new LurescanError('USAGE', `--date must be YYYY-MM-DD (got \`${option}\`)`);
    return option;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().slice(0, 10);
  return new Date().toISOString().slice(0, 10);
}

/** The most tokens a model may keep: at about 40 bytes a token, its file stays well under MAX_MODEL_BYTES. */
const MAX_VOCABULARY_LIMIT = 2_000_000;

export async function runTrain(inputs: string[], options: TrainOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const out = options.out ?? options.update;
  if (out === undefined) throw new LurescanError('USAGE', 'name the model file to write with --out <file> (or learn into one with --update <file>)');
  const date = trainingDate(options.date, io.env);
  let model: ModelState;
  if (options.update !== undefined) {
    if (options.alpha !== undefined || options.maxVocabulary !== undefined || options.kind !== undefined)
      throw new LurescanError('USAGE', '--kind, --alpha and --max-vocabulary are fixed by the model being updated');
    model = modelState(await loadModelFile(options.update, io.cwd));
    if (kindOf(model.fit) === 'logistic') {
      throw new LurescanError(
        'USAGE',
        `--update ${displayPath(options.update, io.cwd)}: the model is of kind logistic, whose weights are fitted on all its training postings at once and cannot take more one by one; train a new model from all the postings, or train with --kind naive-bayes for a model --update can add to`,
      );
    }
  } else {
    const kind = options.kind ?? DEFAULT_FIT.kind!;
    if (!(MODEL_KINDS as readonly string[]).includes(kind))
      throw new LurescanError('USAGE', `--kind must be one of ${MODEL_KINDS.join(', ')} (got \`${kind}\`)`);
    const alpha = positiveNumber(options.alpha, '--alpha', false) ?? DEFAULT_FIT.alpha;
    const maxVocabulary = positiveNumber(options.maxVocabulary, '--max-vocabulary', true) ?? DEFAULT_MAX_VOCABULARY;
    if (maxVocabulary > MAX_VOCABULARY_LIMIT)
      throw new LurescanError(
        'USAGE',
        `--max-vocabulary must be at most ${MAX_VOCABULARY_LIMIT} (got ${maxVocabulary}): a larger model would pass the ${formatBytes(MAX_MODEL_BYTES)} a model file may take, and adds little`,
      );
    model = emptyModel(DEFAULT_TOKENIZER, fitOf(kind as ModelKind, alpha), maxVocabulary);
  }
  const isReport = parseReportsOption(options.reports);
  if (isReport && kindOf(model.fit) !== 'logistic') throw new LurescanError('USAGE', '--reports: only a model of kind logistic has a report head');
  if (options.minLanguageLegit !== undefined) model.gate.minLanguageLegit = positiveNumber(options.minLanguageLegit, '--min-language-legit', true)!;
  if (options.minLanguageLabel !== undefined) model.gate.minLanguageLabel = positiveNumber(options.minLanguageLabel, '--min-language-label', true)!;
  try {
    if ((await stat(out)).isDirectory()) throw new LurescanError('USAGE', `--out ${out} is a folder; name a file`);
  } catch (error) {
    if (error instanceof LurescanError) throw error;
  }

  // Each posting is tokenized as it is read and learned in chunks; only the token ids calibration
  // needs are kept, up to MAX_CALIBRATION_IDS (train.ts): memory stays bounded, not by the text.
  const sample = new CalibrationSample<TrainingDoc & { script: string }>();
  const seen = new Set<string>();
  const result: LearnResult = { added: 0, moved: 0, unchanged: 0 };
  let pending: Array<TrainingDoc & { script: string }> = [];
  const learnPending = (): void => {
    const learned = learn(model, pending, seen);
    result.added += learned.added;
    result.moved += learned.moved;
    result.unchanged += learned.unchanged;
    pending = [];
  };
  const tokenizerState = new TokenizerState();
  let reports = 0;
  const set = await readLabelled(inputs, options, io, ({ posting, label }) => {
    const { ids, script } = tokenizeToIds(posting.fields, model.tokenizer, model.vocabulary, tokenizerState);
    // Re-posted copies of one ad share a group, so calibration never scores an ad with itself.
    // Counted under the language the input states (meta.lang) where it does: a writer's Taglish or
    // Hinglish ad is Tagalog or Hindi data even when the detector hears the English in it.
    const lang = posting.meta?.lang?.trim() || postingLanguage(posting.fields).lang;
    const doc: TrainingDoc & { script: string } = { id: posting.id, ids, script, label, group: adGroup(posting.fields, posting.meta), lang };
    // Only a legitimate text is a report: a lure in a reporter's voice is still an offer.
    if (isReport && label === 0 && isReport(posting)) {
      doc.report = true;
      reports++;
    }
    pending.push(doc);
    // Calibration needs no id, and a posting's id can be a slice of the reader's whole chunk of
    // text: kept, it would keep that text alive (at 16 copies of 58.com, the whole 268 MB file).
    sample.add({ ...doc, id: '' });
    if (pending.length >= 1024) learnPending();
  });
  learnPending();
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (sample.offered === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to learn from (see the skipped lines above)');
  const calibration = sample.docs;
  if (sample.sampled) {
    // The logistic fit needs every posting's tokens at once, as calibration does: both use the sample.
    const logistic = kindOf(model.fit) === 'logistic';
    const what = logistic ? 'fitting the weights and calibrating' : 'calibrating';
    const counted = logistic
      ? `all ${sample.offered} are counted in the model's per-language counts (its abstention gate)`
      : `all ${sample.offered} are counted in the model`;
    io.stderr.write(
      `lurescan: ${what} on ${calibration.length} of ${sample.offered} postings (whole ad groups, by hash): the rest would pass the ${MAX_CALIBRATION_IDS / 1e6}M token ids training keeps in memory; ${counted}\n`,
    );
  }
  finish(model, calibration);
  if (isReport) {
    const head = model.weights?.report;
    io.stderr.write(
      head
        ? `lurescan: report head: ${head.documents[1]} reports against ${head.documents[0]} offers\n`
        : `lurescan: warning: no report head: ${reports} posting(s) matched --reports, it needs ${MIN_REPORT_DOCUMENTS} in the postings fitted on\n`,
    );
  }
  model.trainedOn = date;
  const known = new Set(model.sources.map((s) => `${s.name}\u0000${s.fingerprint}`));
  for (const source of set.sources) if (!known.has(`${source.name}\u0000${source.fingerprint}`)) model.sources.push(source);

  const text = serializeModel(model);
  await writeWholeFile(out, text);

  const whole = sumAll(model);
  const perClass = MODEL_LABELS.map((label, c) => `${label} ${whole.documents[c]}`).join(', ');
  io.stderr.write(
    `lurescan: learned ${sample.offered} labelled postings: ${result.added} new, ${result.moved} moved to a new label, ${result.unchanged} already learned with that label\n` +
      `  model ${displayPath(out, io.cwd)}: ${perClass}; ${whole.size} tokens; ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB; ${((Date.now() - started) / 1000).toFixed(2)} s\n`,
  );
  for (const thin of thinClasses(whole)) io.stderr.write(`lurescan: warning: ${thin}; its probabilities rest on little evidence\n`);
  const weak = weakness(whole.documents);
  if (weak) io.stderr.write(`lurescan: warning: scans will not use this model: ${weak}\n`);
  return 0;
}
