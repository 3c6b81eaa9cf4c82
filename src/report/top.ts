// A review budget (`scan --top <n>`, `report --max-postings <n>`): the n items ranked highest, kept
// in a heap of n as records stream by, so memory is bounded by n, not by the run.
import type { Label, Posting, Verdict } from '../types.js';

/** How sure the scoring is of a flagged verdict: its strongest label's score as a multiple of that label's threshold. */
export function certainty(verdict: Verdict, thresholds: Readonly<Record<Label, number>>): number {
  let best = 0;
  for (const label of verdict.labels) best = Math.max(best, verdict.scores[label] / thresholds[label]);
  return best;
}

interface Entry<T> {
  item: T;
  rank: number;
  /** Offer order, for ties: the earlier item first. */
  seq: number;
}

/** True when `a` ranks below `b` (lower, or as high and later). */
const below = <T>(a: Entry<T>, b: Entry<T>): boolean => a.rank < b.rank || (a.rank === b.rank && a.seq > b.seq);

/** The `limit` items of highest rank offered (ties: the earlier offered), in memory for `limit` items only. */
export class Ranked<T> {
  /** A min-heap by rank: the root is the weakest item kept. */
  private readonly heap: Entry<T>[] = [];
  /** Items offered, kept or not. */
  offered = 0;

  constructor(readonly limit: number) {}

  /** Whether an item of this rank, offered next, would be kept: lets a caller skip building an item that would not be. */
  wouldKeep(rank: number): boolean {
    if (this.heap.length < this.limit) return true;
    return this.limit > 0 && rank > this.heap[0]!.rank;
  }

  /** Offer an item; `make` builds it only when it is kept. */
  offer(rank: number, make: () => T): void {
    const seq = this.offered++;
    if (!this.wouldKeep(rank)) return;
    const entry: Entry<T> = { item: make(), rank, seq };
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(entry);
      this.up(heap.length - 1);
    } else {
      heap[0] = entry;
      this.down(0);
    }
  }

  /** The items kept, highest rank first (ties: the earlier offered first). */
  ranked(): T[] {
    return [...this.heap].sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0)).map((entry) => entry.item);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!below(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && below(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && below(heap[right]!, heap[least]!)) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}

/** `scan --top`: the flagged verdicts the scoring is most certain of. */
export class TopVerdicts {
  private readonly kept: Ranked<{ verdict: Verdict; posting: Posting | undefined }>;

  constructor(
    readonly limit: number,
    private readonly thresholds: Readonly<Record<Label, number>>,
  ) {
    this.kept = new Ranked(limit);
  }

  /** Flagged verdicts offered, kept or not. */
  get offered(): number {
    return this.kept.offered;
  }

  offer(verdict: Verdict, posting: Posting | undefined): void {
    this.kept.offer(certainty(verdict, this.thresholds), () => ({ verdict, posting }));
  }

  /** The verdicts kept, most certain first. */
  ranked(): Array<{ verdict: Verdict; posting: Posting | undefined }> {
    return this.kept.ranked();
  }
}
