// The package's entry: `import { createScanner } from 'lurescan'`. What it exports is the library's
// contract (semver): the scanner, and the shapes of the records it returns (design/contracts.md).
export { createScanner, type PostingInput, type Scanner, type ScannerOptions } from './run/scanner.js';
export type { ModelSummary } from './report/summary.js';
export { extractContacts, hashContactValue, redactVerdict, type ContactHints, type RedactKey } from './contacts/index.js';
export {
  isErrorRecord,
  LABELS,
  LurescanError,
  type Contact,
  type ContactApp,
  type ContactKind,
  type ErrorInfo,
  type ErrorRecord,
  type Hit,
  type Label,
  type ModelEvidence,
  type OutputRecord,
  type Posting,
  type SourceRef,
  type Verdict,
  type WalletNetwork,
  type Warning,
} from './types.js';
