// The rule set a run scores with: its files read (input/rule-files.ts), assembled and planned
// through the rule-set cache, and refused, with every located problem, when it has errors.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR, touchCacheEntry, writeCacheEntry } from '../cache-dir.js';
import type { RuleFileText } from '../contracts/rule-file.js';
import { listRuleFiles, readRuleFiles } from '../input/rule-files.js';
import { DEFAULT_RULES_DIR, VERSION } from '../paths.js';
import { formatProblem } from '../rules/problems.js';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import { LurescanError } from '../types.js';
import { fileIdentity, keepRecent, keptValue, keyEntryFile, type KeptAgainst } from './kept-here.js';

/** Load a rule set, failing with every located problem when it has errors. */
export async function loadRulesOrFail(location: string | undefined): Promise<RuleSetDefinition> {
  return refuseErrors(await loadRuleSet(location ?? DEFAULT_RULES_DIR));
}

/**
 * The rule set itself, or a BAD_RULES error naming every located problem when it has errors;
 * `which` tells two sets apart in the message (`rules diff`: "the head rule set").
 */
export function refuseErrors<T extends Pick<RuleSetDefinition, 'problems'>>(ruleset: T, which?: string): T {
  const errors = ruleset.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new LurescanError('BAD_RULES', `the ${which ? `${which} ` : ''}rule set has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
  }
  return ruleset;
}

/**
 * Bumped when the shape of a rule set definition or its plan (engine.ts `planMatcher`) changes, or
 * the normaliser folds text otherwise (a plan holds literals and keywords as they were folded), so
 * an older cache is never read. 6: Arabic vowel marks dropped.
 */
export const RULE_CACHE_FORMAT = 6;
/**
 * Cached rule sets kept (a rule author's recent edits); those used least recently are removed. The
 * shipped set is about 4 MB as JSON: the budget holds eight of that size, and any number of small
 * ones beside it up to the count (a test run writes some twenty of a few KB each).
 */
const RULE_CACHE_PRUNE = { kind: /^rules-[0-9a-f]+\.json$/, keep: 64, bytes: 32 * 1024 * 1024 };

/**
 * A rules folder read, assembled and planned for compiling. Parsing and checking the YAML takes
 * most of a second, and planning (the prefilter's literals of every regex) as long again, so the
 * assembled definition and its plan are cached as JSON under a key over lurescan's version, the
 * cache format and every file's name and text: any edit, or another version, misses. The cache is
 * an optimisation only: a file it cannot read or write is passed over. `cacheDir: undefined` turns
 * it off.
 */
export async function loadRuleSet(location: string, cacheDir: string | undefined = CACHE_DIR): Promise<RuleSetDefinition> {
  return (await loadRuleSetNamed(location, cacheDir)).ruleset!;
}

/**
 * `loadRuleSet`, with the name of the cache file that holds the set (when the cache is on) and
 * whether it was found by the files' identities (`keyed`: the files were neither read nor hashed).
 * With `headOnly`, a keyed set is not read at all (`ruleset` undefined): for a caller that needs
 * only the entries kept beside it (run/rules-head.ts).
 */
export async function loadRuleSetNamed(
  location: string,
  cacheDir: string | undefined,
  { headOnly = false }: { headOnly?: boolean } = {},
): Promise<{ ruleset?: RuleSetDefinition; cacheFile?: string; keyed: boolean }> {
  if (cacheDir === undefined) return { ruleset: await assembled(await readRuleFiles(location)), keyed: false };
  // The same files as at an earlier load, unchanged: the set that load keyed, without reading and
  // hashing the files again (the shipped ones are 1.9 MB: some 90 ms of a one-posting scan's start,
  // and 40 ms of CPU for every in-process scan after the first). Remembered in this process, and in
  // the cache folder for the next one, as a model file's key is (model-tables.ts).
  const place = path.resolve(location);
  const keyFile = keyEntryFile(cacheDir, 'rules-key', place);
  const before = await ruleFilesStatus(location);
  if (before !== undefined) {
    const seen = statusHere.get(place);
    const name =
      seen !== undefined && seen.status === before.status && seen.cacheDir === cacheDir
        ? seen.name
        : await keptValue(keyFile, { place, identity: before.status, under: RULES_KEY_UNDER }, 'cacheFile', /^rules-[0-9a-f]{32}\.json$/);
    if (name !== undefined) {
      const cacheFile = path.join(cacheDir, name);
      const known = headOnly ? undefined : await readCached(cacheFile);
      if (headOnly || known !== undefined) {
        keepRecent(statusHere, place, { status: before.status, cacheDir, name }, LOADED_HERE_KEPT);
        return { ...(known !== undefined ? { ruleset: known } : {}), cacheFile, keyed: true };
      }
    }
  }
  const files = await readRuleFiles(location);
  const cacheFile = cacheFileOf(files, cacheDir);
  const ruleset = await assembleRuleFiles(files, cacheDir, cacheFile);
  // Kept only when nothing wrote to the files while they were read, and none was written in the last
  // seconds: a file system that keeps times to the second could give a file rewritten within the same
  // second, at the same size, the identity it had (as git's index guards against "racy" entries).
  if (before !== undefined && Date.now() - before.newest > RACY_MS && (await ruleFilesStatus(location))?.status === before.status) {
    const name = path.basename(cacheFile);
    keepRecent(statusHere, place, { status: before.status, cacheDir, name }, LOADED_HERE_KEPT);
    const entry: KeptAgainst & { cacheFile: string } = { place, identity: before.status, under: RULES_KEY_UNDER, cacheFile: name };
    await writeCacheEntry(cacheDir, keyFile, JSON.stringify(entry), RULES_KEY_PRUNE).catch(() => undefined);
  }
  return { ruleset, cacheFile, keyed: false };
}

/** Rules folders loaded in this process: what their files were (`ruleFilesStatus`) and the name of the cache file they keyed. */
const statusHere = new Map<string, { status: string; cacheDir: string; name: string }>();

/** How old every rule file must be for a load to remember it by its identity (see loadRuleSet). */
const RACY_MS = 2000;

const RULES_KEY_PRUNE = { kind: /^rules-key-[0-9a-f]+\.json$/, keep: 32, bytes: 512 * 1024 };

/** lurescan's version and the rule-set cache format, which a `rules-key-*.json` entry is kept under. */
const RULES_KEY_UNDER = `${VERSION}\u0000${RULE_CACHE_FORMAT}`;

/**
 * What the files a load reads are, without reading them: the working folder (the files' labels,
 * part of the key, are relative to it) and each file's path and identity (inode, size, modification
 * and change times: any write changes it), as one string, and the newest modification time (a write
 * sets it to the time of writing); undefined when a file cannot be looked at (then reading it says
 * why).
 */
async function ruleFilesStatus(location: string): Promise<{ status: string; newest: number } | undefined> {
  try {
    const { found } = await listRuleFiles(location);
    let newest = 0;
    const identities = await Promise.all(
      found.map(async (file) => {
        const status = await stat(file);
        newest = Math.max(newest, status.mtimeMs);
        return `${file}\u0000${fileIdentity(status)}`;
      }),
    );
    return { status: `${process.cwd()}\u0001${identities.join('\u0001')}`, newest };
  } catch {
    return undefined;
  }
}

/** Rule files already read (from a folder, or from a git ref), assembled and planned through the same cache. */
export async function assembleRuleFiles(
  files: readonly RuleFileText[],
  cacheDir: string | undefined = CACHE_DIR,
  cacheFile: string | undefined = cacheDir === undefined ? undefined : cacheFileOf(files, cacheDir),
): Promise<RuleSetDefinition> {
  if (cacheDir === undefined || cacheFile === undefined) return assembled(files);
  const cached = await readCached(cacheFile);
  if (cached !== undefined) return cached;
  const ruleset = await assembled(files);
  await writeCacheEntry(cacheDir, cacheFile, JSON.stringify(ruleset), RULE_CACHE_PRUNE).catch(() => undefined);
  return keepLoaded(cacheFile, ruleset);
}

/**
 * The rule set these files assemble to when the cache holds it, else undefined, without assembling
 * or planning it: for `rules lint`, which needs the set's rules and problems but not its plan, and
 * would pay the planning (about a second for the shipped set) only to write an entry.
 */
export async function cachedRuleSet(files: readonly RuleFileText[], cacheDir: string | undefined = CACHE_DIR): Promise<RuleSetDefinition | undefined> {
  return cacheDir === undefined ? undefined : readCached(cacheFileOf(files, cacheDir));
}

function cacheFileOf(files: readonly RuleFileText[], cacheDir: string): string {
  return path.join(cacheDir, `rules-${ruleFilesKey(files, RULE_CACHE_FORMAT)}.json`);
}

/** A cache key over lurescan's version, a cache format and every rule file's name, key and text. */
export function ruleFilesKey(files: readonly RuleFileText[], format: number): string {
  const hash = createHash('sha256').update(`${VERSION}\u0000${format}\u0000`);
  for (const file of files) hash.update(`${file.file}\u0000${file.key ?? ''}\u0000${file.text}\u0000`);
  return hash.digest('hex').slice(0, 32);
}

async function readCached(cacheFile: string): Promise<RuleSetDefinition | undefined> {
  const known = loadedHere.get(cacheFile);
  if (known !== undefined) {
    keepLoaded(cacheFile, known);
    await touchCacheEntry(cacheFile);
    return known;
  }
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as RuleSetDefinition;
    // Read, it is the newest again: a set in use outlives the throwaway sets written after it.
    await touchCacheEntry(cacheFile);
    return keepLoaded(cacheFile, cached);
  } catch {
    // not cached yet, or unreadable
    return undefined;
  }
}

/**
 * Rule sets this process loaded through the cache, by cache file (a key over the files' names and
 * texts), the most recently used last, frozen: the same files read again give the same set without
 * reading and parsing its JSON (the shipped set's is about 4 MB, some 40 ms of CPU a load, paid by
 * every in-process scan after the first: the library's scanners, the toolkit's commands, the test
 * suite's some hundred scans). Frozen, a caller that changed a set it was given would throw rather
 * than change the next caller's.
 */
const loadedHere = new Map<string, RuleSetDefinition>();
const LOADED_HERE_KEPT = 4;

function keepLoaded(cacheFile: string, ruleset: RuleSetDefinition): RuleSetDefinition {
  return keepRecent(loadedHere, cacheFile, deepFreeze(ruleset), LOADED_HERE_KEPT);
}

/** Frozen through, but for typed arrays, which cannot be (a set read from JSON holds none). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Assembled and planned; the assembler and the planner (and the YAML parser, the regex parser and
 * the language detector under them) are loaded only on a cache miss.
 */
async function assembled(files: readonly RuleFileText[]): Promise<RuleSetDefinition> {
  const [{ assembleRuleSet }, { planRuleSet }] = await Promise.all([import('../rules/ruleset.js'), import('../rules/engine.js')]);
  const ruleset = assembleRuleSet(files);
  return { ...ruleset, plan: planRuleSet(ruleset.rules) };
}
