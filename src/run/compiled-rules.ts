// A loaded rule set compiled once a process: shared by the scans that score on the calling thread
// (`jobs: 0`, run/pool.ts), `eval` and `rescore`, one compile of a set whatever scoring each uses.
import { compileRuleSet, type CompiledRuleSet, type CompilePlan } from '../rules/engine.js';
import type { PrefilterTables } from '../rules/prefilter-tables.js';
import type { RuleDef, ScoringConfig } from '../rules/schema.js';
import { keepRecent } from './kept-here.js';

/** A rule set as `loadRuleSet` gives it: its rules, its fingerprint (over its files' names and texts) and plan. */
export interface LoadedRules {
  rules: readonly RuleDef[];
  fingerprint: string;
  plan?: CompilePlan | undefined;
}

/**
 * Compiles kept, by the rule set's fingerprint and whether it had a plan, the most recently used
 * last. A rule set's regexes are built as they first run, and V8 compiles each to machine code on
 * its first runs: for the shipped set about half a second of a first scan's CPU, paid again by every
 * later command that compiled the set afresh. A process that scores with one set more than once
 * (scanners made one after another through the library, the toolkit's commands, the test suite:
 * `eval` and `rescore` compiled their own, some thirty compiles of the shipped set a run) compiles
 * it once. Scoring is synchronous per posting, so callers sharing a compile never interleave inside
 * a posting.
 */
const compiledHere = new Map<string, CompiledRuleSet>();
const COMPILED_HERE_KEPT = 4;

/**
 * `loaded`'s rules compiled with `scoring`, from a compile made earlier in this process when there
 * is one. The scoring is the only part of a compile that is not the rules' (compileRuleSet keeps it
 * as given), so sets scored with other points or base rates share the rest. `prefilter`: the
 * prefilter's tables in shared memory, for a first compile (see compileRuleSet). The rules must be
 * the set's as loaded: rules changed after loading keep their fingerprint and would get the
 * unchanged set's compile (compile those with compileRuleSet).
 */
export function compiledRules(loaded: LoadedRules, scoring: ScoringConfig, prefilter?: PrefilterTables): CompiledRuleSet {
  const key = `${loaded.fingerprint}\u0000${loaded.plan !== undefined}`;
  const compiled = keepRecent(compiledHere, key, compiledHere.get(key) ?? compileRuleSet(loaded.rules, scoring, loaded.plan, prefilter), COMPILED_HERE_KEPT);
  return compiled.scoring === scoring ? compiled : { ...compiled, scoring };
}
