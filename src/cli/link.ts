// `lurescan link <verdicts or inputs...>`: postings into networks (shared identifiers, near-duplicate
// texts). Verdict JSONL files are read as they are; any other input is scored here first (with its
// text) into a temporary verdict file, so both passes of src/link read verdicts alike.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseMapOption } from '../input/fields.js';
import { decodeText } from '../input/decode.js';
import { planInputs, readInputs, type InputUnit } from '../input/index.js';
import {
  BANDS,
  BINS,
  DEFAULT_LINK_OPTIONS,
  EMPTY_ALLOWLIST,
  jsonLine as clusterLine,
  linkVerdictFiles,
  parseAllowlist,
  PLATFORM_MIN,
  PLATFORM_SHARE,
  readLines,
  recordKind,
  SHINGLE,
  type LineSource,
  type LinkOptions,
} from '../link/index.js';
import { VERSION } from '../paths.js';
import { formatLinkSummary } from '../report/link-summary.js';
import { jsonLine } from '../report/writers.js';
import type { LinkSummary } from '../contracts/cluster.js';
import type { RunScanner } from '../run/scanner.js';
import { defaultJobs } from '../run/pool.js';
import { LurescanError } from '../types.js';
import { parseEncodingOption, parseInputFormat, parseLimitOptions, wholeNumber } from './flags.js';
import { inputAt, openOutput, Sink, type AtomicFile, type CliIO } from './io.js';
import { readRedactKey } from './redact-key.js';

export interface LinkCliOptions {
  out?: string;
  edges?: string;
  graphml?: string;
  similarity?: string;
  genericOver?: string;
  minSize?: string;
  allow?: string;
  summaryOut?: string;
  rules?: string;
  model?: string | false;
  jobs?: string;
  map?: string;
  inputFormat?: string;
  encoding?: string;
  maxRecord?: string;
  maxRatio?: string;
  quiet?: boolean;
  summary?: boolean;
  redact?: boolean;
  redactKeyFile?: string;
}

/** How many lines of a file `link` reads to tell verdicts from postings. */
const SNIFF_LINES = 20;

/**
 * Whether a file holds verdict records (`lurescan scan --format jsonl` output): its first non-blank
 * lines are verdicts (`flagged`, `scores`) or error records, at least one a verdict unless all are
 * errors. A whole `scan --format json` output is refused with what to do instead.
 */
async function isVerdictFile(unit: InputUnit, encoding: string | undefined): Promise<boolean> {
  if (unit.kind !== 'file' || unit.path === undefined) return false;
  let seen = 0;
  let verdicts = 0;
  try {
    for await (const { line, tooLong } of readLines(
      decodeText(createReadStream(unit.path, { highWaterMark: 64 * 1024 }), { invalidUtf8: false, nul: false }, encoding),
      16 * 1024 * 1024,
    )) {
      if (tooLong) return false;
      if (seen === 0 && /^\s*\{\s*"verdicts"\s*:/.test(line)) {
        throw new LurescanError(
          'USAGE',
          `${unit.name} is a whole \`scan --format json\` output; link reads verdict JSON lines: scan again with --format jsonl --include-text`,
        );
      }
      if (!line.trimStart().startsWith('{')) return false;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return false;
      }
      const kind = recordKind(value);
      if (kind === undefined) return false;
      if (kind === 'verdict') verdicts++;
      if (++seen >= SNIFF_LINES || verdicts > 0) break;
    }
  } catch (error) {
    if (error instanceof LurescanError && error.code === 'USAGE') throw error;
    return false; // unreadable, binary, damaged gzip: the readers will say so as error records
  }
  return seen > 0;
}

