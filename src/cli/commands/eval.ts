// `lurescan eval`'s registration: arguments, options and help; the run is ../eval.ts.
import { Option, type Command } from 'commander';
import type { LabelledOptions } from '../flags.js';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';
import { byOption, collect, colorOptions, labelledOptions } from '../options.js';

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

export function evalCommand(program: Command, io: CliIO, setCode: SetCode): void {
  const command = labelledOptions(
    program
      .command('eval')
      .description('precision, recall and F1 of the rules, the model and both combined on labelled postings')
      .argument('<labelled...>', 'labelled files or folders'),
  )
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped model)')
    .option('--no-model', 'rules only')
    .option('--folds <k>', 'k-fold cross-validation: train a model per fold on the inputs instead of using --model')
    .option('--base-rate <label=p>', "share of a label in this set, for the model's probabilities (repeatable), e.g. employment-fraud=0.46", collect)
    .addOption(byOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --out <file>', 'write the report to a file');
  colorOptions(command).action((inputs: string[], options: EvalOptions) => setCode(import('../eval.js').then((m) => m.runEval(inputs, options, io))));
}
