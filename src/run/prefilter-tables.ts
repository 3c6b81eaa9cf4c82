// A rule set's prefilter for a scan's threads (rules/prefilter.ts), built once and kept in shared
// memory: each thread used to enter some 20,000 literals and build the automaton itself, a third of
// its start-up. The tables are cached as a binary in the cache folder under a key over lurescan's
// version, the layout and the rule set's fingerprint, so a scan reads them (a few MB) rather than
// compiling the rule set on its main thread; a stale or damaged binary is rebuilt, never scanned with.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR, touchCacheEntry, writeCacheEntry } from '../cache-dir.js';
import { fileIdentity, keepRecent } from './kept-here.js';
import { readIntoShared } from './read-shared.js';
import { VERSION } from '../paths.js';
import { decodePrefilterTables, encodePrefilterTables, PREFILTER_TABLES_VERSION, type PrefilterTables } from '../rules/prefilter-tables.js';
import { RULE_CACHE_FORMAT } from './rules.js';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import type { RuleSetHead } from './rules-head.js';

/**
 * Cached prefilters kept (a rule author's recent edits); those used least recently are removed: up
 * to eight the size of the shipped set's (about 7 MB), and small ones beside them up to the count.
 */
const PREFILTER_CACHE_PRUNE = { kind: /^prefilter-[0-9a-f]+\.bin$/, keep: 64, bytes: 64 * 1024 * 1024 };

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Binaries this process read and checked, with their status as it left them (after its own touch):
 * one unchanged since is not read and checked again (its sha256 over some 7 MB for the shipped set,
 * about 14 ms of CPU, paid by every in-process scan after the first). A write to the file, such as
 * another process rebuilding it, changes its times, and the file is read again.
 */
const readHere = new Map<string, { identity: string | undefined; tables: PrefilterTables }>();
const READ_HERE_KEPT = 4;

const identityOf = (file: string): Promise<string | undefined> => stat(file).then(fileIdentity, () => undefined);

/** A cached binary whole in shared memory, or undefined when it ended short (a read error rejects). */
async function readCached(file: string): Promise<Uint8Array | undefined> {
  const handle = await open(file, 'r');
  try {
    return (await readIntoShared(handle))?.bytes;
  } finally {
    await handle.close();
  }
}

/** Touched as the newest entry of its kind (pruning removes the oldest), and kept with its status after. */
async function keepRead(file: string, tables: PrefilterTables): Promise<PrefilterTables> {
  await touchCacheEntry(file);
  return keepRecent(readHere, file, { identity: await identityOf(file), tables }, READ_HERE_KEPT).tables;
}

/**
 * The prefilter of a rule set with a compile plan, in shared memory, for `compileRuleSet`; undefined
 * without a plan (the threads then build their own). A set's head (run/rules-head.ts) always has a
 * plan, and its whole set is loaded only when the cache does not hold the tables. `cacheDir:
 * undefined` turns the cache off.
 */
export async function loadPrefilterTables(
  ruleset: RuleSetDefinition | RuleSetHead,
  cacheDir: string | undefined = CACHE_DIR,
): Promise<PrefilterTables | undefined> {
  if ('rules' in ruleset && ruleset.plan === undefined) return undefined;
  // The plan comes from the rules cache, keyed by its format: a planner that changes bumps that.
  const source = createHash('sha256')
    .update(`${VERSION}\u0000${PREFILTER_TABLES_VERSION}\u0000${RULE_CACHE_FORMAT}\u0000${ruleset.fingerprint}`)
    .digest('hex')
    .slice(0, 32);
  const file = cacheDir !== undefined ? path.join(cacheDir, `prefilter-${source}.bin`) : undefined;
  if (file !== undefined) {
    const known = readHere.get(file);
    if (known !== undefined && known.identity === (await identityOf(file))) return keepRead(file, known.tables);
    // Read into shared memory, which the tables then view where they lie: read into a Buffer and
    // copied out, the file's 6.6 MB stayed on the main thread as garbage a short scan never collected.
    const cached = await readCached(file).then(
      (bytes) => (bytes === undefined ? undefined : decodePrefilterTables(bytes, source, sha256)),
      () => undefined,
    );
    if (cached !== undefined) return keepRead(file, cached);
  }
  // The engine (and the normaliser and language detector under it) load only on a miss.
  const { sharedPrefilter } = await import('../rules/engine.js');
  const whole = 'rules' in ruleset ? ruleset : await ruleset.load();
  if (whole.plan === undefined) return undefined;
  const tables = sharedPrefilter(whole.rules, whole.scoring, whole.plan);
  if (cacheDir !== undefined && file !== undefined) {
    await writeCacheEntry(cacheDir, file, encodePrefilterTables(tables, source, sha256), PREFILTER_CACHE_PRUNE).catch(() => undefined);
  }
  return tables;
}
