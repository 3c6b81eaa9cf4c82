// `lurescan rescore`: learn every rule's points (and the model's level points) from labelled
// postings, report precision, recall and the false-positive rate before and after, overall and per
// group, and write the scoring file. Thin: it reads the flags, the rules, the labelled inputs and
// the model; src/toolkit/rescore.ts scores, fits and counts (through the code a scan runs), and
// src/toolkit/rescore-report.ts renders the table.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { readRuleFiles } from '../input/rule-files.js';
import { assembleRuleFiles, loadRuleSet, refuseErrors } from '../run/rules.js';
import type { RuleFileText, RuleSetDefinition } from '../rules/ruleset.js';
import { DEFAULT_FIT_OPTIONS } from '../score/fit.js';
import { LABELS, LurescanError, type Label } from '../types.js';
import { rescore, rescoredScoringText, type RescoreRun } from '../toolkit/rescore.js';
import { formatRescoreTable } from '../toolkit/rescore-report.js';
import { colorFor, parseFolds, parseGrouping, withBaseRates } from './flags.js';
import { writeWholeFile } from '../run/output-files.js';
import type { CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { describeModel, loadModelFile } from '../run/model-file.js';
import { displayPath } from '../display-path.js';
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

/**
 * The rule files' text (the scoring file's is rewritten) and the rule set as a scan loads it: from
 * the rule-set cache, planned, when it holds these files, so a rescore does not parse every rule
 * file (and plan every regex) again.
 */
async function loadRules(location: string): Promise<{ files: RuleFileText[]; ruleset: RuleSetDefinition }> {
  const [files, ruleset] = await Promise.all([readRuleFiles(location), loadRuleSet(location)]);
  return { files, ruleset: refuseErrors(ruleset) };
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
  const set = await readLabelled(inputs, options, io);
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to learn from (see the skipped lines above)');
  const counted = countedBy(
    options.fprOn,
    set.docs.map((d) => d.posting.source.file),
  );
  const { scorers, name: modelName } = await scorersFor(options, folds, set.docs, io);
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
  if (targets.length > 0) {
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
  return 0;
}
