// `lurescan train`'s registration: arguments, options and help; the run is ../train.ts.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';
import type { LabelledOptions } from '../flags.js';
import { labelledOptions } from '../options.js';

export interface TrainOptions extends LabelledOptions {
  out?: string;
  update?: string;
  date?: string;
  kind?: string;
  alpha?: string;
  maxVocabulary?: string;
  minLanguageLegit?: string;
  minLanguageLabel?: string;
  /** `column=value` (or `meta.<key>=value`): legitimate postings that are reports, which train the report head. */
  reports?: string;
  /** Labelled inputs that train only the report head (with `reports`), not the model's classes. */
  reportHeadOnly?: string[];
}

export function trainCommand(program: Command, io: CliIO, setCode: SetCode): void {
  labelledOptions(
    program
      .command('train')
      .description('learn a model from labelled postings (same input, same model file, byte for byte)')
      .argument('<labelled...>', 'labelled files or folders'),
  )
    .option('-o, --out <file>', 'model file to write (written whole or not at all)')
    .option('--update <file>', 'learn into this model (written back unless --out names another file); known ids are not counted twice, relabelled ones move')
    .option('--date <YYYY-MM-DD>', 'training date recorded in the model (default: SOURCE_DATE_EPOCH, else today)')
    .option('--kind <kind>', 'logistic (weights fitted on all postings at once; the default) or naive-bayes (counts: the kind --update can add to)')
    .option('--alpha <n>', 'naive Bayes: Lidstone smoothing (default 0.05)')
    .option('--max-vocabulary <n>', 'keep at most this many tokens, the most frequent (default 400000)')
    .option('--min-language-legit <n>', 'the model abstains on a language it learned fewer legitimate postings in than this (default 40)')
    .option('--min-language-label <n>', 'the model adds no points for a label in a language it learned fewer postings of that label in (default 30)')
    .option('--reports <column=value>', 'legitimate postings with this value are reports (news, advisories): they train the report head')
    .option(
      '--report-head-only <labelled...>',
      'with --reports: labelled files or folders that train only the report head (their reports, and the lures and scams it must tell them from), not the model',
    )
    .action((inputs: string[], options: TrainOptions) => setCode(import('../train.js').then((m) => m.runTrain(inputs, options, io))));
}
