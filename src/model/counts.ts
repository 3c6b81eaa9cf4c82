// A multinomial naive Bayes's training state: per-class document counts, and per-class counts of
// each token id of a vocabulary. Pure computation, no I/O.
import { CLASS_COUNT } from './classes.js';
import type { Vocabulary } from './vocabulary.js';

/** Mutable training state: per-class document counts, and per-class counts of each token id of a vocabulary. */
export class TokenCounts {
  readonly documents: number[] = new Array<number>(CLASS_COUNT).fill(0);
  readonly totals: number[] = new Array<number>(CLASS_COUNT).fill(0);
  /** `table[id * CLASS_COUNT + c]`: documents of class c that hold token `id`. */
  table: Int32Array;
  /** Tokens with any count. */
  size = 0;

  constructor(readonly vocabulary: Vocabulary) {
    // Room for the vocabulary as it is now, so counting documents already tokenized never regrows.
    this.table = new Int32Array(CLASS_COUNT * Math.max(1024, vocabulary.size));
  }

  /** Documents of class `classIndex` that hold token `id`. */
  count(id: number, classIndex: number): number {
    return id * CLASS_COUNT < this.table.length ? this.table[id * CLASS_COUNT + classIndex]! : 0;
  }

  /** True when some document holds token `id`. */
  has(id: number): boolean {
    const base = id * CLASS_COUNT;
    if (base >= this.table.length) return false;
    for (let c = 0; c < CLASS_COUNT; c++) if (this.table[base + c] !== 0) return true;
    return false;
  }

  private reserve(id: number): void {
    const needed = (id + 1) * CLASS_COUNT;
    if (needed <= this.table.length) return;
    const table = new Int32Array(Math.max(needed, this.table.length * 2));
    table.set(this.table);
    this.table = table;
  }

  /** Add (`sign` 1) or take out (`sign` -1) one document's distinct token ids; counts never go below 0. */
  apply(ids: ArrayLike<number>, classIndex: number, sign: 1 | -1 = 1): void {
    this.documents[classIndex] = Math.max(0, this.documents[classIndex]! + sign);
    if (sign > 0) {
      let max = -1;
      for (let k = 0; k < ids.length; k++) if (ids[k]! > max) max = ids[k]!;
      if (max >= 0) this.reserve(max);
    }
    const table = this.table;
    let changed = 0;
    let size = this.size;
    for (let k = 0; k < ids.length; k++) {
      const base = ids[k]! * CLASS_COUNT;
      const at = base + classIndex;
      if (at >= table.length) continue;
      const before = table[at]!;
      if (sign < 0 && before === 0) continue;
      // Counts are never negative, so the others are all 0 when the three (CLASS_COUNT) sum to this one.
      const alone = table[base]! + table[base + 1]! + table[base + 2]! === before;
      table[at] = before + sign;
      changed += sign;
      if (alone && before === 0) size++;
      else if (alone && before + sign === 0) size--;
    }
    this.size = size;
    this.totals[classIndex] = this.totals[classIndex]! + changed;
  }

  /** Add `n` documents of class `classIndex` holding token `id` (reading counts from a model file). */
  add(id: number, classIndex: number, n: number): void {
    if (n === 0) return;
    this.reserve(id);
    if (!this.has(id)) this.size++;
    this.table[id * CLASS_COUNT + classIndex]! += n;
    this.totals[classIndex] = this.totals[classIndex]! + n;
  }

  /** Take a token out entirely (vocabulary cap). */
  remove(id: number): void {
    if (!this.has(id)) return;
    const base = id * CLASS_COUNT;
    for (let c = 0; c < CLASS_COUNT; c++) {
      this.totals[c] = this.totals[c]! - this.table[base + c]!;
      this.table[base + c] = 0;
    }
    this.size--;
  }

  /** Add counts over the same vocabulary into these. */
  merge(other: TokenCounts): void {
    if (other.vocabulary !== this.vocabulary) throw new Error('TokenCounts.merge: counts over different vocabularies');
    for (let c = 0; c < CLASS_COUNT; c++) {
      this.documents[c] = this.documents[c]! + other.documents[c]!;
      this.totals[c] = this.totals[c]! + other.totals[c]!;
    }
    if (other.table.length > this.table.length) this.reserve(other.table.length / CLASS_COUNT - 1);
    const mine = this.table;
    const theirs = other.table;
    // The three classes unrolled (CLASS_COUNT is 3).
    for (let base = 0; base < theirs.length; base += CLASS_COUNT) {
      const a = theirs[base]!;
      const b = theirs[base + 1]!;
      const d = theirs[base + 2]!;
      if (a === 0 && b === 0 && d === 0) continue;
      if (mine[base] === 0 && mine[base + 1] === 0 && mine[base + 2] === 0) this.size++;
      mine[base] = mine[base]! + a;
      mine[base + 1] = mine[base + 1]! + b;
      mine[base + 2] = mine[base + 2]! + d;
    }
  }

  /** Ids of the tokens with any count, in id order. */
  *ids(): IterableIterator<number> {
    const n = this.table.length / CLASS_COUNT;
    for (let id = 0; id < n; id++) if (this.has(id)) yield id;
  }
}
