// `lurescan eval`: how well rules, model and both together label a labelled corpus; with --folds,
// the model is retrained k times so every posting is judged by a model that never saw it.
import { Chalk } from 'chalk';
import { report, thresholdCurve, type Outcome, type SystemReport, type ThresholdRow } from '../model/metrics.js';
import { emptyModel, finish, learn, predict, predictIds, toScorer, type Scorer } from '../model/model.js';
import { MODEL_LABELS } from '../model/naive-bayes.js';
import { DEFAULT_TOKENIZER, tokenizeToIds } from '../model/tokenize.js';
import { Vocabulary } from '../model/vocabulary.js';
import { adGroup, DEFAULT_FIT, foldOf } from '../model/train.js';
import { compileRuleSet, evaluateRules, prepareFields, scoreHits } from '../rules/engine.js';
import { addModelPoints } from '../score/index.js';
import { LABELS, LurescanError, type Label } from '../types.js';
import { writeWholeFile, type CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { describeModel, loadModelFile } from './model-file.js';
import { loadRulesOrFail } from './scan.js';
import { DEFAULT_MAX_VOCABULARY } from './train.js';

export interface EvalOptions extends LabelledOptions {
  rules?: string;
  model?: string | false;
  folds?: string;
  format?: string;
  out?: string;
  color?: boolean;
}

const THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface EvalReport {
  documents: number;
  truth: Record<string, number>;
  skipped: number;
  model: string;
  rules: { fingerprint: string; rules: number };
  systems: { rules: SystemReport; model?: SystemReport; combined?: SystemReport };
  modelThresholds?: ThresholdRow[];
  elapsedMs: number;
}

export async function runEval(inputs: string[], options: EvalOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new LurescanError('USAGE', `--format must be table or json (got \`${format}\`)`);
  let folds: number | undefined;
  if (options.folds !== undefined) {
    folds = Number(options.folds);
    if (!Number.isInteger(folds) || folds < 2 || folds > 20) throw new LurescanError('USAGE', `--folds must be a whole number from 2 to 20 (got \`${options.folds}\`)`);
    if (options.model !== undefined) throw new LurescanError('USAGE', '--folds trains a model per fold from the inputs; it cannot be combined with --model or --no-model');
  }
  const ruleset = await loadRulesOrFail(options.rules);
  const compiled = compileRuleSet(ruleset.rules, ruleset.scoring);
  const loaded = folds === undefined && options.model !== false ? await loadModelFile(options.model) : undefined;
  const set = await readLabelled(inputs, options, io);
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to evaluate (see the skipped lines above)');

  // Rules are the same whatever the model: evaluate once.
  const ruleScores = set.docs.map(({ posting }) => scoreHits(evaluateRules(compiled, prepareFields(posting)), ruleset.scoring));

  let probabilities: Array<Record<string, number>> | undefined;
  let modelName = 'none (--no-model)';
  if (folds !== undefined) {
    probabilities = crossValidate(set.docs.map((d) => d.posting.fields), set.docs.map((d) => d.label), folds);
    modelName = `${folds}-fold cross-validation: a model trained on the other folds scores each posting (folds by ad content, so re-posts stay together)`;
  } else if (loaded) {
    if (loaded.scorer.untrusted) io.stderr.write(`lurescan: warning: scans do not use this model (too small to trust: ${loaded.scorer.untrusted}); its figures are shown anyway\n`);
    const scorer: Scorer = loaded.scorer;
    probabilities = set.docs.map(({ posting }) => predict(scorer, posting.fields).probabilities);
    modelName = describeModel(loaded);
  }

  const flaggedBy = (scores: Record<Label, number>): Label[] => LABELS.filter((label) => scores[label] >= ruleset.scoring.thresholds[label]);
  const outcomes = (labelsOf: (i: number) => Label[]): Outcome[] => set.docs.map((doc, i) => ({ truth: doc.label, labels: labelsOf(i) }));
  const result: EvalReport = {
    documents: set.docs.length,
    truth: Object.fromEntries(MODEL_LABELS.map((label, c) => [label, set.docs.filter((d) => d.label === c).length])),
    skipped: [...set.skipped.values()].reduce((n, s) => n + s.count, 0),
    model: modelName,
    rules: { fingerprint: ruleset.fingerprint.slice(0, 12), rules: ruleset.rules.length },
    systems: { rules: report(outcomes((i) => flaggedBy(ruleScores[i]!))) },
    elapsedMs: 0,
  };
  if (probabilities) {
    const p = probabilities;
    // The model alone: what it would flag in a scan with no rule hits.
    result.systems.model = report(outcomes((i) => LABELS.filter((label) => (p[i]![label] ?? 0) >= ruleset.scoring.model[label].alone)));
    result.systems.combined = report(
      outcomes((i) => {
        const scores = { ...ruleScores[i]! };
        addModelPoints(scores, p[i]!, ruleset.scoring);
        return flaggedBy(scores);
      }),
    );
    result.modelThresholds = thresholdCurve(set.docs.map((doc, i) => ({ truth: doc.label, notLegit: 1 - (p[i]!.legit ?? 0) })), THRESHOLDS);
  }
  result.elapsedMs = Date.now() - started;

  const useColor = options.color !== false && !io.env.NO_COLOR && io.stdout.isTTY === true && !options.out;
  const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result, new Chalk({ level: useColor ? 1 : 0 }));
  if (options.out) await writeWholeFile(options.out, text);
  else io.stdout.write(text);
  return 0;
}

