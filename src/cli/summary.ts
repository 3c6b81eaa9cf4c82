// `lurescan summary merge <files...>`: the summaries of a sharded run (`scan --summary-out`) as one.
import { formatSummary, mergeSummaries } from '../report/summary.js';
import { readSummary } from '../run/report-inputs.js';
import { LurescanError } from '../types.js';
import { writeWholeFile } from '../run/output-files.js';
import type { SummaryMergeOptions } from './commands/summary.js';
import { EXIT_OK, type CliIO } from './io.js';

export async function runSummaryMerge(files: string[], options: SummaryMergeOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'json';
  const parts = await Promise.all(files.map(readSummary));
  const merged = mergeSummaries(parts);
  if (typeof merged === 'string') throw new LurescanError('USAGE', `cannot merge: ${merged}`);
  const text = format === 'text' ? formatSummary(merged) : `${JSON.stringify(merged, null, 2)}\n`;
  if (options.out !== undefined) await writeWholeFile(options.out, text);
  else io.stdout.write(text);
  return EXIT_OK;
}
