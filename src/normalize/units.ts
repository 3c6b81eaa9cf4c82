// The normaliser's working columns: code points with the span of the original each came from,
// built in one pass and folded in place by the stages (state.ts owns the set every call reuses).

/** A growable column of unsigned 32-bit integers. */
export class U32Column {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/**
 * Code points with their original spans, built in one pass and then folded in place. Without
 * `offsets` the spans are not kept (when only the folded text is wanted).
 */
export class Units {
  cps: U32Column;
  starts: U32Column;
  ends: U32Column;
  offsets = true;
  constructor(capacity: number) {
    this.cps = new U32Column(capacity);
    this.starts = new U32Column(capacity);
    this.ends = new U32Column(capacity);
  }
  get length(): number {
    return this.cps.length;
  }
  push(cp: number, start: number, end: number): void {
    this.cps.push(cp);
    if (!this.offsets) return;
    this.starts.push(start);
    this.ends.push(end);
  }
  /** A single space for any run of white space; none at the start. */
  space(start: number, end: number): void {
    const n = this.cps.length;
    if (n === 0) return;
    if (this.cps.data[n - 1] === 32) {
      if (this.offsets) this.ends.data[n - 1] = end;
      return;
    }
    this.push(32, start, end);
  }
}
