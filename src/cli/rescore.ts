// `lurescan rescore`: learn every rule's points (and the model's level points) from labelled
// postings, report precision, recall and the false-positive rate before and after, overall and per
// group, and write the scoring file. Thin: each posting is scored once by the code a scan runs
// (`scorePosting`); the fit (src/score/fit.ts) and the file's new text (src/rules/scoring-file.ts)
// are pure functions.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { countVerdict, emptyCounts, metricsOf, type Counts, type Metric, type MetricKey } from '../metrics.js';
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { compileRuleSet } from '../rules/engine.js';
import { readRuleFiles } from '../rules/files.js';
import { assembleRuleSet, definitionsFingerprint, type RuleFileText, type RuleSetDefinition } from '../rules/ruleset.js';
import type { ModelPoints, ScoringConfig } from '../rules/schema.js';
import { updateScoringText } from '../rules/scoring-file.js';
import {
  DEFAULT_FIT_OPTIONS,
  fitScoring,
  labelsUnder,
  MODEL_LEVELS,
  type FitOptions,
  type FitPosting,
  type FitResult,
  type FitRound,
  type LabelFit,
  type ScoreSet,
} from '../score/fit.js';
import { scorePosting } from '../score/index.js';
import { LABELS, LurescanError, type Label } from '../types.js';
import { groupOf } from '../toolkit/evaluate.js';
import { colorFor, parseFolds, parseGrouping, withBaseRates } from './flags.js';
import { writeWholeFile, type CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { describeModel, loadModelFile } from '../run/model-file.js';
import { displayPath } from '../run/model-tables.js';
import { formatProblem } from '../rules/problems.js';
import { DEFAULT_MAX_VOCABULARY } from './train.js';

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

/** A rule whose points the rescore changes. */
export interface PointChange {
  rule: string;
  label: Label;
  category: string;
  /** The points its own file gives it. */
  authored: number;
  before: number;
  after: number;
}

export interface GroupFigures {
  group: string;
  documents: number;
  truth: Record<string, number>;
  before: Record<MetricKey, Metric>;
  after: Record<MetricKey, Metric>;
}

export interface RescoreReport {
  documents: number;
  truth: Record<string, number>;
  skipped: number;
  model: string;
  /** The score set fitted: `model` (points for the postings the model judges) or `no-model` (points-no-model). */
  scoreSet: ScoreSet;
  /** Postings the model judged (it abstains where it learned too little of a language); 0 without a model. */
  judged: number;
  rules: { rules: number; fitted: number; fingerprint: string };
  targetFpr: number;
  /** Each label's own target, when given per label (a label not named takes `targetFpr`); the any-label target then does not apply. */
  labelTargets?: Record<Label, number>;
  /** The legitimate postings the target is judged on (all of them unless --fpr-on names some inputs). */
  targetJudgedOn: { legit: number; inputs: string[] | 'all' };
  targetMet: boolean;
  /** The round whose points are kept (index into rounds). */
  chosen: number;
  /** Each fit: the false-positive costs used and the rate they gave. */
  rounds: FitRound[];
  labels: Record<Label, LabelFit>;
  /** With the scoring in force before (rules' current points, the model's current points). */
  before: Record<MetricKey, Metric>;
  /** With the learned points, rounded as written. */
  after: Record<MetricKey, Metric>;
  by: string;
  groups: GroupFigures[];
  /** Rules whose points change, most first; rules that keep theirs are counted. */
  points: { changed: PointChange[]; unchanged: number };
  /**
   * The legitimate postings the target is judged on that the learned points still flag: what a
   * rule author reads to find the look-alikes that set the false-positive cost.
   */
  legitFlagged: Array<{ id: string; file: string; labels: Label[] }>;
  /** The model's points per label before and after (when a model was used). */
  modelPoints?: { before: Record<Label, ModelPoints>; after: Record<Label, ModelPoints> };
  /** Files written (none without --out or --write). */
  written: string[];
}

const SHOWN_CHANGES = 15;

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

  io.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report, colorFor(options.color, io.env, io.stdout.isTTY === true)));
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

const pct = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const COLUMN = 17;
const change = (before: number | null, after: number | null): string => `${pct(before)} -> ${pct(after)}`.padStart(COLUMN);

function describeModelPoints(entry: ModelPoints): string {
  if ('levels' in entry) {
    const levels = entry.levels.length === 0 ? 'no points' : entry.levels.map((level) => `${level.at}: +${level.points}`).join(', ');
    const below = (entry.below ?? []).map((level) => `under ${level.at}: ${level.points}`).join(', ');
    return below === '' ? levels : `${levels}; ${below} (hand-set)`;
  }
  return `from ${entry.from}, alone ${entry.alone}, max ${entry.max}`;
}

