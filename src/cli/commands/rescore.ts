// `lurescan rescore`'s registration: arguments, options and help; the run is ../rescore.ts.
import { Option, type Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';
import { byOption, collect, colorOptions, labelledOptions } from '../options.js';
import type { LabelledOptions } from '../flags.js';

export interface RescoreOptions extends LabelledOptions {
  rules?: string;
  model?: string | false;
  folds?: string;
  /** `column=value` (or `meta.<key>=value`): legitimate postings that are reports, which train the fold models' report heads. */
  reports?: string;
  baseRate?: string[];
  /** Which points to fit: `all` (the default) or `new` (rules without learned points). */
  fit?: string;
  /** A rate for either label, and/or `label=rate` pairs (repeatable, or comma-separated). */
  targetFpr?: string[];
  fprOn?: string[];
  by?: string;
  format?: string;
  out?: string;
  write?: boolean;
  color?: string | boolean;
}

/** The command line that reproduces the fit, for `rescored.command`: inputs and the options that change the numbers (not where they are written). */
export function reproducingCommand(inputs: readonly string[], options: RescoreOptions): string {
  const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  const args = ['lurescan', 'rescore', ...inputs];
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined) args.push(flag, value);
  };
  add('--rules', options.rules);
  if (options.model === false) args.push('--no-model');
  else add('--model', options.model);
  add('--folds', options.folds);
  add('--reports', options.reports);
  if (options.fit !== undefined && options.fit !== 'all') add('--fit', options.fit);
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

export function rescoreCommand(program: Command, io: CliIO, setCode: SetCode): void {
  const command = labelledOptions(
    program
      .command('rescore')
      .description(
        "learn every rule's points and the model's from labelled postings, false positives costing more than misses; report before and after, and write the scoring file",
      )
      .argument('<labelled...>', 'labelled files or folders'),
  )
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped model)')
    .option('--no-model', "fit the rules' points alone (the model's points are left as they are)")
    .option('--folds <k>', 'judge each posting by a model trained on the other folds of the inputs (for a set the model was trained on)')
    .option(
      '--reports <column=value>',
      "with --folds: legitimate postings with this value are reports (news, advisories); they train each fold model's report head, and the fit mutes what a scan would",
    )
    .addOption(
      new Option(
        '--fit <which>',
        "which points to learn: all (every rule's and the model's levels), or new (rules without learned points; the learned points and the levels held)",
      )
        .choices(['all', 'new'])
        .default('all'),
    )
    .option('--base-rate <label=p>', "share of a label in the feed the points are for, for the model's probabilities (repeatable)", collect)
    .option(
      '--target-fpr <rate>',
      "false-positive rate on legitimate postings to stay at or under; the false-positive cost is searched for the lowest that does (default 0.01); label=rate sets one label's own rate, its cost searched on its own (repeatable)",
      collect,
    )
    .option(
      '--fpr-on <input>',
      'judge the target rate on the legitimate postings of this input file or folder only, e.g. your hard look-alikes (repeatable; the others still count in the fit)',
      collect,
    )
    .addOption(byOption())
    .addOption(new Option('--format <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('-o, --out <file>', "write the scoring file with the learned points here (the rules folder's own, updated)")
    .option('--write', "update the rules folder's own scoring file in place, keeping its comments");
  colorOptions(command).action((inputs: string[], options: RescoreOptions) => setCode(import('../rescore.js').then((m) => m.runRescore(inputs, options, io))));
}
