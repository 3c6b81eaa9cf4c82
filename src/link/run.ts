// The two passes of `link` over verdict files: pass one sketches and indexes every verdict, the
// linker clusters, pass two collects what the cluster records show for clustered postings only.
// Error records and lines that are no record are counted and skipped, the same lines in both
// passes, so a posting's index means the same posting in each.
import type { RedactKey } from '../contacts/index.js';
import { LurescanError } from '../types.js';
import { ClusterCollector } from './clusters.js';
import { readLines, type LineSource } from './lines.js';
import { Linker, type LinkOptions, type LinkPlan } from './linker.js';
import { parseVerdictLine } from './verdicts.js';

export interface LinkCounts {
  /** Verdicts read (postings). */
  verdicts: number;
  /** Error records skipped, by code. */
  errors: Record<string, number>;
  /** Lines that are neither a verdict nor an error record (not JSON, or another object, or over the line limit). */
  unreadable: number;
  /** The first such line, as `file line n: why`. */
  firstUnreadable?: string;
  /** Verdicts without `text` (scanned without --include-text): their templates are judged on short fields only. */
  shortFieldsOnly: number;
}

export interface LinkResult {
  plan: LinkPlan;
  collector: ClusterCollector;
  counts: LinkCounts;
}

/** Longest verdict line read (a verdict with its text, of a posting at scan's 16 MB record limit). */
export const MAX_VERDICT_LINE = 64 * 1024 * 1024;

export async function linkVerdictFiles(
  sources: readonly LineSource[],
  options: LinkOptions,
  {
    maxLine = MAX_VERDICT_LINE,
    titles = false,
    redactKey,
  }: {
    maxLine?: number;
    titles?: boolean /** Redact each verdict as read (`--redact`): identifiers join on their keyed hashes. */;
    redactKey?: RedactKey;
  } = {},
): Promise<LinkResult> {
  const linker = new Linker(options);
  const counts: LinkCounts = { verdicts: 0, errors: {}, unreadable: 0, shortFieldsOnly: 0 };
  /** Per source: the numbers of the lines that are no verdict, and how many verdicts it held. */
  const skipped: Array<Set<number>> = [];
  const held: number[] = [];
  for (const source of sources) {
    const skip = new Set<number>();
    let verdicts = 0;
    for await (const { line, number, tooLong } of readLines(source.open(), maxLine)) {
      const parsed = tooLong ? ({ kind: 'other', reason: `longer than ${maxLine} characters` } as const) : parseVerdictLine(line, redactKey);
      if (parsed.kind === 'verdict') {
        linker.add(parsed.verdict);
        verdicts++;
        if (parsed.verdict.text === undefined) counts.shortFieldsOnly++;
        continue;
      }
      skip.add(number);
      if (parsed.kind === 'error') counts.errors[parsed.code] = (counts.errors[parsed.code] ?? 0) + 1;
      else {
        counts.unreadable++;
        counts.firstUnreadable ??= `${source.name} line ${number}: ${parsed.reason}`;
      }
    }
    skipped.push(skip);
    held.push(verdicts);
    counts.verdicts += verdicts;
  }

  const plan = linker.build();
  const collector = new ClusterCollector(plan, { titles });
  if (plan.clustered > 0) {
    let index = 0;
    for (const [s, source] of sources.entries()) {
      const skip = skipped[s]!;
      let verdicts = 0;
      for await (const { line, number } of readLines(source.open(), maxLine)) {
        if (skip.has(number)) continue;
        verdicts++;
        const at = index++;
        if (!collector.wants(at)) continue;
        const parsed = parseVerdictLine(line, redactKey);
        if (parsed.kind !== 'verdict') throw changed(source.name);
        collector.take(at, parsed.verdict);
      }
      if (verdicts !== held[s]) throw changed(source.name);
    }
    if (!collector.complete)
      throw new LurescanError('INPUT_CHANGED', 'the verdict files changed while link read them; run it again on files that are not being written');
  }
  return { plan, collector, counts };
}

function changed(name: string): LurescanError {
  return new LurescanError(
    'INPUT_CHANGED',
    `${name} changed while link read it (link reads its inputs twice); run it again on a file that is not being written`,
  );
}
