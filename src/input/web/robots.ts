// robots.txt as RFC 9309 defines it: groups by user agent (ours, else `*`), Allow/Disallow with `*`
// and `$`, the longest matching rule wins and Allow wins a tie. Crawl-delay is read too (not in the
// RFC, but sites that set it mean it). `RobotsGate` fetches each origin's robots.txt once and checks
// every page a client fetches against it.

import { header, type Headers } from './body.js';
import { FetchFailure } from './failure.js';
import { MAX_REDIRECTS, ROBOTS_AGENT } from './options.js';

interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

export interface Robots {
  /** Whether the path (with its query) may be fetched. */
  allows(pathAndQuery: string): boolean;
  /** The Crawl-delay for our group, in milliseconds, when one is set. */
  crawlDelayMs?: number;
}

export const ALLOW_ALL: Robots = { allows: () => true };
export const DISALLOW_ALL: Robots = { allows: (path) => path === '/robots.txt' };

/** RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; anything after it is ignored. */
export const ROBOTS_MAX_BYTES = 512 * 1024;

function toRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .replace(/\*+/g, '*')
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Percent-encode what a URL path would encode, so `/jobs/ü` in robots.txt matches `/jobs/%C3%BC`. */
function normalisePattern(pattern: string): string {
  return pattern.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelayMs?: number;
}

/** Parse a robots.txt for the crawler whose product token is `agent`. */
export function parseRobots(text: string, agent: string): Robots {
  const groups: Group[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;
  for (const rawLine of text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if ((key === 'allow' || key === 'disallow') && value !== '') {
      const pattern = normalisePattern(value.startsWith('/') || value.startsWith('*') ? value : `/${value}`);
      current.rules.push({ allow: key === 'allow', pattern, regex: toRegex(pattern) });
    } else if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelayMs = Math.round(seconds * 1000);
    }
  }
  const token = agent.toLowerCase();
  const ours = groups.filter((g) => g.agents.some((a) => a !== '*' && (a === token || a.split('/')[0] === token)));
  const chosen = ours.length > 0 ? ours : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.crawlDelayMs).filter((d): d is number => d !== undefined);
  return {
    allows(pathAndQuery: string): boolean {
      if (pathAndQuery === '/robots.txt') return true;
      let best: Rule | undefined;
      for (const rule of rules) {
        if (!rule.regex.test(pathAndQuery)) continue;
        if (!best || rule.pattern.length > best.pattern.length || (rule.pattern.length === best.pattern.length && rule.allow)) best = rule;
      }
      return best?.allow ?? true;
    },
    ...(delays.length > 0 ? { crawlDelayMs: Math.max(...delays) } : {}),
  };
}

/** Redirect statuses, for pages and robots.txt alike. */
export const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A site's robots.txt, or why every page of the site fails (the code and cause to report). */
interface RobotsState {
  robots: Robots;
  unavailable?: { code: string; cause: string };
}

/** A fetch of one URL as the client makes it (cache, retries, limits): status, headers, body. */
type Get = (url: URL) => Promise<{ status: number; headers: Headers; body: Buffer }>;

/**
 * The robots.txt policy of a fetch client: each origin's robots.txt is fetched once (through the
 * client's own `get`, so it shares the cache, retries and politeness limits), and every page is
 * checked against it. A Crawl-delay is handed to `slowDown`.
 */
export class RobotsGate {
  private readonly origins = new Map<string, Promise<RobotsState>>();
  constructor(
    private readonly get: Get,
    private readonly slowDown: (host: string, delayMs: number) => void,
  ) {}

  /** Throws a FetchFailure when robots.txt disallows the URL or the site's robots.txt could not be had. */
  async check(url: URL): Promise<void> {
    let loading = this.origins.get(url.origin);
    if (!loading) {
      loading = this.loadRobots(url.origin);
      this.origins.set(url.origin, loading);
    }
    const { robots, unavailable } = await loading;
    if (unavailable) throw new FetchFailure(unavailable.code, `${url.href}: ${unavailable.cause}`);
    if (!robots.allows(url.pathname + url.search)) {
      throw new FetchFailure(
        'FETCH_ROBOTS',
        `${url.href}: robots.txt of ${url.origin} disallows this path for ${ROBOTS_AGENT} (pass --ignore-robots to fetch it anyway)`,
      );
    }
  }

  /**
   * A site's robots.txt (RFC 9309): 2xx is parsed; 4xx means no rules; a 5xx means everything is
   * disallowed, and an unreachable server fails every page with the network error itself.
   */
  private async loadRobots(origin: string): Promise<RobotsState> {
    let target = new URL('/robots.txt', origin);
    try {
      for (let hops = 0; ; hops++) {
        const response = await this.get(target);
        const location = REDIRECTS.has(response.status) ? header(response.headers, 'location') : undefined;
        if (location !== undefined) {
          // RFC 9309 lets a crawler give up after five redirects and treat robots.txt as absent.
          if (hops >= MAX_REDIRECTS) return { robots: ALLOW_ALL };
          target = new URL(location, target);
          if (target.protocol !== 'http:' && target.protocol !== 'https:') return { robots: ALLOW_ALL };
          continue;
        }
        if (response.status < 200 || response.status > 299) return { robots: ALLOW_ALL };
        const robots = parseRobots(response.body.toString('utf8'), ROBOTS_AGENT);
        if (robots.crawlDelayMs !== undefined) this.slowDown(new URL(origin).host, robots.crawlDelayMs);
        return { robots };
      }
    } catch (error) {
      const cause = error instanceof FetchFailure ? error.message.replace(/^\S+: /, '') : String(error);
      if (error instanceof FetchFailure && error.details.status === undefined) {
        return { robots: DISALLOW_ALL, unavailable: { code: error.code, cause: `${cause} (while fetching ${target.href})` } };
      }
      const why = `robots.txt of ${origin} could not be fetched (${cause}); RFC 9309 says to treat the whole site as disallowed then (pass --ignore-robots to fetch anyway)`;
      return { robots: DISALLOW_ALL, unavailable: { code: 'FETCH_ROBOTS', cause: why } };
    }
  }
}
