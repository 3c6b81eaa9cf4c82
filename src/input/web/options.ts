// Fetch settings, their defaults, and the parsing of the command-line values that set them.
import { mkdir } from 'node:fs/promises';
import { VERSION } from '../../paths.js';
import { LurescanError } from '../../types.js';

export interface FetchOptions {
  /** Requests in flight at once, over all hosts. */
  concurrency: number;
  /** Requests in flight at once to one host. */
  perHost: number;
  /** Least time between the starts of two requests to one host (robots.txt Crawl-delay can raise it). */
  delayMs: number;
  /** Time allowed for one request: connecting, the headers and the whole body. */
  timeoutMs: number;
  /** Retries after a network error, 429 or 5xx, with exponential backoff. */
  retries: number;
  /** Largest body accepted, after decompression. */
  maxBodyBytes: number;
  userAgent: string;
  ignoreRobots: boolean;
  /** Folder of the on-disk HTTP cache; no cache when undefined. */
  cacheDir?: string;
  /** First backoff delay; doubles with each retry (tests shorten it). */
  backoffMs: number;
}

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'lurescan';

export const DEFAULT_FETCH: FetchOptions = {
  concurrency: 8,
  perHost: 2,
  delayMs: 250,
  timeoutMs: 30_000,
  retries: 3,
  maxBodyBytes: 10 * 1024 * 1024,
  userAgent: `${ROBOTS_AGENT}/${VERSION} (job-posting scam scanner; respects robots.txt)`,
  ignoreRobots: false,
  backoffMs: 500,
};

/** Longest wait a Retry-After header may impose before we give up instead. */
export const MAX_RETRY_AFTER_MS = 120_000;
/** Highest Crawl-delay honoured, so one robots.txt cannot stall a run for hours. */
export const MAX_CRAWL_DELAY_MS = 60_000;
/** Redirects followed for one URL. */
export const MAX_REDIRECTS = 5;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `10MB`, `500k`, `1048576` as bytes (binary multiples, as `ls -h` and browsers' download bars count). */
export function parseSize(value: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new LurescanError('USAGE', `${name} must be a size such as 10MB, 500KB or 1048576 (got \`${value}\`)`);
  }
  return Math.floor(Number(match[1]) * unit);
}

/** A positive number of seconds (fractions allowed) as milliseconds. */
export function parseSeconds(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new LurescanError('USAGE', `${name} must be a number of seconds > 0 (got \`${value}\`)`);
  return Math.round(n * 1000);
}

/** The fetch options as the command line gives them (strings, unvalidated). */
export interface FetchFlags {
  concurrency?: string;
  perHost?: string;
  delay?: string;
  timeout?: string;
  retries?: string;
  maxBody?: string;
  userAgent?: string;
  ignoreRobots?: boolean;
  cache?: string;
}

function wholeNumber(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new LurescanError('USAGE', `${name} must be a whole number from ${min} to ${max} (got \`${value}\`)`);
  }
  return n;
}

/** Validate the fetch flags; a bad value is a USAGE error naming the flag. */
export function parseFetchFlags(flags: FetchFlags): Partial<FetchOptions> {
  const options: Partial<FetchOptions> = {};
  const set = <K extends keyof FetchOptions>(key: K, value: FetchOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('concurrency', wholeNumber(flags.concurrency, '--concurrency', 1, 256));
  set('perHost', wholeNumber(flags.perHost, '--per-host', 1, 64));
  set('delayMs', wholeNumber(flags.delay, '--delay', 0, 3_600_000));
  set('retries', wholeNumber(flags.retries, '--retries', 0, 20));
  if (flags.timeout !== undefined) options.timeoutMs = parseSeconds(flags.timeout, '--timeout');
  if (flags.maxBody !== undefined) options.maxBodyBytes = parseSize(flags.maxBody, '--max-body');
  if (flags.userAgent !== undefined) {
    if (flags.userAgent.trim() === '' || /[\r\n]/.test(flags.userAgent)) throw new LurescanError('USAGE', '--user-agent must be one line of text, not empty');
    options.userAgent = flags.userAgent.trim();
  }
  if (flags.ignoreRobots) options.ignoreRobots = true;
  if (flags.cache !== undefined) {
    if (flags.cache.trim() === '') throw new LurescanError('USAGE', '--cache needs a folder');
    options.cacheDir = flags.cache;
  }
  return options;
}

/** Create the cache folder up front, so a typo or a read-only place fails the run at once (exit 2). */
export async function prepareCacheDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new LurescanError('USAGE', `--cache ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
