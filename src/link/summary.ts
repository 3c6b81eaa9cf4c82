// `link`'s run summary (`LinkSummary`, contracts/cluster.ts): built from the two passes' counts and
// the plan, completed as the cluster records are written; report/link-summary.ts prints it.
import type { ClusterRecord, LinkSummary } from '../contracts/cluster.js';
import { LurescanError } from '../types.js';
import { jsonLine, type ClusterCollector } from './clusters.js';
import type { LinkOptions, LinkPlan } from './linker.js';
import { BANDS, BINS, SHINGLE } from './minhash.js';
import type { LinkCounts } from './run.js';

/** The summary before the cluster records are written: their reasons, the largest and the time come after. */
export function linkSummary(
  version: string,
  inputs: LinkSummary['inputs'],
  { plan, counts }: { plan: LinkPlan; counts: LinkCounts },
  options: Omit<LinkOptions, 'allow'> & { allow?: string },
): LinkSummary {
  const errorTotal = Object.values(counts.errors).reduce((a, b) => a + b, 0);
  const summary: LinkSummary = {
    version,
    postings: counts.verdicts,
    inputs,
    errors: { total: errorTotal, byCode: Object.fromEntries(Object.entries(counts.errors).sort(([a], [b]) => (a < b ? -1 : 1))) },
    unreadableLines: counts.unreadable,
    shortFieldsOnly: counts.shortFieldsOnly,
    tooShortForTemplate: plan.unsketched,
    clusters: { total: plan.sizes.length, postings: plan.clustered, byReason: { contact: 0, template: 0, 'contact+template': 0 } },
    identifiers: { filtered: { allowlist: 0, generic: 0, platform: 0 }, list: plan.filtered },
    settings: { ...options, shingle: SHINGLE, bins: BINS, bands: BANDS },
    elapsedMs: 0,
  };
  for (const item of plan.filtered) summary.identifiers.filtered[item.reason]++;
  return summary;
}

/** The cluster records as JSON lines, each counted into the summary (by reason, and the largest) as it goes. */
export function* clusterLines(collector: ClusterCollector, summary: LinkSummary): Generator<string> {
  for (const record of collector.records()) {
    yield `${jsonLine(record)}\n`;
    countCluster(summary, record);
  }
}

function countCluster(summary: LinkSummary, record: ClusterRecord): void {
  const reason = record.reasons.join('+') as keyof LinkSummary['clusters']['byReason'];
  if (reason in summary.clusters.byReason) summary.clusters.byReason[reason]++;
  if (summary.clusters.largest === undefined || record.size > summary.clusters.largest.size)
    summary.clusters.largest = { cluster: record.cluster, size: record.size };
}

/**
 * What the passes found that the user should hear of: no verdict at all is an error (NO_VERDICTS,
 * saying why); verdicts without text and lines that are no record are warnings.
 */
export function checkLinked(counts: LinkCounts, warn: (message: string) => void): void {
  const errorTotal = Object.values(counts.errors).reduce((a, b) => a + b, 0);
  if (counts.verdicts === 0) {
    const why = counts.firstUnreadable ?? (errorTotal > 0 ? `${errorTotal} error record(s), no verdict` : 'no records');
    throw new LurescanError('NO_VERDICTS', `nothing to link: the inputs hold no verdicts (${why})`);
  }
  if (counts.shortFieldsOnly > 0) {
    warn(
      `${counts.shortFieldsOnly} verdict(s) carry no text (scanned without --include-text): their templates are judged on the short fields only (title, company, location, salary, contact)`,
    );
  }
  if (counts.unreadable > 0) warn(`${counts.unreadable} line(s) are neither verdicts nor error records and were skipped; the first: ${counts.firstUnreadable}`);
}
