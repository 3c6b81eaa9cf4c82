// `lurescan report`'s registration: arguments, options and help; the run is ../report.ts.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';

export interface ReportOptions {
  out?: string;
  clusters?: string;
  summary?: string;
  maxPostings?: string;
  title?: string;
  quiet?: boolean;
}

export function reportCommand(program: Command, io: CliIO, setCode: SetCode): void {
  program
    .command('report')
    .description(
      'one HTML page for reviewers, offline: flagged postings ranked with their evidence marked in the text, filters, charts, clusters and the run summary',
    )
    .argument('<verdicts...>', 'JSONL verdict files lurescan scan wrote (--include-text shows the whole text; .gz read too), or - for standard input')
    .option('-o, --out <file>', 'the HTML file to write (written whole or not at all)')
    .option('--clusters <file>', 'cluster records lurescan link wrote (JSONL): shown with their members, and as a filter')
    .option('--summary <file>', "the run's summary (scan --summary-out): its counts, rule-set fingerprint and model (else counts from the records)")
    .option('--max-postings <n>', 'the most flagged postings the page holds, the highest-scoring (default 5000); every record is counted whatever it holds')
    .option('--title <text>', 'the page title (default: lurescan review report)')
    .option('-q, --quiet', 'nothing on stderr but fatal errors')
    .action((verdicts: string[], options: ReportOptions) => setCode(import('../report.js').then((m) => m.runReport(verdicts, options, io))));
}
