// What scoring a posting gives: a verdict with its evidence (hits, model, contacts), or an error
// record in its place; a run's output is one of the two for every posting read.
import type { Contact } from './contact.js';
import type { Label } from './labels.js';
import type { SourceRef, Warning } from './posting.js';
import type { CodedMessage } from './problem.js';

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

/**
 * A rule match a denial held ("we will never ask you to pay a fee"): the rule searched on past it
 * and, finding no other match, did not hit (`--explain`). `cue`: the denial's words.
 */
export interface DeniedHit extends Hit {
  cue: string;
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
  /** The report head's probability that the posting is a report (news, an advisory) rather than an offer (absent: the model has no head). */
  report?: number;
  /** Labels whose scores reached their thresholds but were not flagged: `report` reached the scoring file's `report-mute`. */
  muted?: Label[];
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
  /**
   * Labels whose scores reached their thresholds but were not flagged because every rule hit of the
   * label that scored lies inside quotation marks and the text around them warns of the offer or
   * asks whether it is real (`cue`: the words found): a warning that quotes an offer, not the offer
   * (scoring file's `quote-mute`).
   */
  quoted?: { muted: Label[]; cue: string };
  /** With `--explain`: the rules that would have hit but for a denial of their matches (absent when none). */
  denied?: DeniedHit[];
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
