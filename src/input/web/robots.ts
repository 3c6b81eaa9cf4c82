// robots.txt as RFC 9309 defines it: groups by user agent (ours, else `*`), Allow/Disallow with `*`
// and `$`, the longest matching rule wins and Allow wins a tie. Crawl-delay is read too (not in the
// RFC, but sites that set it mean it).

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
