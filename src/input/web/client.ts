// HTTP with undici, politely: one connection pool, a global and a per-host limit with a delay
// between requests to a host, robots.txt (RFC 9309), a timeout covering connect, headers and body,
// retries with exponential backoff on network errors, 429 and 5xx (honouring Retry-After),
// redirects followed by hand (at most 5, loops caught), a body cap, a content-type check,
// gzip/deflate/brotli, and an optional on-disk cache. Every failure is a FetchFailure with a code.
import { STATUS_CODES } from 'node:http';
import { Agent } from 'undici';
import { kindOfMediaType } from '../media-type.js';
import { formatBytes } from '../../format-bytes.js';
import { ACCEPT_ENCODING, decompress, header, readLimited, type Headers } from './body.js';
import { DiskCache, freshUntil, keptHeaders, storable, validators, type CachedResponse } from './cache.js';
import { FetchFailure, networkFailure } from './failure.js';
import { HostLimits, Semaphore } from './limits.js';
import { MAX_CRAWL_DELAY_MS, MAX_REDIRECTS, MAX_RETRY_AFTER_MS, type FetchOptions } from './options.js';
import { REDIRECTS, RobotsGate, ROBOTS_MAX_BYTES } from './robots.js';

/** A response as the client hands it on: status, headers, and the decompressed body. */
export interface Response {
  status: number;
  headers: Headers;
  /** Decompressed; empty for statuses whose body is not wanted (redirects, errors). */
  body: Buffer;
}

export interface FetchedPage {
  /** Where the page was found after redirects. */
  finalUrl: string;
  contentType?: string;
  body: Buffer;
}

type Purpose = 'page' | 'robots';

