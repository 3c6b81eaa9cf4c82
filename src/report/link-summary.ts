// `lurescan link`'s run summary as the lines it prints on stderr (the record itself, written with
// --summary-out, is `LinkSummary` in contracts/cluster.ts).
import type { LinkSummary } from '../contracts/cluster.js';

const n = (value: number): string => value.toLocaleString('en-US');

/**
 * The summary as lines for stderr. `platform` is the rule `link` filtered a site's own domain by
 * (a share of a source's postings, from a least number of them).
 */
export function formatLinkSummary(s: LinkSummary, platform: { share: number; min: number }): string {
  const lines: string[] = [];
  const scored = s.inputs.scoredFiles > 0 ? ` (${n(s.inputs.scoredPostings)} scored here from ${n(s.inputs.scoredFiles)} input(s))` : '';
  const errors =
    s.errors.total > 0
      ? `${n(s.errors.total)} error record(s) skipped (${Object.entries(s.errors.byCode)
          .map(([code, count]) => `${code} ${n(count)}`)
          .join(', ')})`
      : 'no error records';
  lines.push(`linked ${n(s.postings)} posting(s) from ${n(s.inputs.verdictFiles + s.inputs.scoredFiles)} input(s)${scored}; ${errors}`);
  if (s.unreadableLines > 0) lines.push(`skipped ${n(s.unreadableLines)} line(s) that are no record`);
  if (s.tooShortForTemplate > 0) lines.push(`${n(s.tooShortForTemplate)} posting(s) too short to be judged a template (joined by identifiers only)`);
  const r = s.clusters.byReason;
  const largest = s.clusters.largest ? `; largest ${s.clusters.largest.cluster} with ${n(s.clusters.largest.size)}` : '';
  lines.push(
    `clusters: ${n(s.clusters.total)} of ${s.settings.minSize}+ postings holding ${n(s.clusters.postings)} (shared identifier ${n(r.contact)}, template ${n(r.template)}, both ${n(r['contact+template'])})${largest}`,
  );
  const f = s.identifiers.filtered;
  const total = f.allowlist + f.generic + f.platform;
  lines.push(
    total === 0
      ? 'identifiers filtered: none'
      : `identifiers filtered: ${n(total)} (generic ${n(f.generic)}: in postings of more than ${s.settings.genericOver} different texts; platform ${n(f.platform)}: a site's own domain in the url field; allowlist ${n(f.allowlist)})`,
  );
  for (const item of s.identifiers.list.slice(0, 5)) {
    const why =
      item.reason === 'generic'
        ? `generic, in ${n(item.postings)} postings of ${n(item.templates ?? item.postings)} texts`
        : item.reason === 'platform'
          ? `platform, the url field of ${item.source}`
          : `allowlist, in ${n(item.postings)} posting(s)`;
    lines.push(`  ${item.key}: ${why}`);
  }
  if (s.identifiers.list.length > 5) lines.push(`  ... ${n(s.identifiers.list.length - 5)} more (--summary-out lists them all)`);
  lines.push(
    `settings: similarity ${s.settings.similarity} (estimated Jaccard of ${s.settings.shingle}-character shingles), generic over ${s.settings.genericOver}, platform share ${platform.share} of a source (${platform.min}+ postings); ${(s.elapsedMs / 1000).toFixed(1)} s`,
  );
  return `${lines.map((line) => `lurescan: ${line}`).join('\n')}\n`;
}
