// A rule set as a scan's main thread needs it: its fingerprint, scoring, counts and problems, and
// the rules and plan as scoring threads take them, kept as UTF-8 JSON in shared memory that only
// the threads parse. The main thread of a scan with threads never scores, yet it parsed the whole
// cached set (some 4 MB of JSON for the shipped rules, 60-100 ms of its start-up and the young
// generation that grew with it) to copy a part of it to every thread. A scan's cache entry
// (`rules-<key>.scan`, beside the set's `rules-<key>.json`) holds the head as one line of JSON and
// the threads' form after it; the main thread reads the file whole and parses the line.
import { access, readFile } from 'node:fs/promises';
import { CACHE_DIR, touchCacheEntry, writeCacheEntry } from '../cache-dir.js';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import type { Problem, ScoringConfig } from '../rules/schema.js';
import { keepRecent } from './kept-here.js';
import { patternIdsOf, threadRulesOf } from './protocol.js';
import { loadRuleSetNamed } from './rules.js';

/**
 * A rule set without its rules: what a scan's main thread reads (scanner.ts), and its rules in the
 * form the scoring threads take them.
 */
export interface RuleSetHead {
  fingerprint: string;
  scoring: ScoringConfig;
  problems: Problem[];
  files: string[];
  scoringFile?: string;
  /** How many rules the set has (`rules.length` of the whole set). */
  ruleCount: number;
  /** Ids of the live pattern rules, in the order a compiled set holds them (the pool's progress index). */
  patternIds: string[];
  /**
   * `ThreadRules` (protocol.ts) as UTF-8 JSON in shared memory (`parseThreadRules` reads it): the rules without
   * their examples, references and notes, and the plan without the prefilter's strings, so it is
   * for threads given the set's prefilter tables (run/prefilter-tables.ts).
   */
  threadRules: Uint8Array;
  /** The whole set, as `loadRuleSet` gives it: for scoring on the calling thread, or to build a prefilter. */
  load(): Promise<RuleSetDefinition>;
}

/** What the `.scan` entry's first line holds; bumped with the layout of either part. */
const SCAN_FORMAT = 1;

interface HeadLine extends Omit<RuleSetHead, 'threadRules' | 'load'> {
  format: number;
  /** Bytes of the threads' part after the line, so an entry cut short is a miss. */
  threadBytes: number;
}

const SCAN_CACHE_PRUNE = { kind: /^rules-[0-9a-f]+\.scan$/, keep: 64, bytes: 32 * 1024 * 1024 };

/** Scan entries this process read, by file (named by a key over the rule files' texts: never rewritten differently). */
const readHere = new Map<string, RuleSetHead>();
const READ_HERE_KEPT = 4;

/**
 * A rules folder's head. When an earlier load keyed the folder's files as they are (run/rules.ts)
 * and the cache holds the set's `.scan` entry, that entry alone is read; otherwise the whole set is
 * loaded as `loadRuleSet` loads it, and its `.scan` entry written for the next scan.
 * `cacheDir: undefined` turns the cache off.
 */
export async function loadRuleSetHead(location: string, cacheDir: string | undefined = CACHE_DIR): Promise<RuleSetHead> {
  const { ruleset, cacheFile, keyed } = await loadRuleSetNamed(location, cacheDir, { headOnly: true });
  const load = (): Promise<RuleSetDefinition> => loadRuleSetNamed(location, cacheDir).then((loaded) => loaded.ruleset!);
  const scanFile = cacheFile?.replace(/\.json$/, '.scan');
  const found = keyed && scanFile !== undefined ? await readScanEntry(scanFile, load) : undefined;
  if (found !== undefined) return found;
  const head = headOf(ruleset ?? (await load()));
  // A set's entry is named by a key over its files' texts, so one there holds this head: written
  // when there is none, or when reading it failed (cut short, of another format).
  const exists = (file: string): Promise<boolean> =>
    access(file).then(
      () => true,
      () => false,
    );
  if (cacheDir !== undefined && scanFile !== undefined && (keyed || !(await exists(scanFile)))) {
    await writeCacheEntry(cacheDir, scanFile, scanEntry(head), SCAN_CACHE_PRUNE).catch(() => undefined);
  }
  return head;
}

/** The head of a whole set in memory, its threads' form encoded. */
export function headOf(ruleset: RuleSetDefinition, load: () => Promise<RuleSetDefinition> = () => Promise.resolve(ruleset)): RuleSetHead {
  const text = JSON.stringify(threadRulesOf(ruleset.rules, ruleset.plan, true));
  const threadRules = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(text)));
  Buffer.from(threadRules.buffer).write(text);
  return {
    fingerprint: ruleset.fingerprint,
    scoring: ruleset.scoring,
    problems: ruleset.problems,
    files: ruleset.files,
    ...(ruleset.scoringFile !== undefined ? { scoringFile: ruleset.scoringFile } : {}),
    ruleCount: ruleset.rules.length,
    patternIds: patternIdsOf(ruleset.rules),
    threadRules,
    load,
  };
}

function scanEntry(head: RuleSetHead): Buffer {
  const { threadRules, load, ...rest } = head;
  const line: HeadLine = { format: SCAN_FORMAT, ...rest, threadBytes: threadRules.byteLength };
  return Buffer.concat([Buffer.from(`${JSON.stringify(line)}\n`), Buffer.from(threadRules.buffer, threadRules.byteOffset, threadRules.byteLength)]);
}

/** The head a `.scan` entry holds, or undefined when it is missing, of another format or cut short. */
async function readScanEntry(file: string, load: () => Promise<RuleSetDefinition>): Promise<RuleSetHead | undefined> {
  const known = readHere.get(file);
  if (known !== undefined) {
    keepRecent(readHere, file, known, READ_HERE_KEPT);
    await touchCacheEntry(file);
    return { ...known, load };
  }
  try {
    const bytes = await readFile(file);
    const end = bytes.indexOf(10);
    if (end < 0) return undefined;
    const line = JSON.parse(bytes.subarray(0, end).toString('utf8')) as HeadLine;
    if (line.format !== SCAN_FORMAT || line.threadBytes !== bytes.length - end - 1) return undefined;
    // In shared memory, so every thread reads the one copy.
    const threadRules = new Uint8Array(new SharedArrayBuffer(line.threadBytes));
    threadRules.set(bytes.subarray(end + 1));
    const { format, threadBytes, ...rest } = line;
    const head: RuleSetHead = { ...rest, threadRules, load };
    await touchCacheEntry(file);
    keepRecent(readHere, file, head, READ_HERE_KEPT);
    return head;
  } catch {
    // not written yet, or unreadable
    return undefined;
  }
}
