// The contract types' one import point. Each is defined in src/contracts/, one file a concept
// (labels.ts, posting.ts, verdict.ts, contact.ts, read-item.ts, problem.ts, errors.ts); this file
// re-exports them for the stages and for the library's public API (src/index.ts).
export type { Contact, ContactApp, ContactKind, WalletNetwork } from './contracts/contact.js';
export { CATEGORIES, LABELS, SHARED_CATEGORIES, type Label } from './contracts/labels.js';
export { KNOWN_FIELDS, SHORT_FIELDS, type Posting, type SourceRef, type Warning } from './contracts/posting.js';
export {
  isErrorRecord,
  type ErrorInfo,
  type DeniedHit,
  type ErrorRecord,
  type Hit,
  type ModelEvidence,
  type OutputRecord,
  type Verdict,
} from './contracts/verdict.js';
export type { ReadItem } from './contracts/read-item.js';
export { LurescanError } from './contracts/errors.js';
