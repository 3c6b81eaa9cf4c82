// A review budget (`scan --top <n>`): the n flagged verdicts the scoring is most certain of, kept
// in a heap of n as records stream by, so memory is bounded by n, not by the run.
import type { Label, Posting, Verdict } from '../types.js';

/** How sure the scoring is of a flagged verdict: its strongest label's score as a multiple of that label's threshold. */
export function certainty(verdict: Verdict, thresholds: Readonly<Record<Label, number>>): number {
  let best = 0;
  for (const label of verdict.labels) best = Math.max(best, verdict.scores[label] / thresholds[label]);
  return best;
}

interface Entry {
  verdict: Verdict;
  posting: Posting | undefined;
  certainty: number;
  /** Input order, for ties: the earlier posting first. */
  seq: number;
}

/** True when `a` ranks below `b` (less certain, or as certain and later). */
const below = (a: Entry, b: Entry): boolean => a.certainty < b.certainty || (a.certainty === b.certainty && a.seq > b.seq);

export class TopVerdicts {
  /** A min-heap by rank: the root is the weakest verdict kept. */
  private readonly heap: Entry[] = [];
  private seq = 0;
  /** Flagged verdicts offered, kept or not. */
  offered = 0;

  constructor(
    readonly limit: number,
    private readonly thresholds: Readonly<Record<Label, number>>,
  ) {}

  offer(verdict: Verdict, posting: Posting | undefined): void {
    this.offered++;
    const entry: Entry = { verdict, posting, certainty: certainty(verdict, this.thresholds), seq: this.seq++ };
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(entry);
      this.up(heap.length - 1);
    } else if (below(heap[0]!, entry)) {
      heap[0] = entry;
      this.down(0);
    }
  }

  /** The verdicts kept, most certain first. */
  ranked(): Array<{ verdict: Verdict; posting: Posting | undefined }> {
    return [...this.heap].sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0)).map(({ verdict, posting }) => ({ verdict, posting }));
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
