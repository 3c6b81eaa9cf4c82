// `lurescan summary merge <files...>`: the summaries of a sharded run (`scan --summary-out`) as one.
import { readFile } from 'node:fs/promises';
import { formatSummary, mergeSummaries, type Summary } from '../report/summary.js';
import { LurescanError } from '../types.js';
import { writeWholeFile } from '../run/output-files.js';
import type { CliIO } from './io.js';

export interface SummaryMergeOptions {
  format?: string;
  out?: string;
}

/** A run summary file (`scan --summary-out`, or a whole `--format json` output); a usage error naming the file when it is not one. */
export async function readSummary(file: string): Promise<Summary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LurescanError('INPUT_UNREADABLE', `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LurescanError('USAGE', `${file} is not JSON: ${(error as Error).message}`);
  }
  // A whole --format json output holds the summary under "summary"; --summary-out writes it bare.
  const summary = (value as { summary?: unknown })?.summary ?? value;
  const s = summary as Partial<Summary>;
  if (typeof s !== 'object' || s === null || typeof s.read !== 'number' || typeof s.ruleset?.fingerprint !== 'string' || typeof s.flagged !== 'object') {
    throw new LurescanError('USAGE', `${file} is not a lurescan summary (write one with scan --summary-out <file>)`);
  }
  return s as Summary;
}

export async function runSummaryMerge(files: string[], options: SummaryMergeOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'json';
  const parts = await Promise.all(files.map(readSummary));
  const merged = mergeSummaries(parts);
  if (typeof merged === 'string') throw new LurescanError('USAGE', `cannot merge: ${merged}`);
  const text = format === 'text' ? formatSummary(merged) : `${JSON.stringify(merged, null, 2)}\n`;
  if (options.out !== undefined) await writeWholeFile(options.out, text);
  else io.stdout.write(text);
  return 0;
}
