// The contract types: one per concept, shared by every pipeline stage (see docs/contracts in README).
import type { Contact } from './contacts/types.js';
import type { CodedMessage } from './contracts/problem.js';

export type { Contact, ContactApp, ContactKind, WalletNetwork } from './contacts/types.js';

export const LABELS = ['forced-criminality', 'employment-fraud'] as const;
export type Label = (typeof LABELS)[number];

export const CATEGORIES: Readonly<Record<Label, readonly string[]>> = {
  'forced-criminality': [
    'destination',
    'routing',
    'cover-job',
    'pay',
    'travel-paid',
    'off-platform-contact',
    'requirements',
    'vague-employer',
    'urgency',
    'border-deception',
    'gambling-crypto',
    'already-abroad',
    'referral',
    'documents-debt',
  ],
  'employment-fraud': ['advance-fee', 'equipment-cheque', 'reshipping', 'money-mule', 'data-harvesting', 'task-scam', 'impersonation', 'pay-to-work'],
};
/** Categories open to either label: hard negatives and combination rules. */
export const SHARED_CATEGORIES = ['legitimacy', 'combination'] as const;

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

export interface Hit {
  rule: string;
  label: Label;
  category: string;
  points: number;
  /** Absent on combination hits, which rest on other hits rather than on text. */
  field?: string;
  /** UTF-16 code-unit offsets of the match in the field's original text (JavaScript, Java, C#). */
  start?: number;
  end?: number;
  /** The same span in code points (Python, pandas, spaCy, Label Studio): differs after an emoji or other astral character. */
  cpStart?: number;
  cpEnd?: number;
  match?: string;
  /** For combination hits: the rule ids that satisfied it. */
  combines?: string[];
}

export interface ModelEvidence {
  /** Why the model did not judge this posting (too little training data in its language, too few known tokens); no label or points then. */
  abstained?: string;
  label?: string;
  probabilities?: Record<string, number>;
  /** The labels the model adds points for, when it learned too little of the other in this language (absent: both). */
  judges?: Label[];
  /** Why it adds no points for a label it reports a probability of. */
  withheld?: string;
  points?: Partial<Record<Label, number>>;
  tokens?: { for: string[]; against: string[] };
}

export interface Verdict {
  id: string;
  source: SourceRef;
  posting: Record<string, string>;
  /** The posting's language as detected (BCP 47: en, vi, zh-Hans, ...; `und` when unclear). */
  lang: string;
  flagged: boolean;
  labels: Label[];
  scores: Record<Label, number>;
  hits: Hit[];
  /** Phone numbers, chat handles and links, e-mail, domains and wallets the posting gives, one entry per occurrence (absent when none). */
  contacts?: Contact[];
  model?: ModelEvidence;
  warnings?: Warning[];
  text?: Record<string, string>;
}

/** Why a posting or an input could not be scored (contracts/problem.ts). */
export type ErrorInfo = CodedMessage;

export interface ErrorRecord {
  id: string;
  source: SourceRef;
  error: ErrorInfo;
}

export type OutputRecord = Verdict | ErrorRecord;

export function isErrorRecord(record: OutputRecord): record is ErrorRecord {
  return 'error' in record;
}

/** What a reader yields: a posting to score, or an error in its place (contracts/read-item.ts). */
export type { ReadItem } from './contracts/read-item.js';

export { LurescanError } from './contracts/errors.js';
