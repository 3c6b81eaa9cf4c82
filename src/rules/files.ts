// Reads a rules folder from disk into a rule set definition (the I/O half of the rules stage).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR, touchCacheEntry, writeCacheEntry } from '../cache-dir.js';
import { VERSION } from '../paths.js';
import { LurescanError } from '../types.js';
import type { RuleFileText, RuleSetDefinition } from './ruleset.js';

const RULE_FILE = /\.ya?ml$/i;

/** Every *.yaml / *.yml below a folder (or the one file named), sorted, hidden entries skipped. */
export async function readRuleFiles(location: string): Promise<RuleFileText[]> {
  let info;
  try {
    info = await stat(location);
  } catch {
    throw new LurescanError('RULES_NOT_FOUND', `rules folder ${location} does not exist`);
  }
  const label = (file: string): string => path.relative(process.cwd(), file) || file;
  const root = info.isFile() ? path.dirname(location) : location;
  const key = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  if (info.isFile()) return [{ file: label(location), key: key(location), text: await readFile(location, 'utf8') }];
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (RULE_FILE.test(entry.name)) found.push(full);
    }
  };
  try {
    await walk(location);
  } catch (error) {
    throw new LurescanError('RULES_UNREADABLE', `cannot read rules folder ${location}: ${(error as Error).message}`);
  }
  if (found.length === 0) throw new LurescanError('NO_RULES', `no rule files (*.yaml) in ${location}`);
  found.sort();
  return Promise.all(found.map(async (file) => ({ file: label(file), key: key(file), text: await readFile(file, 'utf8') })));
}

/** Bumped when the shape of a rule set definition changes, so an older cache is never read. */
export const RULE_CACHE_FORMAT = 4;
/** Cached rule sets kept (a rule author's recent edits); those used least recently are removed. */
const RULE_CACHE_KEEP = 8;

/**
 * A rules folder read, assembled and planned for compiling. Parsing and checking the YAML takes
 * most of a second, and planning (the prefilter's literals of every regex) as long again, so the
 * assembled definition and its plan are cached as JSON under a key over lurescan's version, the
 * cache format and every file's name and text: any edit, or another version, misses. The cache is
 * an optimisation only: a file it cannot read or write is passed over. `cacheDir: undefined` turns
 * it off.
 */
export async function loadRuleSet(location: string, cacheDir: string | undefined = CACHE_DIR): Promise<RuleSetDefinition> {
  return assembleRuleFiles(await readRuleFiles(location), cacheDir);
}

/** Rule files already read (from a folder, or from a git ref), assembled and planned through the same cache. */
export async function assembleRuleFiles(files: readonly RuleFileText[], cacheDir: string | undefined = CACHE_DIR): Promise<RuleSetDefinition> {
  if (cacheDir === undefined) return assembled(files);
  const hash = createHash('sha256').update(`${VERSION}\u0000${RULE_CACHE_FORMAT}\u0000`);
  for (const file of files) hash.update(`${file.file}\u0000${file.key ?? ''}\u0000${file.text}\u0000`);
  const cacheFile = path.join(cacheDir, `rules-${hash.digest('hex').slice(0, 32)}.json`);
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as RuleSetDefinition;
    // Read, it is the newest again: a set in use outlives the throwaway sets written after it.
    await touchCacheEntry(cacheFile);
    return cached;
  } catch {
    // not cached yet, or unreadable: assemble it
  }
  const ruleset = await assembled(files);
  await writeCacheEntry(cacheDir, cacheFile, JSON.stringify(ruleset), { kind: /^rules-[0-9a-f]+\.json$/, keep: RULE_CACHE_KEEP }).catch(() => undefined);
  return ruleset;
}

/**
 * Assembled and planned; the assembler and the planner (and the YAML parser, the regex parser and
 * the language detector under them) are loaded only on a cache miss.
 */
async function assembled(files: readonly RuleFileText[]): Promise<RuleSetDefinition> {
  const [{ assembleRuleSet }, { planRuleSet }] = await Promise.all([import('./ruleset.js'), import('./engine.js')]);
  const ruleset = assembleRuleSet(files);
  return { ...ruleset, plan: planRuleSet(ruleset.rules) };
}
