// Fetch settings and their defaults (cli/flags.ts parses the command-line values that set them).
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

/** Create the cache folder up front, so a typo or a read-only place fails the run at once (exit 2). */
export async function prepareCacheDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new LurescanError('USAGE', `--cache ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
