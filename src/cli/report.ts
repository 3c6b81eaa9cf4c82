// `lurescan report <verdicts...> -o report.html`: one offline HTML page for reviewers, from the
// JSONL verdicts `scan` wrote (streamed: every record counted, the best --max-postings kept), the
// clusters `link` wrote, and the run summary `scan --summary-out` wrote.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VERSION } from '../paths.js';
import { renderReport } from '../report/html.js';
import { classifyRecord, clusterRank, MAX_CLUSTERS, readClusterRecord, ReviewCollector, type ClusterRecord } from '../report/review.js';
import type { Summary } from '../report/summary.js';
import { Ranked } from '../report/top.js';
import { LurescanError } from '../types.js';
import { wholeNumber } from './flags.js';
import { describeWriteError, openOutput } from '../run/output-files.js';
import type { CliIO } from './io.js';
import { readSummary } from './summary.js';

export interface ReportOptions {
  out?: string;
  clusters?: string;
  summary?: string;
  maxPostings?: string;
  title?: string;
  quiet?: boolean;
}

export const DEFAULT_MAX_POSTINGS = 5000;

/** The non-blank lines of a file (gzip unpacked by its .gz name) or of standard input, with their numbers. */
async function* linesOf(file: string, io: CliIO): AsyncGenerator<{ text: string; line: number }> {
  let input: Readable;
  if (file === '-') input = io.stdin;
  else {
    const stream = createReadStream(file);
    // An unreadable file is named before any line is read, as a usage error (exit 2).
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    }).catch((error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a folder' : (error.code ?? error.message);
      throw new LurescanError('INPUT_UNREADABLE', `${file}: cannot read it (${why})`);
    });
    input = file.toLowerCase().endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() !== '') yield { text, line };
    }
  } catch (error) {
    throw new LurescanError('INPUT_UNREADABLE', `${file}: reading stopped at line ${line + 1} (${(error as Error).message})`);
  }
}

function parseLine(file: string, line: number, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LurescanError('USAGE', `${file} line ${line} is not JSON (${(error as Error).message}); report reads ${what}`);
  }
}

/** The clusters file: every cluster record checked, the MAX_CLUSTERS with the most flagged members kept. */
async function readClusters(file: string, io: CliIO): Promise<{ kept: ClusterRecord[]; read: number }> {
  const kept = new Ranked<ClusterRecord>(MAX_CLUSTERS);
  for await (const { text, line } of linesOf(file, io)) {
    const record = readClusterRecord(parseLine(file, line, text, 'the JSONL cluster records `lurescan link` writes'));
    if (typeof record === 'string') throw new LurescanError('USAGE', `${file} line ${line}: ${record}`);
    kept.offer(clusterRank(record), () => record);
  }
  if (kept.offered === 0) throw new LurescanError('USAGE', `${file} holds no cluster records (write them with lurescan link)`);
  return { kept: kept.ranked(), read: kept.offered };
}

/** Refuse an -o file that is one of the files read: the report would replace what it reports on. */
async function refuseInputAsOutput(out: string, files: readonly string[]): Promise<void> {
  const target = await stat(out).catch(() => undefined);
  if (!target) return;
  for (const file of files) {
    if (file === '-') continue;
    const info = await stat(file).catch(() => undefined);
    if (path.resolve(file) === path.resolve(out) || (info && info.ino === target.ino && info.dev === target.dev))
      throw new LurescanError('USAGE', `-o ${out} is one of the files read (${file}): the report would replace it; write the report to another file`);
  }
}

export async function runReport(inputs: string[], options: ReportOptions, io: CliIO): Promise<number> {
  if (inputs.length === 0) throw new LurescanError('USAGE', 'no verdict files: name the JSONL files lurescan scan wrote (or - for standard input)');
  if (inputs.filter((file) => file === '-').length > 1) throw new LurescanError('USAGE', 'standard input (-) can be read once only');
  const maxPostings = wholeNumber(options.maxPostings, '--max-postings', 0) ?? DEFAULT_MAX_POSTINGS;
  if (options.out === undefined && io.stdout.isTTY === true)
    throw new LurescanError('USAGE', 'the report is an HTML file: name it with -o report.html (or redirect standard output)');
  const read = [...inputs, ...(options.clusters !== undefined ? [options.clusters] : []), ...(options.summary !== undefined ? [options.summary] : [])];
  if (options.out !== undefined) await refuseInputAsOutput(options.out, read);

  // The output is opened first, so a folder that does not exist is reported before any reading.
  const file = options.out !== undefined ? await openOutput(options.out) : undefined;
  try {
    const html = await buildReport(inputs, options, maxPostings, io);
    if (file) {
      file.stream.write(html.text);
      await file.commit();
    } else await new Promise<void>((resolve) => io.stdout.write(html.text, () => resolve()));
    if (!options.quiet) io.stderr.write(html.told);
  } catch (error) {
    await file?.abort();
    if (error instanceof LurescanError || !file) throw error;
    throw new LurescanError('OUTPUT_UNWRITABLE', describeWriteError(options.out!, error));
  }
  return 0;
}

async function buildReport(inputs: string[], options: ReportOptions, maxPostings: number, io: CliIO): Promise<{ text: string; told: string }> {
  let summary: Summary | undefined;
  if (options.summary !== undefined) summary = await readSummary(options.summary);
  const clusters = options.clusters !== undefined ? await readClusters(options.clusters, io) : undefined;
  const collector = new ReviewCollector(maxPostings, clusters);
  let verdicts = 0;
  let records = 0;
  for (const file of inputs) {
    const before = records;
    for await (const { text, line } of linesOf(file, io)) {
      const value = parseLine(file, line, text, 'the JSONL verdict records `lurescan scan` writes (--format jsonl)');
      const classified = classifyRecord(value);
      if (classified.kind === 'other') throw new LurescanError('USAGE', `${file} line ${line} is not a verdict record: ${classified.problem}`);
      records++;
      if (classified.kind === 'error') collector.addError(classified.record);
      else {
        verdicts++;
        collector.addVerdict(classified.record);
      }
    }
    if (records === before)
      throw new LurescanError(
        'USAGE',
        `${file === '-' ? 'standard input' : file} holds no verdict records (it is empty); report reads what lurescan scan writes`,
      );
  }
  if (verdicts === 0)
    throw new LurescanError(
      'USAGE',
      `no verdict records in ${inputs.join(', ')}: only ${records} error record(s); there is nothing to review (see the error records)`,
    );

  const data = collector.finish();
  const text = renderReport({
    data,
    ...(summary ? { summary } : {}),
    title: options.title ?? 'lurescan review report',
    inputs: inputs.map((file) => (file === '-' ? 'standard input' : file)),
    ...(options.clusters !== undefined ? { clustersFile: options.clusters } : {}),
    ...(options.summary !== undefined ? { summaryFile: options.summary } : {}),
    version: VERSION,
    written: writtenAt(io.env),
  });
  const c = data.counts;
  const told = `lurescan: ${options.out !== undefined ? `wrote ${options.out}` : 'wrote the report'}: ${c.read} record(s), ${c.flagged.any} flagged, ${data.postings.length} listed${
    data.leftOut > 0 ? ` (${data.leftOut} left out by --max-postings ${maxPostings})` : ''
  }${c.errors > 0 ? `, ${c.errors} error record(s)` : ''}${clusters ? `, ${clusters.read} cluster(s)` : ''}\n`;
  return { text, told };
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
