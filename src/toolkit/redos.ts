// ReDoS check of rule regexes with recheck (a checker made for JavaScript regexes: automata theory
// first, fuzzing when the automaton is too large or uses look-behind). Verdicts are cached by
// pattern, so a second lint of the same rules costs nothing.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { check, type Diagnostics } from 'recheck';
import { CACHE_DIR, writeCacheEntry } from '../cache-dir.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { topLevelAlternatives, withoutLookarounds } from './regex-syntax.js';

export interface RedosResult {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** For vulnerable: e.g. "exponential", "2nd degree polynomial". */
  complexity?: string;
  /** For vulnerable: a string that makes the pattern backtrack, as recheck writes it. */
  attack?: string;
  /** The part of the pattern that was found vulnerable or could not be decided. */
  part?: string;
  /** For unknown: why (timeout, unsupported syntax). */
  reason?: string;
}

export interface RedosOptions {
  /** Time allowed to each checker for one part of a pattern. */
  timeoutMs?: number;
  /** Cache file; undefined: no cache. */
  cacheFile?: string;
  /**
   * Verdicts shipped beside the rules (`rules/redos-verdicts.json`, written by `npm run
   * redos:seed`), in the cache file's form, read before the cache: a fresh install does not spend
   * minutes deciding again what the same recheck decided for the same parts. Never written.
   */
  seedFile?: string;
}

export const DEFAULT_REDOS_CACHE = path.join(CACHE_DIR, 'redos.json');
export const DEFAULT_REDOS_SEED = path.join(DEFAULT_RULES_DIR, 'redos-verdicts.json');

/** Verdicts cached under another recheck, or from fuzzing timed by the clock (before `+steps`), are not reused. */
export const REDOS_VERDICTS_VERSION = `${(createRequire(import.meta.url)('recheck/package.json') as { version: string }).version}+steps`;

const CONCURRENCY = Number(process.env.LURESCAN_REDOS_CONC ?? 8);

type RedosVerdict = Pick<RedosResult, 'status' | 'complexity' | 'attack' | 'reason'>;

function verdictOf(d: Diagnostics): RedosVerdict {
  if (d.status === 'safe') return { status: 'safe' };
  if (d.status === 'vulnerable') return { status: 'vulnerable', complexity: d.complexity.summary, attack: d.attack.pattern };
  const error = d.error;
  return { status: 'unknown', reason: error.kind === 'timeout' || error.kind === 'cancel' ? `${error.kind}` : `${error.kind}: ${error.message}` };
}

/**
 * One part: the exact automaton check, then fuzzing when the automaton gives up. The automaton
 * either decides within a few hundred milliseconds or blows up (bounded repetitions such as
 * `.{0,40}` do), so it gets a third of the time and fuzzing the rest.
 */
async function checkPart(part: string, timeout: number): Promise<RedosVerdict> {
  const exact = verdictOf(await check(part, 'u', { checker: 'automaton', timeout: Math.ceil(timeout / 3) }));
  if (exact.status !== 'unknown') return exact;
  // Attack and incubation judged by steps (characters the matcher reads), not by milliseconds: by
  // the clock, a loaded machine made a bounded pattern look polynomial, and a rule failed lint that
  // passes on an idle one. The PRNG seed is fixed (recheck's default), so a verdict is repeatable.
  const fuzz = verdictOf(await check(part, 'u', { checker: 'fuzz', timeout, attackTimeout: null, incubationTimeout: null }));
  return fuzz.status === 'unknown' ? { status: 'unknown', reason: `automaton: ${exact.reason}; fuzz: ${fuzz.reason}` } : fuzz;
}

/** The parts checked for one pattern: look-around bodies, and the top-level alternatives of the rest. */
function partsOf(source: string): string[] {
  const { rest, bodies } = withoutLookarounds(source);
  const parts = [...topLevelAlternatives(rest), ...bodies].filter((p) => p !== '');
  return [...new Set(parts)];
}

interface CacheFile {
  recheck: string;
  verdicts: Record<string, RedosVerdict>;
}

async function readCache(file: string | undefined): Promise<Map<string, RedosVerdict>> {
  if (!file) return new Map();
  try {
    const cache = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
    return cache.recheck === REDOS_VERDICTS_VERSION ? new Map(Object.entries(cache.verdicts)) : new Map();
  } catch {
    return new Map();
  }
}

/** Keep decided verdicts only: a timeout depends on the machine's load, not on the pattern. */
async function writeCache(file: string | undefined, verdicts: Map<string, RedosVerdict>): Promise<void> {
  if (!file) return;
  const decided = Object.fromEntries([...verdicts].filter(([, v]) => v.status !== 'unknown').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const cache: CacheFile = { recheck: REDOS_VERDICTS_VERSION, verdicts: decided };
  try {
    await writeCacheEntry(path.dirname(file), file, JSON.stringify(cache));
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}

/** Check every pattern (as compiled: NFKC, u flag); one result per distinct source. */
export async function checkRedos(sources: readonly string[], options: RedosOptions = {}): Promise<Map<string, RedosResult>> {
  const timeout = options.timeoutMs ?? 3000;
  const cache = new Map([...(await readCache(options.seedFile)), ...(await readCache(options.cacheFile))]);
  const partsBySource = new Map(sources.map((source) => [source, partsOf(source.normalize('NFKC'))]));
  const todo = [...new Set([...partsBySource.values()].flat())].filter((part) => !cache.has(part));
  // The checker runs in its own process and takes requests concurrently; a few at a time keeps
  // timeouts meaningful (the clock runs from the start of a check, not from its queueing).
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const part = todo[next++]!;
      cache.set(part, await checkPart(part, timeout));
    }
  };
  await Promise.all(Array.from({ length: Math.min(todo.length, CONCURRENCY) }, worker));
  // A time-out in the concurrent pass may say more about the machine's load than about the
  // pattern: check those parts again one at a time with four times the time.
  for (const part of todo) {
    const verdict = cache.get(part)!;
    if (verdict.status === 'unknown' && /timeout|cancel/.test(verdict.reason ?? '')) cache.set(part, await checkPart(part, timeout * 4));
  }
  if (todo.length > 0) await writeCache(options.cacheFile, cache);

  const results = new Map<string, RedosResult>();
  for (const [source, parts] of partsBySource) {
    const verdicts = parts.map((part) => ({ part, ...cache.get(part)! }));
    const worst = verdicts.find((v) => v.status === 'vulnerable') ?? verdicts.find((v) => v.status === 'unknown');
    if (!worst) results.set(source, { status: 'safe' });
    else {
      // Name the part only when the pattern was split; otherwise it is the whole pattern.
      const { part, ...verdict } = worst;
      results.set(source, parts.length > 1 ? { ...verdict, part } : verdict);
    }
  }
  return results;
}
