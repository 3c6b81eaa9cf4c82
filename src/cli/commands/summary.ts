// `lurescan summary merge`'s registration: arguments, options and help; the run is ../summary.ts.
import { Option, type Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';

export interface SummaryMergeOptions {
  format?: string;
  out?: string;
}

export function summaryCommand(program: Command, io: CliIO, setCode: SetCode): void {
  program
    .command('summary')
    .description('work with run summaries')
    .command('merge')
    .description('add up the summaries of a run done in shards (each written by scan --summary-out); refuses shards scored with other rules or another model')
    .argument('<summaries...>', 'summary files (scan --summary-out, or whole --format json outputs)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
    .option('-o, --out <file>', 'write the merged summary to a file')
    .action((files: string[], options: SummaryMergeOptions) => setCode(import('../summary.js').then((m) => m.runSummaryMerge(files, options, io))));
}
