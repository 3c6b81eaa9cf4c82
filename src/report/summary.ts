// Run totals: every record counted once, so read = scored + errors always holds.
import { LABELS, isErrorRecord, type Label, type OutputRecord } from '../types.js';

export interface Summary {
  read: number;
  scored: number;
  errors: number;
  flagged: { any: number } & Record<Label, number>;
  /** Postings not flagged although a label's score reached its threshold: taken for reports by the model's report head (model.muted) or by their quoted offer (quoted). */
  muted: number;
  /** Verdicts that carry reading warnings (damaged text that was still scanned). */
  warned: number;
  /** Verdicts scored without a rule switched off after timeouts (they carry a RULE_DISABLED warning). */
  withoutDisabledRules: number;
  errorCodes: Record<string, number>;
  disabledRules: string[];
  ruleset: { fingerprint: string; rules: number; files: number };
  /** The settings file read (`.lurescan.yaml`, package.json), if any. */
  config?: string;
  /** The model: the file and what it learned from, whether it was used, and why not. */
  model?: ModelSummary;
  /** Postings the model did not judge, by the kind of reason (`language`, `coverage`): they were scored by the rules alone. */
  modelAbstained: Record<string, number>;
  /** `--top`: the review budget, the flagged verdicts there were, and how many of them were left out of the output. */
  top?: { limit: number; flagged: number; leftOut: number };
  /** Postings by detected language. */
  languages: Record<string, number>;
  version: string;
  elapsedMs: number;
}

export interface ModelSummary {
  used: boolean;
  /** Why it was not used: `--no-model`, or why it is too small to trust. */
  reason?: string;
  /** As shown to users (relative to the working folder when inside it). */
  file?: string;
  /** Training documents per class. */
  documents?: Record<string, number>;
  trainedOn?: string;
  /** sha256 over what it learned from. */
  fingerprint?: string;
}

/** The summary's model line: file, what it learned from, and whether it was used. */
export function describeModelSummary(model: ModelSummary): string {
  if (model.file === undefined) return `none (${model.reason ?? 'no model'})`;
  const counts = Object.entries(model.documents ?? {})
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  const about = `${model.file} (${counts}; trained ${model.trainedOn || 'on an unknown date'}, data ${(model.fingerprint ?? '').slice(0, 12)})`;
  return model.used ? about : `${about}; NOT USED, too small to trust: ${model.reason}`;
}

export function emptySummary(version: string, ruleset: Summary['ruleset']): Summary {
  return {
    read: 0,
    scored: 0,
    errors: 0,
    flagged: { any: 0, 'forced-criminality': 0, 'employment-fraud': 0 },
    muted: 0,
    warned: 0,
    withoutDisabledRules: 0,
    errorCodes: {},
    disabledRules: [],
    modelAbstained: {},
    languages: {},
    ruleset,
    version,
    elapsedMs: 0,
  };
}

export function countRecord(summary: Summary, record: OutputRecord): void {
  summary.read++;
  if (isErrorRecord(record)) {
    summary.errors++;
    summary.errorCodes[record.error.code] = (summary.errorCodes[record.error.code] ?? 0) + 1;
    return;
  }
  summary.scored++;
  summary.languages[record.lang] = (summary.languages[record.lang] ?? 0) + 1;
  const abstained = record.model?.abstained;
  if (abstained !== undefined) {
    const kind = abstained.split(':')[0]!;
    summary.modelAbstained[kind] = (summary.modelAbstained[kind] ?? 0) + 1;
  }
  if (record.warnings?.some((w) => w.code !== 'RULE_DISABLED')) summary.warned++;
  if (record.warnings?.some((w) => w.code === 'RULE_DISABLED')) summary.withoutDisabledRules++;
  // A posting that keeps one label flagged while the other is muted (quote-mute judges each label)
  // is a flagged posting, not one of these.
  if ((record.model?.muted || record.quoted) && !record.flagged) summary.muted++;
  if (record.flagged) summary.flagged.any++;
  for (const label of record.labels) summary.flagged[label]++;
}

