// `lurescan rescore`: learn every rule's points (and the model's level points) from labelled
// postings, report precision, recall and the false-positive rate before and after, overall and per
// group, and write the scoring file. Reads the flags and the labelled inputs;
// toolkit/rescore-inputs.ts loads the rules and the model, toolkit/rescore.ts scores, fits and
// counts (through the code a scan runs), toolkit/rescore-report.ts renders the table.
import path from 'node:path';
import { displayPath } from '../display-path.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { writeWholeFile } from '../run/output-files.js';
import { assembleRuleFiles } from '../run/rules.js';
import { DEFAULT_FIT_OPTIONS } from '../score/fit.js';
import { rescore, rescoredScoringText, type RescoreRun } from '../toolkit/rescore.js';
import { countedBy, loadRescoreRules, scorersFor, scoringTarget } from '../toolkit/rescore-inputs.js';
import { formatRescoreTable } from '../toolkit/rescore-report.js';
import { LurescanError } from '../types.js';
import { reproducingCommand, type RescoreOptions } from './commands/rescore.js';
import { colorFor, labelledReadOptions, parseFolds, parseGrouping, parseReportsOption, parseTargetFpr, withBaseRates } from './flags.js';
import { EXIT_OK, type CliIO } from './io.js';
import { describeSkipped, readLabelled } from '../input/labelled.js';
import { DEFAULT_MAX_VOCABULARY } from '../model/train.js';

export type { RescoreReport } from '../toolkit/rescore-report.js';

export async function runRescore(inputs: string[], options: RescoreOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new LurescanError('USAGE', `--format must be table or json (got \`${format}\`)`);
  const by = parseGrouping(options.by);
  const folds = parseFolds(options.folds, options.model);
  const { targetFpr, labelTargets } = parseTargetFpr(options.targetFpr, DEFAULT_FIT_OPTIONS.targetFpr);
  const location = options.rules ?? DEFAULT_RULES_DIR;
  const { files, ruleset } = await loadRescoreRules(location);
  const scoring = withBaseRates(ruleset.scoring, options.baseRate);
  const set = await readLabelled(inputs, labelledReadOptions(options, io));
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to learn from (see the skipped lines above)');
  const counted = countedBy(
    options.fprOn,
    set.docs.map((d) => d.posting.source.file),
  );
  const isReport = parseReportsOption(options.reports);
  if (isReport && folds === undefined)
    throw new LurescanError('USAGE', '--reports trains the report head of the fold models: it needs --folds (a model file brings its own head)');
  const model = { file: options.model, folds, maxVocabulary: DEFAULT_MAX_VOCABULARY, isReport };
  const { scorers, name: modelName } = await scorersFor(model, set.docs, io.cwd, (message) => io.stderr.write(`lurescan: warning: ${message}\n`));
  const progress = io.stderr.isTTY === true && set.docs.length > 2000;
  const fprOn = options.fprOn?.length ? options.fprOn.map((file) => displayPath(file, io.cwd)) : undefined;
  const run: RescoreRun = {
    files,
    ruleset,
    scoring,
    docs: set.docs,
    sources: set.sources,
    skipped: [...set.skipped.values()].reduce((n, s) => n + s.count, 0),
    counted,
    scorers,
    modelName,
    // Out of fold, the head's probabilities are honest: the fit mutes what a scan would mute.
    muteInFit: isReport !== undefined,
    fit: options.fit === 'new' ? 'new' : 'all',
    by,
    targetFpr,
    ...(labelTargets ? { labelTargets } : {}),
    targetInputs: fprOn ?? 'all',
    displayFile: (file) => displayPath(file, io.cwd),
    ...(progress ? { onProgress: (scored: number, total: number) => io.stderr.write(`\rlurescan: scored ${scored} of ${total}  `) } : {}),
  };
  const result = rescore(run);
  if (progress) io.stderr.write('\r\x1b[K');
  const { report } = result;

  const targets = [...(options.out ? [path.resolve(options.out)] : []), ...(options.write ? [await scoringTarget(location, ruleset)] : [])];
  // With --fit new and no new rule that fired, the file would change by an empty record only.
  const nothingNew = run.fit === 'new' && report.rules.fitted === 0;
  if (nothingNew && targets.length > 0)
    io.stderr.write('lurescan: --fit new: no rule without learned points fired on these postings; the scoring file is left as it is\n');
  if (targets.length > 0 && !nothingNew) {
    const text = await rescoredScoringText(run, result, { command: reproducingCommand(inputs, options), ...(fprOn ? { fprOn } : {}) }, (files) =>
      assembleRuleFiles(files),
    );
    for (const target of [...new Set(targets)]) {
      await writeWholeFile(target, text);
      report.written.push(displayPath(target, io.cwd));
    }
  }

  io.stdout.write(
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatRescoreTable(report, colorFor(options.color, io.env, io.stdout.isTTY === true)),
  );
  return EXIT_OK;
}