/** A display name's order: link reads its inputs sorted, so the order they are given in changes nothing. */
const byName = (a: InputUnit, b: InputUnit): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function runLink(inputs: string[], options: LinkCliOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const redactKey = await readRedactKey(options, io);
  const similarity = options.similarity === undefined ? DEFAULT_LINK_OPTIONS.similarity : Number(options.similarity);
  if (!(similarity > 0 && similarity <= 1) || options.similarity?.trim() === '')
    throw new LurescanError('USAGE', `--similarity must be a number above 0 and at most 1, such as 0.6 (got \`${options.similarity}\`)`);
  const genericOver = wholeNumber(options.genericOver, '--generic-over', 1) ?? DEFAULT_LINK_OPTIONS.genericOver;
  const minSize = wholeNumber(options.minSize, '--min-size', 2) ?? DEFAULT_LINK_OPTIONS.minSize;
  const inputFormat = parseInputFormat(options.inputFormat);
  const map = parseMapOption(options.map);
  const encoding = parseEncodingOption(options.encoding);
  const limits = parseLimitOptions(options);
  const jobs = wholeNumber(options.jobs, '--jobs', 0) ?? defaultJobs();
  let allow = EMPTY_ALLOWLIST;
  if (options.allow !== undefined) {
    try {
      allow = parseAllowlist(await readFile(options.allow, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new LurescanError('USAGE', `--allow ${options.allow}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`);
    }
  }
  if (inputs.length === 0)
    throw new LurescanError('USAGE', 'no inputs: name verdict files (scan --format jsonl --include-text), postings to score, folders, or - for standard input');
  const warn = (message: string): void => {
    if (!options.quiet) io.stderr.write(`lurescan: warning: ${message}\n`);
  };

  const planned = await planInputs(inputs);
  const temp = await mkdtemp(path.join(tmpdir(), 'lurescan-link-'));
  const outputs: AtomicFile[] = [];
  let scanner: RunScanner | undefined;
  try {
    // Standard input is kept in a file: link reads its verdicts twice.
    const units: InputUnit[] = [];
    const seen = new Set<string>();
    for (const unit of planned) {
      if (unit.kind === 'stdin') {
        if (seen.has('-')) continue;
        seen.add('-');
        const spooled = path.join(temp, 'stdin');
        await pipeline(io.stdin, createWriteStream(spooled));
        units.push({ kind: 'file', name: '-', path: spooled });
        continue;
      }
      const identity = unit.path !== undefined ? path.resolve(unit.path) : unit.name;
      if (seen.has(identity)) {
        warn(`${unit.name} is given twice: read once`);
        continue;
      }
      seen.add(identity);
      units.push(unit);
    }
    units.sort(byName);
    for (const target of [options.out, options.edges, options.graphml]) {
      const input = target === undefined ? undefined : await inputAt(target, units);
      if (input !== undefined) throw new LurescanError('USAGE', `${target} is one of the inputs (${input.name}): write the output to another file`);
    }
    const open = async (target: string | undefined): Promise<AtomicFile | undefined> => {
      if (target === undefined) return undefined;
      const file = await openOutput(target);
      outputs.push(file);
      return file;
    };
    const outFile = await open(options.out);
    const edgesFile = await open(options.edges);
    const graphFile = await open(options.graphml);

    const sources: LineSource[] = [];
    let verdictFiles = 0;
    let scoredFiles = 0;
    let scoredPostings = 0;
    const openText = (file: string) => () => decodeText(createReadStream(file, { highWaterMark: 256 * 1024 }), { invalidUtf8: false, nul: false }, encoding);
    for (const unit of units) {
      if (await isVerdictFile(unit, encoding)) {
        verdictFiles++;
        sources.push({ name: unit.name, open: openText(unit.path!) });
        continue;
      }
      // Postings: scored here, with their text, into a verdict file of link's own.
      scanner ??= await (await import('../run/scanner.js')).openScanner({
        ...(options.rules !== undefined ? { rules: options.rules } : {}),
        ...(options.model !== undefined ? { model: options.model } : {}),
        jobs,
        includeText: true,
        ...(redactKey !== undefined ? { redact: { key: redactKey } } : {}),
        cwd: io.cwd,
        onWarning: warn,
      });
      const file = path.join(temp, `scored-${sources.length}.jsonl`);
      const stream = createWriteStream(file);
      const sink = new Sink(stream);
      const items = readInputs([unit], {
        ...(inputFormat ? { inputFormat } : {}),
        ...(encoding ? { encoding } : {}),
        limits,
        map,
        stdin: io.stdin,
        onWarning: warn,
      });
      for await (const { record } of scanner.scoreItems(items)) {
        await sink.write(`${jsonLine(record)}\n`);
        if (!('error' in record)) scoredPostings++;
      }
      await sink.flush();
      stream.end();
      await new Promise<void>((resolve, reject) => stream.on('close', resolve).on('error', reject));
      scoredFiles++;
      sources.push({ name: unit.name, open: openText(file) });
    }
    await scanner?.close();
    scanner = undefined;

    const linkOptions: LinkOptions = { similarity, genericOver, minSize, allow };
    const { plan, collector, counts } = await linkVerdictFiles(sources, linkOptions, {
      titles: graphFile !== undefined,
      ...(redactKey !== undefined ? { redactKey } : {}),
    });
    const errorTotal = Object.values(counts.errors).reduce((a, b) => a + b, 0);
    if (counts.verdicts === 0) {
      for (const file of outputs) await file.abort();
      const why = counts.firstUnreadable ?? (errorTotal > 0 ? `${errorTotal} error record(s), no verdict` : 'no records');
      throw new LurescanError('NO_VERDICTS', `nothing to link: the inputs hold no verdicts (${why})`);
    }
    if (counts.shortFieldsOnly > 0) {
      warn(
        `${counts.shortFieldsOnly} verdict(s) carry no text (scanned without --include-text): their templates are judged on the short fields only (title, company, location, salary, contact)`,
      );
    }
    if (counts.unreadable > 0)
      warn(`${counts.unreadable} line(s) are neither verdicts nor error records and were skipped; the first: ${counts.firstUnreadable}`);

    // The cluster records, then the edges and the graph.
    const sink = new Sink(outFile ? outFile.stream : io.stdout);
    const summary: LinkSummary = {
      version: VERSION,
      postings: counts.verdicts,
      inputs: { verdictFiles, scoredFiles, scoredPostings },
      errors: { total: errorTotal, byCode: Object.fromEntries(Object.entries(counts.errors).sort(([a], [b]) => (a < b ? -1 : 1))) },
      unreadableLines: counts.unreadable,
      shortFieldsOnly: counts.shortFieldsOnly,
      tooShortForTemplate: plan.unsketched,
      clusters: { total: plan.sizes.length, postings: plan.clustered, byReason: { contact: 0, template: 0, 'contact+template': 0 } },
      identifiers: { filtered: { allowlist: 0, generic: 0, platform: 0 }, list: plan.filtered },
      settings: {
        similarity,
        genericOver,
        minSize,
        ...(options.allow !== undefined ? { allow: options.allow } : {}),
        shingle: SHINGLE,
        bins: BINS,
        bands: BANDS,
      },
      elapsedMs: 0,
    };
    for (const record of collector.records()) {
      await sink.write(`${clusterLine(record)}\n`);
      const reason = record.reasons.join('+') as keyof LinkSummary['clusters']['byReason'];
      if (reason in summary.clusters.byReason) summary.clusters.byReason[reason]++;
      if (summary.clusters.largest === undefined || record.size > summary.clusters.largest.size)
        summary.clusters.largest = { cluster: record.cluster, size: record.size };
    }
    await sink.flush();
    for (const [file, chunks] of [
      [edgesFile, () => collector.edgesCsv()],
      [graphFile, () => collector.graphml()],
    ] as const) {
      if (!file) continue;
      const out = new Sink(file.stream);
      for (const chunk of chunks()) await out.write(chunk);
      await out.flush();
    }
    for (const file of outputs) await file.commit();
    for (const item of plan.filtered) summary.identifiers.filtered[item.reason]++;
    summary.elapsedMs = Date.now() - started;
    if (options.summaryOut !== undefined) {
      const file = await openOutput(options.summaryOut);
      file.stream.write(`${JSON.stringify(summary, null, 2)}\n`);
      await file.commit();
    }
    if (!options.quiet && options.summary !== false) io.stderr.write(formatLinkSummary(summary, { share: PLATFORM_SHARE, min: PLATFORM_MIN }));
    return 0;
  } catch (error) {
    for (const file of outputs) await file.abort();
    throw error;
  } finally {
    await scanner?.close();
    await rm(temp, { recursive: true, force: true });
  }
}
