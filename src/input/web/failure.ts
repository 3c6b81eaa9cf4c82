// A fetch that failed: an error code for the error record, a message naming the URL and the cause,
// and whether trying again might help.
import { LurescanError } from '../../contracts/errors.js';

export interface FailureDetails {
  /** Worth another attempt (network error, 429, 5xx). */
  retryable?: boolean;
  /** How long the server asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  /** The HTTP status, when the failure is one. */
  status?: number;
}

/** A fetch that failed: a LurescanError whose code goes into the URL's error record. */
export class FetchFailure extends LurescanError {
  constructor(
    code: string,
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(code, message);
    this.name = 'FetchFailure';
  }
}

/** Network errors worth another try: the connection broke, or DNS was briefly unavailable. */
const TRANSIENT = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** A failure from undici or the socket, named for a user. */
export function networkFailure(url: string, error: unknown, timeoutMs: number): FetchFailure {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const detail = err.cause?.message ?? err.message ?? String(error);
  if (TIMEOUTS.has(code))
    return new FetchFailure('FETCH_TIMEOUT', `${url}: no complete response within ${timeoutMs / 1000} s (${detail}); raise --timeout to wait longer`);
  if (code === 'ENOTFOUND') return new FetchFailure('FETCH_NETWORK', `${url}: host not found (DNS lookup failed)`);
  if (code === 'ECONNREFUSED') return new FetchFailure('FETCH_NETWORK', `${url}: connection refused (nothing listens at that address)`);
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code))
    return new FetchFailure('FETCH_NETWORK', `${url}: TLS failed (${code}: ${detail})`);
  if (code.startsWith('HPE_')) return new FetchFailure('FETCH_NETWORK', `${url}: the server's reply is not valid HTTP (${detail})`);
  return new FetchFailure('FETCH_NETWORK', `${url}: ${code ? `${code}: ` : ''}${detail}`, { retryable: TRANSIENT.has(code) });
}
