// Compact per-posting storage for a million postings and more: typed arrays that grow by doubling
// (small columns) or by pages (the sketches), a union-find over indices, and a stable radix sort.

type Typed = Uint8Array | Uint32Array | Int32Array | Float32Array;

/** A growable column of one number a posting. */
export class Column<T extends Typed> {
  data: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The filled part (a view, not a copy). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const uint32Column = (): Column<Uint32Array> => new Column((n) => new Uint32Array(n));
export const int32Column = (): Column<Int32Array> => new Column((n) => new Int32Array(n));
export const float32Column = (): Column<Float32Array> => new Column((n) => new Float32Array(n));

/** Fixed-width rows in pages of 65,536, so growing never copies what is stored (nor needs twice its memory). */
export class Pages<T extends Uint8Array | Uint32Array> {
  private readonly pages: T[] = [];
  static readonly SHIFT = 16;
  static readonly MASK = (1 << Pages.SHIFT) - 1;

  constructor(
    readonly width: number,
    private readonly make: (size: number) => T,
  ) {}

  /** The page holding row `index` and the offset of the row in it, allocating the page if needed. */
  row(index: number): { page: T; at: number } {
    const p = index >>> Pages.SHIFT;
    while (this.pages.length <= p) this.pages.push(this.make(this.width << Pages.SHIFT));
    return { page: this.pages[p]!, at: (index & Pages.MASK) * this.width };
  }

  page(index: number): T {
    return this.pages[index >>> Pages.SHIFT]!;
  }

  offset(index: number): number {
    return (index & Pages.MASK) * this.width;
  }

  get bytes(): number {
    return this.pages.reduce((sum, page) => sum + page.byteLength, 0);
  }
}

/** Union-find over 0..n-1 with path halving and union by size. */
export class UnionFind {
  readonly parent: Uint32Array;
  readonly size: Uint32Array;

  constructor(n: number) {
    this.parent = new Uint32Array(n);
    this.size = new Uint32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  /** Join the sets of a and b; false when they were one already. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    // The bigger set absorbs the smaller; on a tie, the lower index stays root (deterministic either way).
    if (this.size[ra]! < this.size[rb]! || (this.size[ra] === this.size[rb] && rb < ra)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return true;
  }
}

/**
 * The indices 0..n-1 ordered by `keys` (unsigned 32-bit), equal keys in index order: an LSD radix
 * sort in two 16-bit passes, linear in n and stable, so ties stay in input order.
 */
export function sortByKey(keys: Uint32Array, out: Uint32Array = new Uint32Array(keys.length), tmp: Uint32Array = new Uint32Array(keys.length)): Uint32Array {
  const n = keys.length;
  const counts = new Uint32Array(65537);
  for (let i = 0; i < n; i++) counts[(keys[i]! & 0xffff) + 1]!++;
  for (let d = 1; d <= 65536; d++) counts[d]! += counts[d - 1]!;
  for (let i = 0; i < n; i++) tmp[counts[keys[i]! & 0xffff]!++] = i;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[(keys[i]! >>> 16) + 1]!++;
  for (let d = 1; d <= 65536; d++) counts[d]! += counts[d - 1]!;
  for (let i = 0; i < n; i++) {
    const index = tmp[i]!;
    out[counts[keys[index]! >>> 16]!++] = index;
  }
  return out.subarray(0, n);
}
