// What `lurescan report` reads (and `summary merge`): JSONL verdict files and cluster records,
// streamed line by line (gzip by a .gz name, or standard input), every line checked and named in
// the error when it is not what the command reads; and run summary files.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { classifyRecord, clusterRank, MAX_CLUSTERS, readClusterRecord, type ClusterRecord, type ReviewCollector } from '../report/review.js';
import type { Summary } from '../report/summary.js';
import { Ranked } from '../report/top.js';
import { LurescanError } from '../types.js';

/** The non-blank lines of a file (gzip unpacked by its .gz name) or of standard input (`-`), with their numbers. */
async function* linesOf(file: string, stdin: Readable): AsyncGenerator<{ text: string; line: number }> {
  let input: Readable;
  if (file === '-') input = stdin;
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
export async function readClusters(file: string, stdin: Readable): Promise<{ kept: ClusterRecord[]; read: number }> {
  const kept = new Ranked<ClusterRecord>(MAX_CLUSTERS);
  for await (const { text, line } of linesOf(file, stdin)) {
    const record = readClusterRecord(parseLine(file, line, text, 'the JSONL cluster records `lurescan link` writes'));
    if (typeof record === 'string') throw new LurescanError('USAGE', `${file} line ${line}: ${record}`);
    kept.offer(clusterRank(record), () => record);
  }
  if (kept.offered === 0) throw new LurescanError('USAGE', `${file} holds no cluster records (write them with lurescan link)`);
  return { kept: kept.ranked(), read: kept.offered };
}

/** Every record of the verdict files into `collector`; a usage error for a line that is no record, a file without any, or no verdict at all. */
export async function collectVerdicts(inputs: readonly string[], collector: ReviewCollector, stdin: Readable): Promise<void> {
  let verdicts = 0;
  let records = 0;
  for (const file of inputs) {
    const before = records;
    for await (const { text, line } of linesOf(file, stdin)) {
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
