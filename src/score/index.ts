// Verdicts: a posting's hits turned into scores, labels and the record users read (no I/O).
import { evaluateRules, prepareFields, scoreHits, type CompiledRuleSet, type EvaluateOptions } from '../rules/engine.js';
import { LABELS, SHORT_FIELDS, type Hit, type Label, type Posting, type Verdict } from '../types.js';

export interface VerdictOptions {
  /** Copy every field's full text into the verdict (`--include-text`). */
  includeText?: boolean;
}

/** The short fields that tell a reader which ad this is. */
export function postingSummary(posting: Posting): Record<string, string> {
  const summary: Record<string, string> = {};
  for (const name of SHORT_FIELDS) {
    const value = posting.fields[name];
    if (value !== undefined) summary[name] = value.length > 300 ? `${value.slice(0, 300)}…` : value;
    else if (name === 'title' || name === 'company' || name === 'location' || name === 'url') summary[name] = '';
  }
  return summary;
}

/** Strongest evidence first; ties by rule id so output is stable. */
export function sortHits(hits: Hit[]): Hit[] {
  return hits.sort((a, b) => b.points - a.points || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

export function buildVerdict(posting: Posting, hits: Hit[], set: CompiledRuleSet, options: VerdictOptions = {}): Verdict {
  const scores = scoreHits(hits, set.scoring);
  const labels = LABELS.filter((label: Label) => scores[label] >= set.scoring.thresholds[label]);
  const verdict: Verdict = {
    id: posting.id,
    source: posting.source,
    posting: postingSummary(posting),
    flagged: labels.length > 0,
    labels,
    scores,
    hits: sortHits(hits),
  };
  if (posting.warnings?.length) verdict.warnings = posting.warnings;
  if (options.includeText) verdict.text = { ...posting.fields };
  return verdict;
}

/** Score one posting against a compiled rule set. */
export function scorePosting(
  set: CompiledRuleSet,
  posting: Posting,
  options: VerdictOptions & EvaluateOptions = {},
): Verdict {
  const hits = evaluateRules(set, prepareFields(posting), options);
  return buildVerdict(posting, hits, set, options);
}
