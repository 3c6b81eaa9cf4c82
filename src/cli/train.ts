// `lurescan train`: learn labelled postings into a new model file or, with --update, into an existing one.
import { stat } from 'node:fs/promises';
import { emptyModel, serializeModel, type ModelState } from '../model/model.js';
import { MIN_REPORT_DOCUMENTS } from '../model/report-head.js';
import { DEFAULT_TOKENIZER } from '../model/tokenize.js';
import { DEFAULT_FIT, DEFAULT_MAX_VOCABULARY, fitOf, kindOf, MAX_CALIBRATION_IDS, MODEL_KINDS, type ModelKind } from '../model/train.js';
import { LurescanError } from '../types.js';
import { loadModelFile, modelState } from '../run/model-file.js';
import { MAX_MODEL_BYTES } from '../run/model-tables.js';
import { writeWholeFile } from '../run/output-files.js';
import { TrainingRun } from '../run/training.js';
import { reportHeadLine, trainedLines, trainingSampleLine } from '../report/run-lines.js';
import { displayPath } from '../display-path.js';
import { formatBytes } from '../format-bytes.js';
import type { TrainOptions } from './commands/train.js';
import { labelledReadOptions, parseReportsOption, parseTrainingDate, positiveNumber } from './flags.js';
import { EXIT_OK, type CliIO } from './io.js';

/** The most tokens a model may keep: at about 40 bytes a token, its file stays well under MAX_MODEL_BYTES. */
const MAX_VOCABULARY_LIMIT = 2_000_000;

/** The model to learn into: the --update file's (naive Bayes only), or a new one of --kind. */
async function modelToTrain(options: TrainOptions, io: CliIO): Promise<ModelState> {
  if (options.update !== undefined) {
    if (options.alpha !== undefined || options.maxVocabulary !== undefined || options.kind !== undefined)
      throw new LurescanError('USAGE', '--kind, --alpha and --max-vocabulary are fixed by the model being updated');
    const model = modelState(await loadModelFile(options.update, io.cwd));
    if (kindOf(model.fit) === 'logistic')
      throw new LurescanError(
        'USAGE',
        `--update ${displayPath(options.update, io.cwd)}: the model is of kind logistic, whose weights are fitted on all its training postings at once and cannot take more one by one; train a new model from all the postings, or train with --kind naive-bayes for a model --update can add to`,
      );
    return model;
  }
  const kind = options.kind ?? DEFAULT_FIT.kind!;
  if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw new LurescanError('USAGE', `--kind must be one of ${MODEL_KINDS.join(', ')} (got \`${kind}\`)`);
  const alpha = positiveNumber(options.alpha, '--alpha', false) ?? DEFAULT_FIT.alpha;
  const maxVocabulary = positiveNumber(options.maxVocabulary, '--max-vocabulary', true) ?? DEFAULT_MAX_VOCABULARY;
  if (maxVocabulary > MAX_VOCABULARY_LIMIT)
    throw new LurescanError(
      'USAGE',
      `--max-vocabulary must be at most ${MAX_VOCABULARY_LIMIT} (got ${maxVocabulary}): a larger model would pass the ${formatBytes(MAX_MODEL_BYTES)} a model file may take, and adds little`,
    );
  return emptyModel(DEFAULT_TOKENIZER, fitOf(kind as ModelKind, alpha), maxVocabulary);
}

export async function runTrain(inputs: string[], options: TrainOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const out = options.out ?? options.update;
  if (out === undefined) throw new LurescanError('USAGE', 'name the model file to write with --out <file> (or learn into one with --update <file>)');
  const date = parseTrainingDate(options.date, io.env);
  const model = await modelToTrain(options, io);
  const isReport = parseReportsOption(options.reports);
  if (isReport && kindOf(model.fit) !== 'logistic') throw new LurescanError('USAGE', '--reports: only a model of kind logistic has a report head');
  if (options.reportHeadOnly !== undefined && !isReport)
    throw new LurescanError('USAGE', '--report-head-only trains the report head: it needs --reports <column=value> to say which postings are reports');
  if (options.minLanguageLegit !== undefined) model.gate.minLanguageLegit = positiveNumber(options.minLanguageLegit, '--min-language-legit', true)!;
  if (options.minLanguageLabel !== undefined) model.gate.minLanguageLabel = positiveNumber(options.minLanguageLabel, '--min-language-label', true)!;
  const isFolder = (s: { isDirectory(): boolean }) => s.isDirectory();
  if (await stat(out).then(isFolder, () => false)) throw new LurescanError('USAGE', `--out ${out} is a folder; name a file`);
  const run = new TrainingRun(model, isReport);
  const readOptions = labelledReadOptions(options, io);
  const warn = (note: string) => (line: string) => io.stderr.write(`lurescan: ${note}${line}\n`);
  const sources = await run.read(inputs, readOptions, warn(''));
  if (run.offered === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to learn from (see the skipped lines above)');
  if (run.sampled) io.stderr.write(trainingSampleLine(kindOf(model.fit) === 'logistic', run.fitted, run.offered, MAX_CALIBRATION_IDS));
  if (options.reportHeadOnly) sources.push(...(await run.read(options.reportHeadOnly, readOptions, warn('--report-head-only: '), true)));
  await run.finish(sources);
  if (isReport) io.stderr.write(reportHeadLine(model.weights?.report?.documents, run.reports, MIN_REPORT_DOCUMENTS));
  model.trainedOn = date;
  const text = serializeModel(model);
  await writeWholeFile(out, text);

  const { perClass, tokens, warnings } = run.describe();
  const file = { file: displayPath(out, io.cwd), perClass, tokens, bytes: Buffer.byteLength(text) };
  io.stderr.write(trainedLines({ offered: run.offered, ...run.result }, file, (Date.now() - started) / 1000));
  for (const warning of warnings) io.stderr.write(`lurescan: warning: ${warning}\n`);
  return EXIT_OK;
}
