// Postings scored in batches on a pool, their records coming back in input order. Batches go out in
// input order and complete in any order; a window of pending batches keeps every thread busy while
// memory stays bounded. `scan` and the library's scanner read their verdicts from here, and the rule
// toolkit's corpus scoring (toolkit/corpus.ts) batches through `inOrderBatches` too.
import type { ScorePool } from './pool.js';
import type { OutputRecord, Posting, ReadItem } from '../types.js';

/** Postings a batch holds at most, and characters (a few long pages make a batch too). */
const BATCH_POSTINGS = 64;
const BATCH_CHARS = 1_000_000;

/** A record in input order, with the posting it judges (none for an error record made by a reader). */
export interface ScoredItem {
  record: OutputRecord;
  posting?: Posting;
}

/**
 * Items cut into batches (`full` says, after each item is added, whether its batch is done), each
 * batch handed to `submit` as it is cut, and the batches with their results yielded in input
 * order. At most `window` batches are in flight: the next item is read only when the oldest is
 * taken, so memory stays bounded while every thread has work.
 */
export async function* inOrderBatches<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  full: (batch: readonly T[], item: T) => boolean,
  submit: (batch: T[]) => Promise<R>,
  window: number,
): AsyncGenerator<{ batch: T[]; result: R }> {
  const pending: Array<{ batch: T[]; done: Promise<R> }> = [];
  let batch: T[] = [];
  const cut = (): void => {
    pending.push({ batch, done: submit(batch) });
    batch = [];
  };
  async function* drain(keep: number): AsyncGenerator<{ batch: T[]; result: R }> {
    while (pending.length > keep) {
      const { batch: done, done: result } = pending.shift()!;
      yield { batch: done, result: await result };
    }
  }
  const limit = Math.max(1, window);
  for await (const item of items) {
    batch.push(item);
    if (full(batch, item)) {
      cut();
      yield* drain(limit - 1);
    }
  }
  if (batch.length > 0) cut();
  yield* drain(0);
}

/**
 * Every item's record, in input order: a reader's error records as they are, postings scored on
 * `pool`. At most `window` batches are in flight; the next is read only when one is taken.
 */
export async function* scoreInOrder(pool: ScorePool, items: AsyncIterable<ReadItem> | Iterable<ReadItem>, window: number): AsyncGenerator<ScoredItem> {
  let chars = 0;
  const full = (batch: readonly ReadItem[], item: ReadItem): boolean => {
    if (item.kind === 'posting') for (const value of Object.values(item.posting.fields)) chars += value.length;
    return batch.length >= BATCH_POSTINGS || chars >= BATCH_CHARS;
  };
  const submit = (batch: ReadItem[]): Promise<OutputRecord[]> => {
    chars = 0;
    const postings = batch.flatMap((item) => (item.kind === 'posting' ? [item.posting] : []));
    return postings.length > 0 ? pool.score(postings) : Promise.resolve([]);
  };
  for await (const { batch, result: scored } of inOrderBatches(items, full, submit, window)) {
    let next = 0;
    for (const item of batch) yield item.kind === 'error' ? { record: item.record } : { record: scored[next++]!, posting: item.posting };
  }
}
