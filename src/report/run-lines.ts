// The lines a scan says on stderr besides its summary: an error record or a verdict's warnings as
// they come (-v), why the run exits 1 (--fail-on), and why it failed when nothing could be scored;
// and what `report` says once its page is written.
import { isErrorRecord, type ErrorRecord, type Label, type OutputRecord, type SourceRef } from '../types.js';
import type { ReviewData } from './review.js';
import type { Summary } from './summary.js';

/** Where a record came from, as `file row 13: ` (or line, or URL); empty when nothing is known. */
export function describeSource(source: SourceRef): string {
  const where = [source.file ?? source.url, source.row !== undefined ? `row ${source.row}` : source.line !== undefined ? `line ${source.line}` : undefined]
    .filter(Boolean)
    .join(' ');
  return where ? `${where}: ` : '';
}

/** One error record as a line: where, which code, what. */
export function describeErrorRecord(record: ErrorRecord): string {
  return `${describeSource(record.source)}${record.error.code}: ${record.error.message}`;
}

/** -v: an error record, or a verdict's warnings, as lines for stderr while the run goes on. */
export function recordLines(record: OutputRecord): string {
  if (isErrorRecord(record)) return `lurescan: error: ${describeErrorRecord(record)}\n`;
  return (record.warnings ?? [])
    .map((warning) => `lurescan: warning: ${describeSource(record.source) || `${record.id}: `}${warning.code}: ${warning.message}\n`)
    .join('');
}

/** What fails a run (`--fail-on`): labels whose flags do, whether error records do, and the flag as given. */
export interface FailureRule {
  labels: Iterable<Label>;
  errors: boolean;
  spec: string;
}

/** Why a run exits 1: the postings and error records that met --fail-on, or undefined when none did. */
export function failureReason(failOn: FailureRule | undefined, summary: Summary): string | undefined {
  if (!failOn) return undefined;
  const parts = [...failOn.labels].filter((label) => summary.flagged[label] > 0).map((label) => `${summary.flagged[label]} posting(s) flagged ${label}`);
  if (failOn.errors && summary.errors > 0) parts.push(`${summary.errors} error record(s)`);
  return parts.length > 0 ? `exit 1: ${parts.join(', ')} (--fail-on ${failOn.spec})` : undefined;
}

/** A run that scored nothing: the line that says so where a pipeline looks (the error records went to the output). */
export function noneScoredLine(summary: Summary, firstError: ErrorRecord | undefined): string {
  const first = firstError ? `, the first: ${describeErrorRecord(firstError)}` : '';
  return `lurescan: no posting could be scored: ${summary.errors} error record${summary.errors === 1 ? '' : 's'}${first}\n`;
}

/** `report`'s line once the page is written: records read, flagged, listed (and left out), errors, clusters. */
export function reportWrittenLine(data: ReviewData, o: { out: string | undefined; maxPostings: number; clusters: number | undefined }): string {
  const c = data.counts;
  const leftOut = data.leftOut > 0 ? ` (${data.leftOut} left out by --max-postings ${o.maxPostings})` : '';
  const errors = c.errors > 0 ? `, ${c.errors} error record(s)` : '';
  const clusters = o.clusters !== undefined ? `, ${o.clusters} cluster(s)` : '';
  return `lurescan: ${o.out !== undefined ? `wrote ${o.out}` : 'wrote the report'}: ${c.read} record(s), ${c.flagged.any} flagged, ${data.postings.length} listed${leftOut}${errors}${clusters}\n`;
}

/** What `train` says when it fits on a sample rather than every posting. */
export function trainingSampleLine(logistic: boolean, fitted: number, offered: number, maxIds: number): string {
  // The logistic fit needs every posting's tokens at once, as calibration does: both use the sample.
  const what = logistic ? 'fitting the weights and calibrating' : 'calibrating';
  const counted = logistic ? `all ${offered} are counted in the model's per-language counts (its abstention gate)` : `all ${offered} are counted in the model`;
  return `lurescan: ${what} on ${fitted} of ${offered} postings (whole ad groups, by hash): the rest would pass the ${maxIds / 1e6}M token ids training keeps in memory; ${counted}\n`;
}

/** What `train --reports` says of the report head it fitted, or why there is none. */
export function reportHeadLine(documents: readonly number[] | undefined, matched: number, needed: number): string {
  return documents
    ? `lurescan: report head: ${documents[1]} reports against ${documents[0]} offers\n`
    : `lurescan: warning: no report head: ${matched} posting(s) matched --reports, it needs ${needed} in the postings fitted on\n`;
}

/** What `train` learned and wrote. */
export function trainedLines(
  learned: { offered: number; added: number; moved: number; unchanged: number },
  model: { file: string; perClass: string; tokens: number; bytes: number },
  seconds: number,
): string {
  return (
    `lurescan: learned ${learned.offered} labelled postings: ${learned.added} new, ${learned.moved} moved to a new label, ${learned.unchanged} already learned with that label\n` +
    `  model ${model.file}: ${model.perClass}; ${model.tokens} tokens; ${(model.bytes / 1e6).toFixed(1)} MB; ${seconds.toFixed(2)} s\n`
  );
}
