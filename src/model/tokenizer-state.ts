// What the tokenizer keeps from one posting to the next, owned by whoever tokenizes: a Scorer owns
// one (made with it, so each worker thread's scorer has its own), `train` makes one for the run. It
// is passed to tokenizeToIds and knownTokenIds, and one posting at a time uses it (not re-entrant).
//
// What it holds, and the bound of each:
// - `words`: a word as found → the atom of the word as counted (stemmed, or -1 for a stopword), at
//   most MAX_WORD_CACHE entries (emptied when full, and when the atoms are forgotten).
// - `sink`: the id sink with its scratch columns: the posting's distinct ids and a field's ids
//   (each as long as the longest posting or field met) and a last-seen mark per vocabulary id (as
//   long as the largest vocabulary used, 4 bytes an id).
// - `fieldIds`: per vocabulary, the ids of field values met before (field-id-cache.ts: up to 16 M
//   units while adding, 4 M for lookups).
// The atoms themselves are the thread's (atoms.ts, ATOMS), shared with every vocabulary; fixed
// per-character tables and the field-name keys stay with the code in tokenize.ts.
import { ATOMS } from './atoms.js';
import { FieldIdCaches } from './field-id-cache.js';
import { IdSink } from './token-sinks.js';

/** Words the word cache holds before it is emptied. */
export const MAX_WORD_CACHE = 200_000;

/** Words as found to the atoms they count as: one lookup a word instead of a stem and a stopword test. */
export class WordAtoms {
  private readonly atoms = new Map<string, number>();
  private generation = ATOMS.generation;
  constructor(readonly limit: number) {}
  get size(): number {
    return this.atoms.size;
  }
  /** Before a posting: the atoms were forgotten since the last one, so are the words'. */
  sync(): void {
    if (this.generation === ATOMS.generation) return;
    this.atoms.clear();
    this.generation = ATOMS.generation;
  }
  get(word: string): number | undefined {
    return this.atoms.get(word);
  }
  set(word: string, atom: number): void {
    if (this.atoms.size >= this.limit) this.atoms.clear();
    this.atoms.set(word, atom);
  }
  clear(): void {
    this.atoms.clear();
  }
}

/** The tokenizer's state between postings. */
export class TokenizerState {
  readonly words = new WordAtoms(MAX_WORD_CACHE);
  readonly sink = new IdSink();
  readonly fieldIds = new FieldIdCaches();
  /** Forget everything (results are unchanged: only speed and memory depend on it). */
  clear(): void {
    this.words.clear();
    this.sink.clear();
    this.fieldIds.clear();
  }
}
