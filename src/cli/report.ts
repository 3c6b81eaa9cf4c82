// `lurescan report <verdicts...> -o report.html`: one offline HTML page for reviewers, from the
// JSONL verdicts `scan` wrote (streamed: every record counted, the best --max-postings kept), the
// clusters `link` wrote, and the run summary `scan --summary-out` wrote. Reads the flags;
// run/report-inputs.ts reads the files, report/review.ts gathers the page's data and
// report/html.ts renders it.
import { VERSION } from '../paths.js';
import { renderReport } from '../report/html.js';
import { ReviewCollector } from '../report/review.js';
import { reportWrittenLine } from '../report/run-lines.js';
import { describeWriteError, openOutput, refuseInputAsOutput } from '../run/output-files.js';
import { collectVerdicts, readClusters, readSummary } from '../run/report-inputs.js';
import { LurescanError } from '../types.js';
import type { ReportOptions } from './commands/report.js';
import { wholeNumber } from './flags.js';
import { EXIT_OK, type CliIO } from './io.js';

export const DEFAULT_MAX_POSTINGS = 5000;

export async function runReport(inputs: string[], options: ReportOptions, io: CliIO): Promise<number> {
  if (inputs.length === 0) throw new LurescanError('USAGE', 'no verdict files: name the JSONL files lurescan scan wrote (or - for standard input)');
  if (inputs.filter((file) => file === '-').length > 1) throw new LurescanError('USAGE', 'standard input (-) can be read once only');
  const maxPostings = wholeNumber(options.maxPostings, '--max-postings', 0) ?? DEFAULT_MAX_POSTINGS;
  if (options.out === undefined && io.stdout.isTTY === true)
    throw new LurescanError('USAGE', 'the report is an HTML file: name it with -o report.html (or redirect standard output)');
  const read = [...inputs, ...(options.clusters !== undefined ? [options.clusters] : []), ...(options.summary !== undefined ? [options.summary] : [])];
  const units = read.filter((file) => file !== '-').map((file) => ({ kind: 'file' as const, name: file, path: file }));
  const say = (out: string, file: string): string =>
    `-o ${out} is one of the files read (${file}): the report would replace it; write the report to another file`;
  await refuseInputAsOutput([options.out], units, say);

  // The output is opened first, so a folder that does not exist is reported before any reading.
  const file = options.out !== undefined ? await openOutput(options.out) : undefined;
  try {
    const summary = options.summary !== undefined ? await readSummary(options.summary) : undefined;
    const clusters = options.clusters !== undefined ? await readClusters(options.clusters, io.stdin) : undefined;
    const collector = new ReviewCollector(maxPostings, clusters);
    await collectVerdicts(inputs, collector, io.stdin);
    const data = collector.finish();
    const html = renderReport({
      data,
      ...(summary ? { summary } : {}),
      title: options.title ?? 'lurescan review report',
      inputs: inputs.map((file) => (file === '-' ? 'standard input' : file)),
      ...(options.clusters !== undefined ? { clustersFile: options.clusters } : {}),
      ...(options.summary !== undefined ? { summaryFile: options.summary } : {}),
      version: VERSION,
      written: writtenAt(io.env),
    });
    if (file) {
      file.stream.write(html);
      await file.commit();
    } else await new Promise<void>((resolve) => io.stdout.write(html, () => resolve()));
    if (!options.quiet) io.stderr.write(reportWrittenLine(data, { out: options.out, maxPostings, clusters: clusters?.read }));
  } catch (error) {
    await file?.abort();
    if (error instanceof LurescanError || !file) throw error;
    throw new LurescanError('OUTPUT_UNWRITABLE', describeWriteError(options.out!, error));
  }
  return EXIT_OK;
}

/**
 * When the page says it was written: now, or SOURCE_DATE_EPOCH (seconds) when set, the convention of
 * reproducible builds, so the same verdicts give the same page byte for byte.
 */
export function writtenAt(env: Readonly<Record<string, string | undefined>>): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  const when = epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return when.toISOString().replace(/\.\d+Z$/, 'Z');
}
