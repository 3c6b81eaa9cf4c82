// Postings scored in batches on a pool, their records coming back in input order. Batches go out in
// input order and complete in any order; a window of pending batches keeps every thread busy while
// memory stays bounded. `scan` and the library's scanner both read their verdicts from here.
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

type Item = { posting: Posting } | { record: OutputRecord };

/**
 * Every item's record, in input order: a reader's error records as they are, postings scored on
 * `pool`. At most `window` batches are in flight; the next is read only when one is taken.
 */
export async function* scoreInOrder(pool: ScorePool, items: AsyncIterable<ReadItem> | Iterable<ReadItem>, window: number): AsyncGenerator<ScoredItem> {
  const pending: Array<{ items: Item[]; done: Promise<OutputRecord[]> }> = [];
  let batch: Item[] = [];
  let chars = 0;
  const submit = (): void => {
    const postings = batch.flatMap((item) => ('posting' in item ? [item.posting] : []));
    pending.push({ items: batch, done: postings.length > 0 ? pool.score(postings) : Promise.resolve([]) });
    batch = [];
    chars = 0;
  };
  async function* drain(keep: number): AsyncGenerator<ScoredItem> {
    while (pending.length > keep) {
      const { items: done, done: scoring } = pending.shift()!;
      const scored = await scoring;
      let next = 0;
      for (const item of done) yield 'record' in item ? { record: item.record } : { record: scored[next++]!, posting: item.posting };
    }
  }
  const limit = Math.max(1, window);
  for await (const item of items) {
    if (item.kind === 'error') batch.push({ record: item.record });
    else {
      batch.push({ posting: item.posting });
      for (const value of Object.values(item.posting.fields)) chars += value.length;
    }
    if (batch.length >= BATCH_POSTINGS || chars >= BATCH_CHARS) {
      submit();
      yield* drain(limit - 1);
    }
  }
  if (batch.length > 0) submit();
  yield* drain(0);
}