const PAGE_ACCEPT = 'text/html,application/xhtml+xml,application/ld+json;q=0.9,application/json;q=0.9,text/plain;q=0.8,*/*;q=0.1';
function statusLine(status: number): string {
  return `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Drop a body we do not want (a redirect's, an error page's) without leaving an unhandled 'error'. */
async function discard(body: { dump(options?: { limit: number }): Promise<void> }): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class FetchClient {
  private readonly agent: Agent;
  private readonly global: Semaphore;
  private readonly hosts: HostLimits;
  private readonly robots: RobotsGate;
  private readonly cache: DiskCache | undefined;
  private readonly closing = new AbortController();
  /** Fetches under way by URL, so a URL listed twice is fetched once while the first is in flight. */
  private readonly inFlight = new Map<string, Promise<FetchedPage>>();
  private cacheFailed = false;

  constructor(
    private readonly options: FetchOptions,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.agent = new Agent({
      connections: options.perHost,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    this.global = new Semaphore(options.concurrency);
    this.hosts = new HostLimits(options.perHost, options.delayMs);
    this.cache = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
    this.robots = new RobotsGate(
      (url) => this.get(url, 'robots'),
      (host, delayMs) => this.hosts.slowDown(host, Math.min(delayMs, MAX_CRAWL_DELAY_MS)),
    );
  }

  /** Fetch a page, following redirects; throws a FetchFailure naming `input` and the cause. */
  fetchPage(input: string): Promise<FetchedPage> {
    let running = this.inFlight.get(input);
    if (!running) {
      running = this.fetchFollowing(input).finally(() => this.inFlight.delete(input));
      this.inFlight.set(input, running);
    }
    return running;
  }

  private async fetchFollowing(input: string): Promise<FetchedPage> {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new FetchFailure('FETCH_BAD_URL', `${input}: not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchFailure('FETCH_BAD_URL', `${input}: only http and https URLs can be fetched`);
    url.hash = '';
    const chain = [url.href];
    try {
      for (;;) {
        if (!this.options.ignoreRobots) await this.robots.check(url);
        const response = await this.get(url, 'page');
        const location = REDIRECTS.has(response.status) ? header(response.headers, 'location') : undefined;
        if (location !== undefined) {
          url = this.nextHop(input, url, location, chain);
          continue;
        }
        if (response.status < 200 || response.status > 299) {
          throw new FetchFailure('FETCH_HTTP_STATUS', `${url.href}: ${statusLine(response.status)}`, { status: response.status });
        }
        const contentType = header(response.headers, 'content-type');
        return { finalUrl: url.href, ...(contentType ? { contentType } : {}), body: response.body };
      }
    } catch (error) {
      // Failures after a redirect name both the URL asked for and where it led.
      if (error instanceof FetchFailure && chain.length > 1 && error.code !== 'FETCH_REDIRECTS') {
        throw new FetchFailure(error.code, `${input}: redirected to ${error.message}`, error.details);
      }
      throw error;
    }
  }

  /** Stop: in-flight requests and backoff waits end now, and the pool's sockets close. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.agent.destroy();
  }

  private nextHop(input: string, from: URL, location: string, chain: string[]): URL {
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      throw new FetchFailure('FETCH_REDIRECTS', `${input}: ${from.href} redirects to an invalid address \`${location}\``);
    }
    next.hash = '';
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new FetchFailure('FETCH_REDIRECTS', `${input}: ${from.href} redirects to a ${next.protocol} address, which is not fetched`);
    if (chain.includes(next.href)) throw new FetchFailure('FETCH_REDIRECTS', `${input}: redirect loop: ${[...chain, next.href].join(' -> ')}`);
    if (chain.length > MAX_REDIRECTS)
      throw new FetchFailure('FETCH_REDIRECTS', `${input}: more than ${MAX_REDIRECTS} redirects (${[...chain, next.href].join(' -> ')})`);
    chain.push(next.href);
    return next;
  }

  /** One URL through the cache and the retry loop. */
  private async get(url: URL, purpose: Purpose): Promise<Response> {
    const cached = await this.cache?.get(url.href);
    if (cached && Date.now() < freshUntil(cached)) return { status: 200, headers: cached.headers, body: cached.body };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.attempt(url, purpose, cached ? validators(cached) : {});
        if (response.status === 304 && cached) {
          const renewed = (await this.cacheWrite(() => this.cache!.refresh(cached, response.headers))) ?? cached;
          return { status: 200, headers: renewed.headers, body: cached.body };
        }
        const kept = keptHeaders(response.headers);
        if (this.cache && response.status === 200 && storable(kept)) {
          const entry: CachedResponse = { url: url.href, headers: kept, storedAt: Date.now(), body: response.body };
          await this.cacheWrite(() => this.cache!.put(entry));
        }
        return response;
      } catch (error) {
        if (!(error instanceof FetchFailure) || !error.details.retryable || this.closing.signal.aborted) throw error;
        if (attempt >= this.options.retries) {
          const tries = this.options.retries === 0 ? '' : ` (gave up after ${this.options.retries} ${this.options.retries === 1 ? 'retry' : 'retries'})`;
          throw new FetchFailure(error.code, `${error.message}${tries}`, error.details);
        }
        const backoff = this.options.backoffMs * 2 ** attempt * (0.8 + 0.4 * Math.random());
        await sleep(error.details.retryAfterMs ?? backoff, this.closing.signal);
        if (this.closing.signal.aborted) throw error;
      }
    }
  }

  /** Run a cache write; a failing cache is reported once and then left alone, never failing a fetch. */
  private async cacheWrite<T>(write: () => Promise<T>): Promise<T | undefined> {
    if (this.cacheFailed) return undefined;
    try {
      return await write();
    } catch (error) {
      this.cacheFailed = true;
      this.warn(`the cache in ${this.options.cacheDir} cannot be written (${(error as Error).message}); going on without it`);
      return undefined;
    }
  }

  /** One request, inside the host and global limits, under the timeout. */
  private async attempt(url: URL, purpose: Purpose, conditional: Record<string, string>): Promise<Response> {
    const leaveHost = await this.hosts.enter(url.host);
    const leaveGlobal = await this.global.acquire();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.timeoutMs);
    let phase = 'waiting for the response headers';
    try {
      const { statusCode, headers, body } = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers: {
          'user-agent': this.options.userAgent,
          accept: purpose === 'robots' ? 'text/plain,*/*;q=0.1' : PAGE_ACCEPT,
          'accept-encoding': ACCEPT_ENCODING,
          ...conditional,
        },
        signal: AbortSignal.any([timeout.signal, this.closing.signal]),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      phase = 'reading the body';
      if (statusCode === 429 || statusCode >= 500) {
        await discard(body);
        const wait = retryAfterMs(header(headers, 'retry-after'));
        if (wait !== undefined && wait > MAX_RETRY_AFTER_MS) {
          throw new FetchFailure(
            'FETCH_HTTP_STATUS',
            `${url.href}: ${statusLine(statusCode)}; the server asks to retry after ${Math.round(wait / 1000)} s, longer than lurescan waits (${MAX_RETRY_AFTER_MS / 1000} s)`,
            { status: statusCode },
          );
        }
        throw new FetchFailure('FETCH_HTTP_STATUS', `${url.href}: ${statusLine(statusCode)}`, {
          retryable: statusCode !== 501,
          status: statusCode,
          ...(wait !== undefined ? { retryAfterMs: wait } : {}),
        });
      }
      if (statusCode < 200 || statusCode > 299) {
        await discard(body);
        return { status: statusCode, headers, body: Buffer.alloc(0) };
      }
      if (purpose === 'robots') {
        const raw = await readLimited(body, ROBOTS_MAX_BYTES, url.href, true);
        // A robots.txt that cannot be unpacked (cut at the size limit, say) counts as one without rules.
        const text = await decompress(raw, header(headers, 'content-encoding'), ROBOTS_MAX_BYTES * 4, url.href).catch(() => Buffer.alloc(0));
        return { status: statusCode, headers, body: text };
      }
      const contentType = header(headers, 'content-type');
      if (contentType && kindOfMediaType(contentType) === undefined) {
        await discard(body);
        throw new FetchFailure(
          'FETCH_CONTENT_TYPE',
          `${url.href}: the server sent \`${contentType.split(';')[0]!.trim()}\`; lurescan reads HTML, JSON and plain text`,
        );
      }
      const limit = this.options.maxBodyBytes;
      const declared = Number(header(headers, 'content-length'));
      if (Number.isFinite(declared) && declared > limit) {
        await discard(body);
        throw new FetchFailure(
          'FETCH_TOO_LARGE',
          `${url.href}: the body is ${formatBytes(declared)}, over the ${formatBytes(limit)} limit (raise it with --max-body)`,
        );
      }
      const raw = await readLimited(body, limit, url.href);
      return { status: statusCode, headers, body: await decompress(raw, header(headers, 'content-encoding'), limit, url.href) };
    } catch (error) {
      if (error instanceof FetchFailure) throw error;
      if (timeout.signal.aborted) {
        throw new FetchFailure(
          'FETCH_TIMEOUT',
          `${url.href}: no complete response within ${this.options.timeoutMs / 1000} s (timed out ${phase}); raise --timeout to wait longer`,
        );
      }
      if (this.closing.signal.aborted) throw new FetchFailure('FETCH_ABORTED', `${url.href}: the scan stopped before the page was fetched`);
      throw networkFailure(url.href, error, this.options.timeoutMs);
    } finally {
      clearTimeout(timer);
      leaveGlobal();
      leaveHost();
    }
  }
}
