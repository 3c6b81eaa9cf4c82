// What the normaliser keeps from one call to the next, and its one owner: NORMALIZER, one per
// thread (each worker thread loads its own copy of this module). Passing it down instead would
// thread it through the rules engine, the contacts, the tokenizer and the linker for nothing:
// normalising is synchronous, so one call uses it at a time, and the results never depend on it.
//
// What it holds, and the bound of each:
// - `clusters`: a character with its marks (or an entity's value) → its fold, at most
//   CLUSTER_FOLDS entries (emptied whole when full).
// - `scratch`: the working columns of the call in progress, three 32-bit columns that grow to the
//   longest field; after a call that grew them past SCRATCH_KEEP code points they are let go.
// Fixed-size tables of pure per-character facts (fold.ts's UNIT_FOLD and MARK_TABLE, letters.ts's
// LETTER_TABLE, han.ts's TO_HANS: 64 Ki entries each, under 0.5 MB together) are filled as met and
// never need clearing; they stay with the code that reads them.
import { Units } from './units.js';

/** Entries the cluster cache holds before it is emptied. */
export const CLUSTER_FOLDS = 50_000;
/** Code points the scratch columns may keep between calls (4 MB a column). */
export const SCRATCH_KEEP = 1 << 20;
const SCRATCH_START = 4096;

/** Clusters to their folds (NFKC, case, invisibles dropped, Han simplified): the costly part of folding. */
export class ClusterFolds {
  private readonly folds = new Map<string, string>();
  constructor(readonly limit: number) {}
  get size(): number {
    return this.folds.size;
  }
  get(cluster: string): string | undefined {
    return this.folds.get(cluster);
  }
  set(cluster: string, folded: string): void {
    if (this.folds.size >= this.limit) this.folds.clear();
    this.folds.set(cluster, folded);
  }
  clear(): void {
    this.folds.clear();
  }
}

/**
 * The working columns reused by every call (normalisation is synchronous and not re-entrant): a
 * field costs no typed-array allocation beyond its result.
 */
export class ScratchUnits {
  private units = new Units(SCRATCH_START);
  constructor(readonly keep: number) {}
  /** The columns, emptied, for one call; `offsets` false when the spans are not wanted. */
  take(offsets: boolean): Units {
    const units = this.units;
    units.offsets = offsets;
    units.cps.length = 0;
    units.starts.length = 0;
    units.ends.length = 0;
    return units;
  }
  /** After a call: do not hold on to the memory of one huge field for the rest of the run. */
  release(): void {
    if (this.capacity > this.keep) this.clear();
  }
  /** Code points the columns hold without growing. */
  get capacity(): number {
    return this.units.cps.data.length;
  }
  clear(): void {
    this.units = new Units(SCRATCH_START);
  }
}

/** The normaliser's state between calls. */
export class NormalizerState {
  readonly clusters = new ClusterFolds(CLUSTER_FOLDS);
  readonly scratch = new ScratchUnits(SCRATCH_KEEP);
  /** Forget everything (results are unchanged: only speed and memory depend on it). */
  clear(): void {
    this.clusters.clear();
    this.scratch.clear();
  }
}

/** The owner of the normaliser's state in this thread. */
export const NORMALIZER = new NormalizerState();
