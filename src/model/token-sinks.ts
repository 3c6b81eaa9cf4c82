// Where the tokenizer puts a posting's tokens: as strings (FeatureSink, to score and explain) or as
// ids of a vocabulary (IdSink, to train and to score fast), given in the same order either way. An
// id sink is long-lived (a TokenizerState owns one) and reuses its scratch columns from one posting
// to the next: one posting at a time.
import { ATOMS } from './atoms.js';
import type { Vocabulary } from './vocabulary.js';

/** The distinct tokens of one posting: presence is what the model uses. */
export type Features = Set<string>;

/** Where the scan puts a posting's tokens: as strings (to score and explain) or as vocabulary ids (to train). */
export interface TokenSink {
  /** A token given whole. */
  add(token: string): void;
  /** The token `prefix + word`, and (with pairs on) the pair of it and the word before, unless cut. */
  word(prefix: string, atom: number): void;
  /** The token `prefix + word` alone: no pair, and the word before stays the one to pair with. */
  unigram(prefix: string, atom: number): void;
  /** The Han/kana token `prefix + text[from, to)`: one character or a bigram. */
  chars(prefix: string, text: string, from: number, to: number): void;
  /** No pair across this point. */
  cut(): void;
}

/** Collects a posting's distinct tokens as strings. */
export class FeatureSink implements TokenSink {
  readonly features: Features = new Set();
  private previous = -1;
  constructor(private readonly pairs: boolean) {}
  add(token: string): void {
    this.features.add(token);
  }
  word(prefix: string, atom: number): void {
    const word = ATOMS.text(atom);
    this.features.add(prefix + word);
    if (this.pairs && this.previous >= 0) this.features.add(`${prefix}${ATOMS.text(this.previous)}_${word}`);
    this.previous = atom;
  }
  unigram(prefix: string, atom: number): void {
    this.features.add(prefix + ATOMS.text(atom));
  }
  chars(prefix: string, text: string, from: number, to: number): void {
    this.features.add(prefix + text.slice(from, to));
  }
  cut(): void {
    this.previous = -1;
  }
}

/**
 * Collects a posting's distinct tokens as ids in a vocabulary, in the order `FeatureSink` first
 * meets them (so ids are given out exactly as `vocabulary.idsOf(tokenize(...).features)` would).
 * Words and pairs go by atoms, without building their strings. With `adding` false, tokens the
 * vocabulary does not know are left out instead of added. `begin` starts each posting.
 */
export class IdSink implements TokenSink {
  length = 0;
  private previous = -1;
  private prefix = '';
  private p = 0;
  private posting = 0;
  private vocabulary: Vocabulary | undefined;
  private pairs = false;
  private adding = false;
  /** The posting's distinct ids, a growable list. */
  private scratchIds = new Int32Array(4096);
  /** `seenIn[id]` is the number of the last posting that gave token `id`: a posting's ids stay distinct. */
  private seenIn = new Int32Array(1 << 16);
  /** Every id given since `record()`, repeats included. */
  private recording = new Int32Array(4096);
  /** Start a posting's tokens in `vocabulary`. */
  begin(vocabulary: Vocabulary, pairs: boolean, adding: boolean): this {
    this.vocabulary = vocabulary;
    this.pairs = pairs;
    this.adding = adding;
    this.length = 0;
    this.previous = -1;
    this.prefix = '';
    this.p = vocabulary.prefixIndex('');
    this.posting++;
    this.recordedLength = 0;
    this.found = 0;
    this.unknown = 0;
    return this;
  }
  /** Let the scratch columns go (they grow again as needed). */
  clear(): void {
    this.scratchIds = new Int32Array(4096);
    this.seenIn = new Int32Array(1 << 16);
    this.recording = new Int32Array(4096);
    this.posting = 0;
  }
  private recordedLength = 0;
  /** From here on, keep every id given, repeats included: what replaying a field gives again. */
  record(): void {
    this.recordedLength = 0;
  }
  recorded(): Int32Array {
    return this.recording.slice(0, this.recordedLength);
  }
  /** A field's ids again, and the occurrences it had that the vocabulary did not know. */
  replay(ids: Int32Array, unknown: number): void {
    for (let k = 0; k < ids.length; k++) this.push(ids[k]!);
    this.unknown += unknown;
  }
  /** Token occurrences (repeats included) the vocabulary knew and did not know: how much of a posting the model can judge. */
  found = 0;
  unknown = 0;
  private push(id: number): void {
    if (id < 0) {
      this.unknown++;
      return;
    }
    this.found++;
    let recording = this.recording;
    if (this.recordedLength === recording.length) {
      const grown = new Int32Array(recording.length * 2);
      grown.set(recording);
      this.recording = recording = grown;
    }
    recording[this.recordedLength++] = id;
    let seenIn = this.seenIn;
    if (id >= seenIn.length) {
      const grown = new Int32Array(Math.max(id + 1, seenIn.length * 2));
      grown.set(seenIn);
      this.seenIn = seenIn = grown;
    }
    if (seenIn[id] === this.posting) return;
    seenIn[id] = this.posting;
    let ids = this.scratchIds;
    if (this.length === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      this.scratchIds = ids = grown;
    }
    ids[this.length++] = id;
  }
  private prefixIndex(prefix: string): number {
    if (prefix !== this.prefix) {
      this.prefix = prefix;
      this.p = this.vocabulary!.prefixIndex(prefix);
    }
    return this.p;
  }
  add(token: string): void {
    this.push(this.vocabulary!.wholeId(token, this.adding));
  }
  word(prefix: string, atom: number): void {
    const p = this.prefixIndex(prefix);
    this.push(this.vocabulary!.wordId(p, atom, this.adding));
    if (this.pairs && this.previous >= 0) this.push(this.vocabulary!.pairId(p, this.previous, atom, this.adding));
    this.previous = atom;
  }
  unigram(prefix: string, atom: number): void {
    this.push(this.vocabulary!.wordId(this.prefixIndex(prefix), atom, this.adding));
  }
  chars(prefix: string, text: string, from: number, to: number): void {
    // One or two characters of the Basic Multilingual Plane go by their codes; others by string.
    const first = text.charCodeAt(from);
    const second = to - from === 2 ? text.charCodeAt(from + 1) : -1;
    if (to - from > 2 || isSurrogate(first) || isSurrogate(second)) this.add(prefix + text.slice(from, to));
    else this.push(this.vocabulary!.charsId(this.prefixIndex(prefix), first, second, this.adding));
  }
  cut(): void {
    this.previous = -1;
  }
  ids(): Int32Array {
    return this.scratchIds.slice(0, this.length);
  }
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}
