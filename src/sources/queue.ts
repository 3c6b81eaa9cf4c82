// A push-to-pull bridge with a high-water mark, for turning callback parsers into async iterables.
export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failure: unknown;
  private done = false;

  constructor(
    private readonly highWater: number,
    private readonly onPause: () => void,
    private readonly onResume: () => void,
  ) {}

  push(item: T): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length === this.highWater) this.onPause();
  }

  end(): void {
    this.done = true;
    this.flushWaiting();
  }

  fail(error: unknown): void {
    this.failure = error;
    this.done = true;
    this.flushWaiting();
  }

  private flushWaiting(): void {
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift()!;
        if (this.items.length === this.highWater - 1) this.onResume();
        yield item;
        continue;
      }
      if (this.done) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      const next = await new Promise<IteratorResult<T>>((resolve) => {
        this.waiting = resolve;
      });
      if (next.done) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      yield next.value;
    }
  }
}
