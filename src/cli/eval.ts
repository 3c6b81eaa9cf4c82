// `lurescan eval`: how well rules, model and both together label a labelled corpus, overall and per
// language. The scoring and counting are toolkit/evaluate.ts's (through `scorePosting`, the code a
// scan's threads run), the table report/eval-table.ts's; this reads the flags, the rules, the model
// and the postings. With --folds, the model is retrained k times so every posting is judged by a
// model that never saw it.
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import { type EvalReport, formatEvalTable } from '../report/eval-table.js';
import { compileRuleSet } from '../rules/engine.js';
import { describeModel, loadModelFile } from '../run/model-file.js';
import { loadRulesOrFail } from '../run/rules.js';
import { evaluateDocs } from '../toolkit/evaluate.js';
import { LurescanError } from '../types.js';
import { parseFolds, parseGrouping, reportColor, withBaseRates } from './flags.js';
import { writeReport, type CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { DEFAULT_MAX_VOCABULARY } from '../model/train.js';

export interface EvalOptions extends LabelledOptions {
  rules?: string;
  model?: string | false;
  folds?: string;
  format?: string;
  out?: string;
  color?: string | boolean;
  baseRate?: string[];
  by?: string;
}

export async function runEval(inputs: string[], options: EvalOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new LurescanError('USAGE', `--format must be table or json (got \`${format}\`)`);
  const by = parseGrouping(options.by);
  const folds = parseFolds(options.folds, options.model);
  const ruleset = await loadRulesOrFail(options.rules);
  const scoring = withBaseRates(ruleset.scoring, options.baseRate);
  const compiled = compileRuleSet(ruleset.rules, scoring, ruleset.plan);
  const loaded = folds === undefined && options.model !== false ? await loadModelFile(options.model, io.cwd) : undefined;
  const set = await readLabelled(inputs, options, io);
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to evaluate (see the skipped lines above)');

  let scorers: Array<Scorer | undefined>;
  let modelName = 'none (--no-model)';
  if (folds !== undefined) {
    scorers = crossValidatedScorers(
      set.docs.map((d) => d.posting.fields),
      set.docs.map((d) => d.label),
      folds,
      DEFAULT_MAX_VOCABULARY,
      set.docs.map((d) => d.posting.meta),
    );
    modelName = `${folds}-fold cross-validation: a model trained on the other folds scores each posting (folds by ad content and by meta.batch, so re-posts and a writing batch stay together)`;
  } else if (loaded) {
    if (loaded.scorer.untrusted)
      io.stderr.write(`lurescan: warning: scans do not use this model (too small to trust: ${loaded.scorer.untrusted}); its figures are shown anyway\n`);
    scorers = set.docs.map(() => loaded.scorer);
    modelName = describeModel(loaded);
    // Figures on what the model learned from measure memory, not accuracy: say so, by content, whatever the files are called.
    const learned = new Map(loaded.info.sources.map((source) => [source.fingerprint, source.name]));
    for (const source of set.sources) {
      const trained = learned.get(source.fingerprint);
      if (trained !== undefined)
        io.stderr.write(
          `lurescan: warning: the model learned from ${source.name} (as ${trained}, same postings and labels): its figures there show what it remembers, not how it does on new ads; measure on held-out postings, or use --folds\n`,
        );
    }
  } else scorers = set.docs.map(() => undefined);

  const progress = io.stderr.isTTY === true && set.docs.length > 2000;
  const figures = evaluateDocs(set.docs, {
    rules: compiled,
    thresholds: scoring.thresholds,
    scorers,
    by,
    ...(progress ? { onProgress: (done: number) => io.stderr.write(`\rlurescan: scored ${done} of ${set.docs.length}  `) } : {}),
  });
  if (progress) io.stderr.write('\r\x1b[K');
  const result: EvalReport = {
    documents: figures.documents,
    truth: figures.truth,
    skipped: [...set.skipped.values()].reduce((n, s) => n + s.count, 0),
    model: modelName,
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
  return 0;
}
