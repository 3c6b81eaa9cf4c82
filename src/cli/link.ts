// `lurescan link <verdicts or inputs...>`: postings into networks (shared identifiers, near-duplicate
// texts). Reads the flags; run/link-inputs.ts makes every input a verdict file (scoring postings
// first), src/link links them and builds the summary, report/link-summary.ts prints it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planInputs } from '../input/index.js';
import { checkLinked, clusterLines, DEFAULT_LINK_OPTIONS, holdsVerdicts, linkSummary, linkVerdictFiles, PLATFORM_MIN, PLATFORM_SHARE } from '../link/index.js';
import { VERSION } from '../paths.js';
import { formatLinkSummary } from '../report/link-summary.js';
import { distinctInputs, verdictSources } from '../run/link-inputs.js';
import { OutputFiles, refuseInputAsOutput, writeChunks, writeWholeFile } from '../run/output-files.js';
import { defaultJobs } from '../run/pool.js';
import { LurescanError } from '../types.js';
import type { LinkCliOptions } from './commands/link.js';
import { readAllowlist, readRedactKey } from './flag-files.js';
import { parseLinkFlags, parseReadFlags, scannerFlags, wholeNumber } from './flags.js';
import { EXIT_OK, warner, type CliIO } from './io.js';

export async function runLink(inputs: string[], options: LinkCliOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const redactKey = await readRedactKey(options, io);
  const { similarity, genericOver, minSize } = parseLinkFlags(options, DEFAULT_LINK_OPTIONS);
  const read = parseReadFlags(options);
  const jobs = wholeNumber(options.jobs, '--jobs', 0) ?? defaultJobs();
  const allow = await readAllowlist(options.allow);
  if (inputs.length === 0)
    throw new LurescanError('USAGE', 'no inputs: name verdict files (scan --format jsonl --include-text), postings to score, folders, or - for standard input');
  const warn = warner(io, options.quiet);

  const planned = await planInputs(inputs);
  const temp = await mkdtemp(path.join(tmpdir(), 'lurescan-link-'));
  const outputs = new OutputFiles();
  try {
    const units = await distinctInputs(planned, io.stdin, temp, warn);
    await refuseInputAsOutput(
      [options.out, options.edges, options.graphml],
      units,
      (target, input) => `${target} is one of the inputs (${input}): write the output to another file`,
    );
    const [outFile, edgesFile, graphFile] = [await outputs.open(options.out), await outputs.open(options.edges), await outputs.open(options.graphml)];
    const scanning = { ...scannerFlags(options, redactKey), jobs, includeText: true, cwd: io.cwd, onWarning: warn };
    const open = async () => (await import('../run/scanner.js')).openScanner(scanning);
    const { sources, inputs: counted } = await verdictSources(units, { temp, read: { ...read, stdin: io.stdin, onWarning: warn }, holdsVerdicts, open });
    const linked = await linkVerdictFiles(
      sources,
      { similarity, genericOver, minSize, allow },
      { titles: graphFile !== undefined, ...(redactKey !== undefined ? { redactKey } : {}) },
    );
    checkLinked(linked.counts, warn);
    const settings = { similarity, genericOver, minSize, ...(options.allow !== undefined ? { allow: options.allow } : {}) };
    const summary = linkSummary(VERSION, counted, linked, settings);

    // The cluster records, then the edges and the graph.
    await writeChunks(outFile ? outFile.stream : io.stdout, clusterLines(linked.collector, summary));
    if (edgesFile) await writeChunks(edgesFile.stream, linked.collector.edgesCsv());
    if (graphFile) await writeChunks(graphFile.stream, linked.collector.graphml());
    await outputs.commit();
    summary.elapsedMs = Date.now() - started;
    if (options.summaryOut !== undefined) await writeWholeFile(options.summaryOut, `${JSON.stringify(summary, null, 2)}\n`);
    if (!options.quiet && options.summary !== false) io.stderr.write(formatLinkSummary(summary, { share: PLATFORM_SHARE, min: PLATFORM_MIN }));
    return EXIT_OK;
  } catch (error) {
    await outputs.abort();
    throw error;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
