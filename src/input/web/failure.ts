// A fetch that failed: an error code for the error record, a message naming the URL and the cause,
// and whether trying again might help.
export interface FailureDetails {
  /** Worth another attempt (network error, 429, 5xx). */
  retryable?: boolean;
  /** How long the server asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  /** The HTTP status, when the failure is one. */
  status?: number;
}

export class FetchFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}
