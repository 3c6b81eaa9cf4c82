// The cluster record: one JSON line per network of postings that `lurescan link` writes and
// `lurescan report --clusters` reads (the shared contract of issue 13; do not rename fields).
import type { Label } from './labels.js';
import type { SourceRef } from './posting.js';

/** Why members were joined: a shared identifier (`contact`), a near-duplicate text (`template`). */
export type ClusterReason = 'contact' | 'template';

export interface ClusterMember {
  /** Exactly the verdict record's `id` and `source`, so a consumer joins on them. */
  id: string;
  source: SourceRef;
}

export interface ClusterIdentifier {
  /** A contact's `key`: `handle:hr_linda_kh`, `phone:+85512345678`, `wallet:tron:T...`. */
  key: string;
  /** The key's kind: phone, handle, email, domain, wallet. */
  kind: string;
  /** Members of this cluster that carry it. */
  postings: number;
}

export interface ClusterRecord {
  /** `c-000001`, numbered in the order of the clusters' first members. */
  cluster: string;
  size: number;
  members: ClusterMember[];
  reasons: ClusterReason[];
  identifiers: ClusterIdentifier[];
  /** The member the scoring flagged most strongly (the first such), and its text. */
  exemplar: { id: string; text: string };
  /** Members flagged with each label. */
  labels: Record<Label, number>;
  /** Members flagged with any label. */
  flagged: number;
  score: Record<Label, { max: number; mean: number }>;
  /** Members by detected language. */
  langs: Record<string, number>;
  /** Members by source file (or URL host). */
  sources: Record<string, number>;
  /** The earliest and latest posting date (YYYY-MM-DD), when members carry one. */
  firstSeen?: string;
  lastSeen?: string;
}

/** A URL's host as sources and domains are named: lower-case, without `www.`; undefined when it is no URL. */
export function urlHost(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === '') return undefined;
  try {
    const host = new URL(url.trim()).hostname.toLowerCase();
    return host.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a posting came from, as cluster records count `sources` and the review report filters by
 * them: its file, else its URL's host, else the URL as written; undefined when it names neither.
 */
export function sourceNameOf(source: SourceRef | undefined): string | undefined {
  return source?.file || urlHost(source?.url) || source?.url || undefined;
}

/** Why `link` did not join postings on an identifier: allowlisted, generic, or a platform's own. */
export type FilterReason = 'allowlist' | 'generic' | 'platform';

export interface FilteredIdentifier {
  key: string;
  kind: string;
  reason: FilterReason;
  /** Postings that carry it. */
  postings: number;
  /** generic: the different texts (templates) among them. */
  templates?: number;
  /** platform: the source whose `url` field carries it. */
  source?: string;
}

/** The run summary `link` prints on stderr and writes with --summary-out. */
export interface LinkSummary {
  version: string;
  postings: number;
  /** Verdict files read as they were, and inputs scored by link itself (their postings). */
  inputs: { verdictFiles: number; scoredFiles: number; scoredPostings: number };
  errors: { total: number; byCode: Record<string, number> };
  unreadableLines: number;
  /** Verdicts without text: their templates judged on short fields only. */
  shortFieldsOnly: number;
  /** Postings whose text is too short to be judged a template. */
  tooShortForTemplate: number;
  clusters: {
    total: number;
    postings: number;
    byReason: { contact: number; template: number; 'contact+template': number };
    largest?: { cluster: string; size: number };
  };
  identifiers: { filtered: Record<'allowlist' | 'generic' | 'platform', number>; list: FilteredIdentifier[] };
  settings: { similarity: number; genericOver: number; minSize: number; allow?: string; shingle: number; bins: number; bands: number };
  elapsedMs: number;
}
