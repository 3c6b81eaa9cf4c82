// One job posting as read, and where it came from: what every reader yields and every stage scores.
import type { CodedMessage } from './problem.js';

/** Where a posting came from: a file with a row (CSV/TSV/JSON array), a line (JSONL), or a URL. */
export interface SourceRef {
  file?: string;
  row?: number;
  line?: number;
  index?: number;
  url?: string;
}

/** Well-known short fields, in the order verdicts show them. */
export const SHORT_FIELDS = ['title', 'company', 'location', 'salary', 'contact', 'url'] as const;
export const KNOWN_FIELDS = [...SHORT_FIELDS, 'description'] as const;

/** One job posting as read: an id, where it came from, and its text fields (known and extra). */
export interface Posting {
  id: string;
  source: SourceRef;
  fields: Record<string, string>;
  /** The answer-key column's value when the input has one (never scored). */
  label?: string;
  /** What the input says about the posting in `meta` / `meta.*` columns or keys (never scored), e.g. `lang`. */
  meta?: Record<string, string>;
  /** Problems met while reading that did not stop the posting from being scored. */
  warnings?: Warning[];
}

/** A problem met while reading a posting that did not stop it from being scored (contracts/problem.ts). */
export type Warning = CodedMessage;
