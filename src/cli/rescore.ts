// `lurescan rescore`: learn every rule's points (and the model's level points) from labelled
// postings, report precision, recall and the false-positive rate before and after, overall and per
// group, and write the scoring file. Thin: each posting is scored once by the code a scan runs
// (`scorePosting`); the fit (src/score/fit.ts) and the file's new text (src/rules/scoring-file.ts)
// are pure functions.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { countVerdict, emptyCounts, metricsOf, type Counts, type MetricKey } from '../metrics.js';
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { compileRuleSet } from '../rules/engine.js';
import { readRuleFiles } from '../rules/files.js';
import { assembleRuleSet, definitionsFingerprint, type RuleFileText, type RuleSetDefinition } from '../rules/ruleset.js';
import type { ModelPoints, ScoringConfig } from '../rules/schema.js';
import { updateScoringText } from '../rules/scoring-file.js';
import { DEFAULT_FIT_OPTIONS, fitScoring, labelsUnder, MODEL_LEVELS, type FitOptions, type FitPosting, type FitResult, type ScoreSet } from '../score/fit.js';
import { scorePosting } from '../score/index.js';
import { LABELS, LurescanError, type Label } from '../types.js';
import { groupOf } from '../toolkit/evaluate.js';
import { formatRescoreTable, type PointChange, type RescoreReport } from '../toolkit/rescore-report.js';
import { colorFor, parseFolds, parseGrouping, withBaseRates } from './flags.js';
import { writeWholeFile, type CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { describeModel, loadModelFile } from '../run/model-file.js';
import { displayPath } from '../run/model-tables.js';
import { formatProblem } from '../rules/problems.js';
import { DEFAULT_MAX_VOCABULARY } from './train.js';

export type { RescoreReport } from '../toolkit/rescore-report.js';

export interface RescoreOptions extends LabelledOptions {
  rules?: string;
  model?: string | false;
  folds?: string;
  baseRate?: string[];
  /** A rate for either label, and/or `label=rate` pairs (repeatable, or comma-separated). */
  targetFpr?: string[];
  fprOn?: string[];
  by?: string;
  format?: string;
  out?: string;
  write?: boolean;
  color?: string | boolean;
}

/**
 * `--target-fpr 0.01` (legitimate postings flagged with either label), or per label,
 * `--target-fpr forced-criminality=0.005 --target-fpr employment-fraud=0.01`: each label's own rate,
 * its cost searched on its own; a label not named then takes the plain rate (default 0.01).
 */
export function parseTargetFpr(values: readonly string[] = []): { targetFpr: number; labelTargets?: Record<Label, number> } {
  let targetFpr = DEFAULT_FIT_OPTIONS.targetFpr;
  const labelTargets: Partial<Record<Label, number>> = {};
  const rateOf = (text: string, part: string): number => {
    const rate = Number(text);
    if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
      throw new LurescanError('USAGE', `--target-fpr must be a rate from 0 up to 1, or label=rate, e.g. 0.01 or forced-criminality=0.005 (got \`${part}\`)`);
    }
    return rate;
  };
  for (const raw of values.flatMap((v) => v.split(','))) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq < 0) {
      targetFpr = rateOf(part, part);
      continue;
    }
    const label = part.slice(0, eq).trim();
    if (!(LABELS as readonly string[]).includes(label)) throw new LurescanError('USAGE', `--target-fpr: \`${label}\` is not a label (${LABELS.join(', ')})`);
    labelTargets[label as Label] = rateOf(part.slice(eq + 1), part);
  }
  if (Object.keys(labelTargets).length === 0) return { targetFpr };
  return { targetFpr, labelTargets: Object.fromEntries(LABELS.map((label) => [label, labelTargets[label] ?? targetFpr])) as Record<Label, number> };
}

/** The command line that reproduces the fit, for `rescored.command`: inputs and the options that change the numbers (not where they are written). */
function reproducingCommand(inputs: readonly string[], options: RescoreOptions): string {
  const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  const args = ['lurescan', 'rescore', ...inputs];
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined) args.push(flag, value);
  };
  add('--rules', options.rules);
  if (options.model === false) args.push('--no-model');
  else add('--model', options.model);
  add('--folds', options.folds);
  for (const rate of options.baseRate ?? []) add('--base-rate', rate);
  for (const rate of options.targetFpr ?? []) add('--target-fpr', rate);
  for (const input of options.fprOn ?? []) add('--fpr-on', input);
  add('--label', options.label);
  add('--label-map', options.labelMap);
  add('--map', options.map);
  add('--input-format', options.inputFormat);
  add('--default-label', options.defaultLabel);
  return args.map(quote).join(' ');
}

