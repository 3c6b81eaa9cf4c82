// `lurescan eval`: how well rules, model and both together label a labelled corpus, overall and per
// language. The scoring and counting are toolkit/evaluate.ts's (through `scorePosting`, the code a
// scan's threads run), the model for each posting toolkit/eval-models.ts's, the table
// report/eval-table.ts's; this reads the flags, the rules, the model and the postings.
import { describeSkipped, readLabelled } from '../input/labelled.js';
import { type EvalReport, formatEvalTable } from '../report/eval-table.js';
import { compiledRules } from '../run/compiled-rules.js';
import { loadModelFile } from '../run/model-file.js';
import { loadRulesOrFail } from '../run/rules.js';
import { evalModels } from '../toolkit/eval-models.js';
import { evaluateDocs } from '../toolkit/evaluate.js';
import { LurescanError } from '../types.js';
import type { EvalOptions } from './commands/eval.js';
import { labelledReadOptions, parseFolds, parseGrouping, reportColor, withBaseRates } from './flags.js';
import { EXIT_OK, writeReport, type CliIO } from './io.js';

export async function runEval(inputs: string[], options: EvalOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new LurescanError('USAGE', `--format must be table or json (got \`${format}\`)`);
  const by = parseGrouping(options.by);
  const folds = parseFolds(options.folds, options.model);
  const ruleset = await loadRulesOrFail(options.rules);
  const scoring = withBaseRates(ruleset.scoring, options.baseRate);
  const compiled = compiledRules(ruleset, scoring);
  const loaded = folds === undefined && options.model !== false ? await loadModelFile(options.model, io.cwd) : undefined;
  const set = await readLabelled(inputs, labelledReadOptions(options, io));
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to evaluate (see the skipped lines above)');
  const models = await evalModels(set.docs, set.sources, folds, loaded);
  for (const warning of models.warnings) io.stderr.write(`lurescan: warning: ${warning}\n`);

  const progress = io.stderr.isTTY === true && set.docs.length > 2000;
  const figures = evaluateDocs(set.docs, {
    rules: compiled,
    thresholds: scoring.thresholds,
    scorers: models.scorers,
    by,
    ...(progress ? { onProgress: (done: number) => io.stderr.write(`\rlurescan: scored ${done} of ${set.docs.length}  `) } : {}),
  });
  if (progress) io.stderr.write('\r\x1b[K');
  const result: EvalReport = {
    documents: figures.documents,
    truth: figures.truth,
    skipped: [...set.skipped.values()].reduce((n, s) => n + s.count, 0),
    model: models.name,
    baseRates: scoring.baseRates,
    rules: { fingerprint: ruleset.fingerprint.slice(0, 12), rules: ruleset.rules.length },
    systems: figures.systems,
    abstained: figures.abstained,
    by: figures.by,
    groups: figures.groups,
    elapsedMs: Date.now() - started,
    // After the time, where earlier versions wrote it: the JSON keeps its key order.
    ...(figures.modelThresholds ? { modelThresholds: figures.modelThresholds } : {}),
  };
  const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatEvalTable(result, reportColor(options, io));
  await writeReport(text, options.out, io);
  return EXIT_OK;
}