/** Out-of-fold probabilities: each posting scored by a fresh model trained on the other folds. */
export function crossValidate(fields: ReadonlyArray<Record<string, string>>, labels: readonly number[], folds: number): Array<Record<string, number>> {
  // Every fold's model shares one vocabulary, so each posting is tokenized once.
  const vocabulary = new Vocabulary();
  const tokens = fields.map((f) => tokenizeToIds(f, DEFAULT_TOKENIZER, vocabulary));
  const groups = fields.map(adGroup);
  const fold = groups.map((g) => foldOf(`eval:${g}`, folds));
  const out = new Array<Record<string, number>>(fields.length);
  for (let k = 0; k < folds; k++) {
    const docs = [];
    for (let i = 0; i < fields.length; i++) if (fold[i] !== k) docs.push({ id: String(i), ...tokens[i]!, label: labels[i]!, group: groups[i]! });
    const model = emptyModel(DEFAULT_TOKENIZER, DEFAULT_FIT, DEFAULT_MAX_VOCABULARY, vocabulary);
    learn(model, docs);
    finish(model, docs);
    const scorer = toScorer(model);
    for (let i = 0; i < fields.length; i++) {
      if (fold[i] !== k) continue;
      out[i] = predictIds(scorer, tokens[i]!);
    }
  }
  return out;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`.padStart(7);
}

function formatTable(result: EvalReport, color: InstanceType<typeof Chalk>): string {
  const lines: string[] = [];
  const truth = Object.entries(result.truth).map(([label, n]) => `${label} ${n}`).join(', ');
  lines.push(color.bold(`lurescan eval: ${result.documents} labelled postings (${truth})${result.skipped ? `; ${result.skipped} skipped` : ''}`));
  lines.push(`  rules: ${result.rules.rules}, fingerprint ${result.rules.fingerprint}`);
  lines.push(`  model: ${result.model}`, '');
  const rows: Array<[string, SystemReport | undefined]> = [['rules only', result.systems.rules], ['model only', result.systems.model], ['combined', result.systems.combined]];
  lines.push(`${'system'.padEnd(12)} ${'label'.padEnd(20)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(7)}   tp / fp / fn`);
  for (const [name, system] of rows) {
    if (!system) continue;
    for (const label of ['fraud', ...LABELS] as const) {
      const s = system.labels[label];
      const shown = label === 'fraud' ? 'fraud (either label)' : label;
      lines.push(`${name.padEnd(12)} ${shown.padEnd(20)} ${pct(s.precision).padStart(9)} ${pct(s.recall)} ${color.bold(pct(s.f1))}   ${s.tp} / ${s.fp} / ${s.fn}`);
    }
  }
  const confusionOf = result.systems.combined ?? result.systems.rules;
  lines.push('', `confusion (${result.systems.combined ? 'combined' : 'rules only'}; rows: truth, columns: verdict)`);
  lines.push(`${''.padEnd(20)} ${['not flagged', ...MODEL_LABELS.slice(1)].map((h) => h.padStart(19)).join('')}`);
  confusionOf.confusion.forEach((row, c) => lines.push(`${MODEL_LABELS[c]!.padEnd(20)} ${row.map((n) => String(n).padStart(19)).join('')}`));
  if (result.modelThresholds) {
    lines.push('', 'model alone, fraud of either kind when P(not legit) >= threshold');
    lines.push(`${'threshold'.padEnd(10)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(7)}`);
    for (const row of result.modelThresholds) lines.push(`${row.threshold.toFixed(2).padEnd(10)} ${pct(row.precision).padStart(9)} ${pct(row.recall)} ${pct(row.f1)}`);
  }
  lines.push('', `${(result.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