function formatTable(report: RescoreReport, color: ChalkInstance): string {
  const lines: string[] = [];
  const truth = Object.entries(report.truth)
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  lines.push(color.bold(`lurescan rescore: ${report.documents} labelled postings (${truth})${report.skipped ? `; ${report.skipped} skipped` : ''}`));
  lines.push(`  rules: ${report.rules.rules} (fingerprint ${report.rules.fingerprint}); model: ${report.model}`);
  if (report.modelPoints) lines.push(`  the model judged ${report.judged} of ${report.documents} postings (it abstains on languages it learned too little of)`);
  const last = report.rounds[report.chosen]!;
  const costs = LABELS.filter((label) => report.labels[label].fitted)
    .map((label) => `${label} ${last.costs[label]}`)
    .join(', ');
  const met = report.targetMet ? color.green('met') : color.red('NOT met');
  const on =
    report.targetJudgedOn.inputs === 'all' ? '' : ` on the ${report.targetJudgedOn.legit} legitimate postings of ${report.targetJudgedOn.inputs.join(', ')}`;
  if (report.labelTargets) {
    const legit = report.targetJudgedOn.legit;
    const per = LABELS.map((label) => `${label} ${pct(report.labelTargets![label])} (${pct(legit ? last.legitFlagged[label] / legit : null)})`).join(', ');
    lines.push(
      `  target false-positive rate per label${on}: ${met}: ${per}; either label ${pct(last.fpr)}; fit ${report.chosen + 1} of ${report.rounds.length}; false-positive cost ${costs || 'n/a'}`,
    );
  } else {
    lines.push(
      `  target false-positive rate ${pct(report.targetFpr)}${on}: ${met} (${pct(last.fpr)}) with fit ${report.chosen + 1} of ${report.rounds.length}; false-positive cost ${costs || 'n/a'}`,
    );
  }
  for (const label of LABELS) {
    const fit = report.labels[label];
    lines.push(
      fit.fitted
        ? `  ${label}: ${fit.rules} rules fitted on ${fit.positives} positives, ${fit.legit} legitimate${fit.otherKind ? ` and ${fit.otherKind} of the other kind` : ''}`
        : color.yellow(`  ${label}: ${fit.reason}`),
    );
  }
  lines.push('');
  lines.push(`${'label'.padEnd(21)} ${['precision', 'recall', 'F1', 'FPR'].map((h) => h.padStart(COLUMN)).join(' ')}`);
  for (const key of ['any', ...LABELS] as const) {
    const b = report.before[key];
    const a = report.after[key];
    if (b.tp + b.fp + b.fn === 0 && a.tp + a.fp + a.fn === 0 && key !== 'any') continue;
    lines.push(
      `${(key === 'any' ? 'fraud (either label)' : key).padEnd(21)} ${change(b.precision, a.precision)} ${change(b.recall, a.recall)} ${color.bold(change(b.f1, a.f1))} ${change(b.fpr, a.fpr)}`,
    );
  }
  if (report.by !== 'none') {
    lines.push('', `by ${report.by} (before -> after; FC / EF recall: flagged with that label; fraud recall: either label)`);
    const width = Math.min(48, Math.max(report.by.length, ...report.groups.map((g) => g.group.length)));
    lines.push(
      `${report.by.padEnd(width)} ${'n'.padStart(5)} ${'legit'.padStart(5)} ${['FPR', 'FC recall', 'EF recall', 'fraud recall'].map((h) => h.padStart(COLUMN)).join(' ')}`,
    );
    for (const g of report.groups) {
      const [b, a] = [g.before, g.after];
      lines.push(
        `${g.group.slice(0, width).padEnd(width)} ${String(g.documents).padStart(5)} ${String(g.truth.legit ?? 0).padStart(5)} ${change(b.any.fpr, a.any.fpr)} ${change(b['forced-criminality'].recall, a['forced-criminality'].recall)} ${change(b['employment-fraud'].recall, a['employment-fraud'].recall)} ${change(b.any.recall, a.any.recall)}`,
      );
    }
  }
  const { changed, unchanged } = report.points;
  lines.push(
    '',
    `points${report.scoreSet === 'no-model' ? ' without the model (points-no-model)' : ''}: ${changed.length} rule(s) change, ${unchanged} fitted rule(s) keep theirs${changed.length > SHOWN_CHANGES ? `; the ${SHOWN_CHANGES} biggest changes (all with --format json)` : ''}`,
  );
  if (changed.length > 0) {
    lines.push(`${'rule'.padEnd(34)} ${'category'.padEnd(20)} ${'authored'.padStart(8)} ${'before'.padStart(7)} ${'after'.padStart(7)}`);
    for (const c of changed.slice(0, SHOWN_CHANGES)) {
      lines.push(
        `${c.rule.padEnd(34)} ${c.category.padEnd(20)} ${String(c.authored).padStart(8)} ${String(c.before).padStart(7)} ${String(c.after).padStart(7)}`,
      );
    }
  }
  const flagged = report.legitFlagged;
  if (flagged.length > 0) {
    lines.push(
      '',
      `legitimate postings still flagged (${flagged.length}${flagged.length > SHOWN_CHANGES ? `; the first ${SHOWN_CHANGES}, all with --format json` : ''}):`,
    );
    for (const f of flagged.slice(0, SHOWN_CHANGES)) lines.push(`  ${f.file}  ${f.id}  ${f.labels.join(', ')}`);
  }
  if (report.modelPoints) {
    lines.push('', 'model points (probability: points added at and above it)');
    for (const label of LABELS) {
      lines.push(`  ${label.padEnd(19)} before: ${describeModelPoints(report.modelPoints.before[label])}`);
      const reason = report.labels[label].model?.reason;
      lines.push(`  ${''.padEnd(19)} after:  ${reason ? color.yellow(`unchanged: ${reason}`) : describeModelPoints(report.modelPoints.after[label])}`);
    }
  }
  lines.push(
    '',
    report.written.length > 0
      ? `wrote ${report.written.join(', ')}`
      : "nothing written (report only): --out <file> writes a scoring file, --write updates the rules folder's own",
  );
  return `${lines.join('\n')}\n`;
}