async function loadRules(location: string): Promise<{ files: RuleFileText[]; ruleset: RuleSetDefinition }> {
  const files = await readRuleFiles(location);
  const ruleset = assembleRuleSet(files);
  const errors = ruleset.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new LurescanError('BAD_RULES', `the rule set has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
  return { files, ruleset };
}

/** For each posting, whether its legitimate label counts towards the target rate: every one, or those read from the --fpr-on inputs. */
function countedBy(fprOn: readonly string[] | undefined, files: ReadonlyArray<string | undefined>): boolean[] {
  if (!fprOn || fprOn.length === 0) return files.map(() => true);
  const roots = fprOn.map((input) => path.resolve(input));
  const counted = files.map(
    (file) =>
      file !== undefined &&
      roots.some((root) => {
        const resolved = path.resolve(file);
        return resolved === root || resolved.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
      }),
  );
  for (let k = 0; k < roots.length; k++) {
    const root = roots[k]!;
    const used = files.some((file) => file !== undefined && (path.resolve(file) === root || path.resolve(file).startsWith(root + path.sep)));
    if (!used) throw new LurescanError('USAGE', `--fpr-on ${fprOn[k]}: no posting was read from it; name one of the inputs (a file, or a folder holding some)`);
  }
  return counted;
}

/** Which scorer judges each posting (none, the model file, or a model per fold), and how to name it. */
async function scorersFor(
  options: RescoreOptions,
  folds: number | undefined,
  docs: ReadonlyArray<{ posting: { fields: Record<string, string>; meta?: Record<string, string> }; label: number }>,
  io: CliIO,
): Promise<{ scorers: Array<Scorer | undefined>; name: string }> {
  if (folds !== undefined) {
    const scorers = crossValidatedScorers(
      docs.map((d) => d.posting.fields),
      docs.map((d) => d.label),
      folds,
      DEFAULT_MAX_VOCABULARY,
      docs.map((d) => d.posting.meta),
    );
    return { scorers, name: `${folds}-fold cross-validation over the inputs` };
  }
  if (options.model === false) return { scorers: docs.map(() => undefined), name: 'none (--no-model)' };
  const loaded = await loadModelFile(options.model, io.cwd);
  if (loaded.scorer.untrusted) {
    // As a scan would: a model too small to trust adds no points, so there are none to learn.
    io.stderr.write(`lurescan: warning: scans do not use this model (too small to trust: ${loaded.scorer.untrusted}); fitting the rules alone\n`);
    return { scorers: docs.map(() => undefined), name: `none (${describeModel(loaded)} is too small to trust)` };
  }
  return { scorers: docs.map(() => loaded.scorer), name: `${loaded.file} (data ${loaded.scorer.fingerprint.slice(0, 16)})` };
}

/** Rules whose effective points the fit changes, the biggest change first. */
function pointChanges(ruleset: RuleSetDefinition, fit: FitResult, scoreSet: ScoreSet): { changed: PointChange[]; unchanged: number } {
  const changed: PointChange[] = [];
  let unchanged = 0;
  for (const rule of ruleset.rules) {
    const authored = rule.authoredPoints ?? rule.points;
    const fitted = fit.labels[rule.label].fitted;
    // The points of the set being fitted, before it.
    const before = scoreSet === 'no-model' ? (ruleset.scoring.noModel?.[rule.id] ?? rule.points) : rule.points;
    // In a fitted label, a rule that did not fire loses any learned points it had.
    const after = fit.points[rule.id] ?? (fitted ? authored : before);
    if (Math.abs(after - before) > 1e-9) changed.push({ rule: rule.id, label: rule.label, category: rule.category, authored, before, after });
    else if (fit.points[rule.id] !== undefined) unchanged++;
  }
  changed.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.rule < b.rule ? -1 : 1));
  return { changed, unchanged };
}

/** Where --write puts the scoring file: the rule set's own scoring file, else scoring.yaml in the rules folder (or the one rules file). */
async function scoringTarget(location: string, ruleset: RuleSetDefinition): Promise<string> {
  if (ruleset.scoringFile !== undefined) return path.resolve(ruleset.scoringFile);
  return (await stat(location)).isFile() ? location : path.join(location, 'scoring.yaml');
}

export async function runRescore(inputs: string[], options: RescoreOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new LurescanError('USAGE', `--format must be table or json (got \`${format}\`)`);
  const by = parseGrouping(options.by);
  const folds = parseFolds(options.folds, options.model);
  const { targetFpr, labelTargets } = parseTargetFpr(options.targetFpr);
  const location = options.rules ?? DEFAULT_RULES_DIR;
  const { files, ruleset } = await loadRules(location);
  const scoring = withBaseRates(ruleset.scoring, options.baseRate);
  const compiled = compileRuleSet(ruleset.rules, scoring, ruleset.plan);
  const set = await readLabelled(inputs, options, io);
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to learn from (see the skipped lines above)');
  const counted = countedBy(
    options.fprOn,
    set.docs.map((d) => d.posting.source.file),
  );
  const { scorers, name: modelName } = await scorersFor(options, folds, set.docs, io);
  const withModel = scorers.some((s) => s !== undefined);

  // Each posting once, as a scan scores it: its hits, and the model's probabilities unless it abstained.
  const postings: FitPosting[] = [];
  const before: Array<readonly Label[]> = [];
  const groupNames: string[] = [];
  let judged = 0;
  const progress = io.stderr.isTTY === true && set.docs.length > 2000;
  for (let i = 0; i < set.docs.length; i++) {
    const { posting, truth } = set.docs[i]!;
    const scorer = scorers[i];
    const verdict = scorePosting(compiled, posting, scorer ? { model: scorer } : {});
    const probabilities = verdict.model?.probabilities;
    if (probabilities) judged++;
    const judges = verdict.model?.judges;
    postings.push({
      truth,
      hits: verdict.hits.map(({ rule, label, category, points }) => ({ rule, label, category, points })),
      ...(probabilities ? { probabilities } : {}),
      ...(judges ? { judges } : {}),
      ...(counted[i] ? {} : { counted: false }),
    });
    before.push(verdict.labels);
    groupNames.push(groupOf(by, verdict, posting.meta, posting.source.file));
    if (progress && i % 1000 === 999) io.stderr.write(`\rlurescan: scored ${i + 1} of ${set.docs.length}  `);
  }
  if (progress) io.stderr.write('\r\x1b[K');

  // Fitted beside the model, the points are for the postings it judges (`points`); without it, for
  // scans without its judgement (`points-no-model`): SpamAssassin's score sets with and without Bayes.
  const scoreSet: ScoreSet = withModel ? 'model' : 'no-model';
  const fitOptions: FitOptions = {
    ...DEFAULT_FIT_OPTIONS,
    targetFpr,
    ...(labelTargets ? { labelTargets } : {}),
    ...(withModel ? { levels: MODEL_LEVELS } : {}),
    set: scoreSet,
  };
  const fitRules = ruleset.rules.map((rule) => ({
    id: rule.id,
    label: rule.label,
    category: rule.category,
    authored: rule.authoredPoints ?? rule.points,
    ...(rule.veto === true ? { veto: true } : {}),
  }));
  const fit = fitScoring(postings, fitRules, scoring, fitOptions);

  const counts = { before: emptyCounts(), after: emptyCounts() };
  const legitFlagged: RescoreReport['legitFlagged'] = [];
  const groups = new Map<string, { documents: number; truth: Record<string, number>; before: Record<MetricKey, Counts>; after: Record<MetricKey, Counts> }>();
  for (let i = 0; i < postings.length; i++) {
    const posting = postings[i]!;
    const after = labelsUnder(posting, fit.points, fit.scoring, scoreSet);
    countVerdict(counts.before, posting.truth, before[i]!);
    countVerdict(counts.after, posting.truth, after);
    if (posting.truth === 'legit' && posting.counted !== false && after.length > 0) {
      const { id, source } = set.docs[i]!.posting;
      legitFlagged.push({ id, file: source.file !== undefined ? displayPath(source.file, io.cwd) : (source.url ?? '-'), labels: [...after] });
    }
    let group = groups.get(groupNames[i]!);
    if (!group) groups.set(groupNames[i]!, (group = { documents: 0, truth: {}, before: emptyCounts(), after: emptyCounts() }));
    group.documents++;
    group.truth[posting.truth] = (group.truth[posting.truth] ?? 0) + 1;
    countVerdict(group.before, posting.truth, before[i]!);
    countVerdict(group.after, posting.truth, after);
  }
  const truth: Record<string, number> = {};
  for (const posting of postings) truth[posting.truth] = (truth[posting.truth] ?? 0) + 1;
  const report: RescoreReport = {
    documents: postings.length,
    truth,
    skipped: [...set.skipped.values()].reduce((n, s) => n + s.count, 0),
    model: modelName,
    judged,
    rules: { rules: ruleset.rules.length, fitted: LABELS.reduce((n, label) => n + fit.labels[label].rules, 0), fingerprint: ruleset.fingerprint.slice(0, 12) },
    targetFpr,
    ...(labelTargets ? { labelTargets } : {}),
    targetJudgedOn: {
      legit: postings.filter((p) => p.truth === 'legit' && p.counted !== false).length,
      inputs: options.fprOn?.length ? options.fprOn.map((file) => displayPath(file, io.cwd)) : 'all',
    },
    targetMet: fit.targetMet,
    chosen: fit.chosen,
    rounds: fit.rounds,
    labels: fit.labels,
    before: metricsOf(counts.before),
    after: metricsOf(counts.after),
    by,
    groups: [...groups]
      .sort(([a, x], [b, y]) => y.documents - x.documents || (a < b ? -1 : 1))
      .map(([group, g]) => ({ group, documents: g.documents, truth: g.truth, before: metricsOf(g.before), after: metricsOf(g.after) })),
    scoreSet,
    points: pointChanges(ruleset, fit, scoreSet),
    legitFlagged,
    ...(withModel ? { modelPoints: { before: scoring.model, after: fit.scoring.model } } : {}),
    written: [],
  };

  const targets = [...(options.out ? [path.resolve(options.out)] : []), ...(options.write ? [await scoringTarget(location, ruleset)] : [])];
  if (targets.length > 0) {
    const rescored = provenance(inputs, options, io.cwd, { set, ruleset, fit, fitOptions, modelName, scoring, withModel });
    const model: Partial<Record<Label, ModelPoints>> = {};
    // The fitted labels' entries as the fit leaves them in force (hand-set `below` points kept).
    for (const label of LABELS) if (fit.model?.[label]) model[label] = fit.scoring.model[label];
    const original = ruleset.scoringFile !== undefined ? files.find((f) => f.file === ruleset.scoringFile)!.text : undefined;
    const text = updateScoringText(original, { points: fit.points, model, rescored, set: scoreSet }, ruleset.scoring);
    checkWritten(files, ruleset, text, fit, scoreSet);
    for (const target of [...new Set(targets)]) {
      await writeWholeFile(target, text);
      report.written.push(displayPath(target, io.cwd));
    }
  }

  io.stdout.write(
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatRescoreTable(report, colorFor(options.color, io.env, io.stdout.isTTY === true)),
  );
  return 0;
}

/** `rescored`: what a reader needs to know where the numbers came from and to get them again. No dates or times. */
function provenance(
  inputs: readonly string[],
  options: RescoreOptions,
  cwd: string,
  run: {
    set: Awaited<ReturnType<typeof readLabelled>>;
    ruleset: RuleSetDefinition;
    fit: FitResult;
    fitOptions: FitOptions;
    modelName: string;
    scoring: ScoringConfig;
    withModel: boolean;
  },
): Record<string, unknown> {
  const { set, ruleset, fit, fitOptions } = run;
  const all = createHash('sha256');
  for (const source of set.sources) all.update(`${source.name}\u0000${source.documents}\u0000${source.fingerprint}\u0000`);
  const last = fit.rounds[fit.chosen]!;
  return {
    command: reproducingCommand(inputs, options),
    inputs: set.sources.map((source) => ({ file: source.name, postings: source.documents, fingerprint: source.fingerprint })),
    'inputs-fingerprint': all.digest('hex').slice(0, 16),
    'rules-fingerprint': definitionsFingerprint(ruleset.rules).slice(0, 16),
    model: run.modelName,
    ...(run.withModel ? { 'base-rates': { ...run.scoring.baseRates } } : {}),
    'target-fpr': fitOptions.labelTargets ?? fitOptions.targetFpr,
    ...(options.fprOn?.length ? { 'fpr-on': options.fprOn.map((file) => displayPath(file, cwd)) } : {}),
    'target-met': fit.targetMet,
    fpr: last.fpr,
    'fp-cost': { ...last.costs },
    rounds: fit.rounds.length,
    fit: {
      steps: fitOptions.steps,
      'learning-rate': fitOptions.learningRate,
      prior: fitOptions.prior,
      temperature: fitOptions.temperature,
      rounding: fitOptions.rounding,
      ...(fitOptions.levels ? { levels: [...fitOptions.levels] } : {}),
    },
  };
}

/** The file about to be written must load cleanly and give every rule the points the fit chose. */
function checkWritten(files: readonly RuleFileText[], ruleset: RuleSetDefinition, text: string, fit: FitResult, scoreSet: ScoreSet): void {
  const scoringFile = ruleset.scoringFile ?? '(new scoring file)';
  const replaced =
    ruleset.scoringFile !== undefined ? files.map((f) => (f.file === scoringFile ? { file: f.file, text } : f)) : [...files, { file: scoringFile, text }];
  const check = assembleRuleSet(replaced);
  const errors = check.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`the scoring file written would not load:\n${errors.map(formatProblem).join('\n')}`);
  for (const rule of check.rules) {
    const expected = fit.points[rule.id] ?? rule.authoredPoints ?? rule.points;
    const got = scoreSet === 'no-model' ? check.scoring.noModel?.[rule.id] : rule.points;
    if (got !== expected)
      throw new Error(`the scoring file written gives ${rule.id} ${got} points${scoreSet === 'no-model' ? ' without the model' : ''} instead of ${expected}`);
  }
}
