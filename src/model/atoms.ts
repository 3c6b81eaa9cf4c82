// Word texts (stems, words of scripts without stemming, number classes) as small integers, shared by
// the tokenizer and every vocabulary in the thread: training looks word and pair tokens up by these
// numbers instead of building each token's string. No I/O.
//
// One owner, ATOMS, one per thread (each worker thread loads its own copy of this module): every
// vocabulary's shortcuts are keyed by these numbers, so a second table would have to be a second set
// of vocabularies. Bound: MAX_ATOMS texts; past it the table is emptied between documents and its
// generation bumped, so numbers handed out before mean nothing (vocabularies and word caches check
// the generation and start over).

/** More atoms than this and they are all forgotten before the next document (a long scan stays bounded). */
export const MAX_ATOMS = 500_000;

/** The intern table of word texts. */
export class AtomTable {
  private readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  private gen = 0;
  /** The atom of a word text, made if new. */
  of(text: string): number {
    let atom = this.ids.get(text);
    if (atom === undefined) {
      atom = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, atom);
    }
    return atom;
  }
  /** The text of an atom of the current generation. */
  text(atom: number): string {
    return this.texts[atom]!;
  }
  get size(): number {
    return this.texts.length;
  }
  /** Bumped whenever the atoms are forgotten: numbers from an earlier generation mean nothing now. */
  get generation(): number {
    return this.gen;
  }
  /** Call between documents: forgets every atom once there are `limit` or more. */
  bound(limit = MAX_ATOMS): void {
    if (this.texts.length >= limit) this.clear();
  }
  /** Forget every atom (a new generation). */
  clear(): void {
    this.texts.length = 0;
    this.ids.clear();
    this.gen++;
  }
}

/** The owner of the atoms in this thread. */
export const ATOMS = new AtomTable();