/** The one-paragraph summary printed on stderr. */
export function formatSummary(summary: Summary): string {
  const labels = LABELS.map((label) => `${label} ${summary.flagged[label]}`).join(', ');
  const lines = [`lurescan: read ${summary.read} = scored ${summary.scored} + errors ${summary.errors}; flagged ${summary.flagged.any} (${labels})`];
  if (summary.top) {
    const { limit, flagged, leftOut } = summary.top;
    lines.push(
      `  --top ${limit}: wrote the ${Math.min(limit, flagged)} most certain of ${flagged} flagged posting(s), most certain first; ${leftOut} left out`,
    );
  }
  const codes = Object.entries(summary.errorCodes).sort(([a], [b]) => (a < b ? -1 : 1));
  if (codes.length > 0) lines.push(`  errors by code: ${codes.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  if (summary.muted > 0)
    lines.push(
      `  ${summary.muted} posting(s) not flagged as taken for reports about an offer (news, advisories, warnings that quote it; see each verdict's model.muted or quoted)`,
    );
  if (summary.warned > 0) lines.push(`  ${summary.warned} posting(s) scanned with warnings (damaged text, guessed columns or encodings; see their "warnings")`);
  if (summary.disabledRules.length > 0) {
    lines.push(
      `  rules switched off after timeouts: ${summary.disabledRules.join(', ')}; ${summary.withoutDisabledRules} verdict(s) scored without them (warning RULE_DISABLED)`,
    );
  }
  if (summary.model !== undefined) lines.push(`  model: ${describeModelSummary(summary.model)}`);
  const abstained = Object.entries(summary.modelAbstained).sort(([a], [b]) => (a < b ? -1 : 1));
  if (abstained.length > 0) {
    const total = abstained.reduce((n, [, count]) => n + count, 0);
    lines.push(
      `  the model abstained on ${total} posting(s), scored by the rules alone (${abstained.map(([kind, n]) => `${kind} ${n}`).join(', ')}; see each verdict's model.abstained)`,
    );
  }
  const languages = Object.entries(summary.languages).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  if (languages.length > 0)
    lines.push(
      `  languages: ${languages
        .slice(0, 12)
        .map(([lang, n]) => `${lang} ${n}`)
        .join(', ')}${languages.length > 12 ? `, ${languages.length - 12} more` : ''}`,
    );
  if (summary.config !== undefined) lines.push(`  settings: ${summary.config}`);
  lines.push(
    `  rules: ${summary.ruleset.rules} from ${summary.ruleset.files} file(s), fingerprint ${summary.ruleset.fingerprint.slice(0, 12)}; ${(summary.elapsedMs / 1000).toFixed(2)} s`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The summary of a run done in shards (`scan --summary-out` each): counts added up, rules switched
 * off in any shard listed, elapsed time the longest shard's (shards run side by side). Shards must
 * have scored with the same rule set, model and lurescan, or their figures do not add up to one
 * run's: a string naming the difference is returned instead.
 */
export function mergeSummaries(parts: readonly Summary[]): Summary | string {
  if (parts.length === 0) return 'no summaries to merge';
  const first = parts[0]!;
  const modelOf = (s: Summary): string => (s.model?.used ? `${s.model.fingerprint ?? ''} ${JSON.stringify(s.model.documents ?? {})}` : 'none');
  for (const [k, part] of parts.entries()) {
    if (part.ruleset.fingerprint !== first.ruleset.fingerprint)
      return `summary ${k + 1} was scored with rule set ${part.ruleset.fingerprint.slice(0, 12)}, summary 1 with ${first.ruleset.fingerprint.slice(0, 12)}`;
    if (modelOf(part) !== modelOf(first))
      return `summary ${k + 1} was scored with another model than summary 1 (${describeModelSummary(part.model ?? { used: false })})`;
    if (part.version !== first.version) return `summary ${k + 1} was written by lurescan ${part.version}, summary 1 by ${first.version}`;
  }
  const merged = emptySummary(first.version, first.ruleset);
  const add = (into: Record<string, number>, from: Record<string, number>): void => {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  };
  for (const part of parts) {
    merged.read += part.read;
    merged.scored += part.scored;
    merged.errors += part.errors;
    // A summary written before `muted` was counted (same version number) has none: it muted nothing.
    merged.muted += part.muted ?? 0;
    merged.warned += part.warned;
    merged.withoutDisabledRules += part.withoutDisabledRules;
    add(merged.flagged, part.flagged);
    add(merged.errorCodes, part.errorCodes);
    add(merged.modelAbstained, part.modelAbstained);
    add(merged.languages, part.languages);
    for (const rule of part.disabledRules) if (!merged.disabledRules.includes(rule)) merged.disabledRules.push(rule);
    merged.elapsedMs = Math.max(merged.elapsedMs, part.elapsedMs);
  }
  if (first.model !== undefined) merged.model = first.model;
  if (parts.every((part) => part.config === first.config) && first.config !== undefined) merged.config = first.config;
  return merged;
}
