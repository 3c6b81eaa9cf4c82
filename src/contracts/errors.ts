// Errors a user can act on: thrown with a code (the same codes error records carry) and a message
// the CLI prints as it is, never a stack. Kinds that callers tell apart (a damaged model file, a
// failed fetch) are subclasses, so one `instanceof LurescanError` sees them all.
import type { CodedMessage } from './problem.js';

/** A user-facing failure with a code; the CLI prints the message, never a stack. */
export class LurescanError extends Error implements CodedMessage {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LurescanError';
  }
}
