// Token strings as dense integer ids, so training counts live in typed arrays: a token string is
// looked up once per document that holds it, and every count after that is an array index. No I/O.

/** Token strings and their ids (0, 1, 2, ... in the order first seen), shared by a training run's counts. */
export class Vocabulary {
  readonly tokens: string[] = [];
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token, added if new. */
  id(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.ids.set(token, id);
      this.tokens.push(token);
    }
    return id;
  }

  /** The id of a token, or undefined when the vocabulary has never seen it. */
  get(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Ids of distinct tokens, in their order. */
  idsOf(tokens: ReadonlySet<string>): Int32Array {
    const ids = new Int32Array(tokens.size);
    let k = 0;
    for (const token of tokens) ids[k++] = this.id(token);
    return ids;
  }
}
