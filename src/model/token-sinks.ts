// Where the tokenizer puts a posting's tokens: as strings (FeatureSink, to score and explain) or as
// ids of a vocabulary (IdSink, to train and to score fast), given in the same order either way. The
// id sink reuses scratch buffers from one posting to the next: one tokenizing at a time per thread.
import { atomText } from './atoms.js';
import type { Vocabulary } from './vocabulary.js';

/** The distinct tokens of one posting: presence is what the model uses. */
export type Features = Set<string>;

/** Where the scan puts a posting's tokens: as strings (to score and explain) or as vocabulary ids (to train). */
export interface Sink {
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
export class FeatureSink implements Sink {
  readonly features: Features = new Set();
  private previous = -1;
  constructor(private readonly pairs: boolean) {}
  add(token: string): void {
    this.features.add(token);
  }
  word(prefix: string, atom: number): void {
    const word = atomText(atom);
    this.features.add(prefix + word);
    if (this.pairs && this.previous >= 0) this.features.add(`${prefix}${atomText(this.previous)}_${word}`);
    this.previous = atom;
  }
  unigram(prefix: string, atom: number): void {
    this.features.add(prefix + atomText(atom));
  }
  chars(prefix: string, text: string, from: number, to: number): void {
    this.features.add(prefix + text.slice(from, to));
  }
  cut(): void {
    this.previous = -1;
  }
}

/** A growable list of ids, reused from one posting to the next. */
let scratchIds = new Int32Array(4096);
/** `seenIn[id]` is the number of the last posting that gave token `id`: a posting's ids stay distinct. */
let seenIn = new Int32Array(1 << 16);
let postingNumber = 0;
/** Every id an `IdSink` was given since `record()`, repeats included, reused likewise. */
let recording = new Int32Array(4096);

/**
 * Collects a posting's distinct tokens as ids in a vocabulary, in the order `FeatureSink` first
 * meets them (so ids are given out exactly as `vocabulary.idsOf(tokenize(...).features)` would).
 * Words and pairs go by atoms, without building their strings. With `add` false, tokens the
 * vocabulary does not know are left out instead of added.
 */
export class IdSink implements Sink {
  length = 0;
  private previous = -1;
  private prefix = '';
  private p: number;
  private readonly posting = ++postingNumber;
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly pairs: boolean,
    private readonly adding: boolean,
  ) {
    this.p = vocabulary.prefixIndex('');
  }
  private recordedLength = 0;
  /** From here on, keep every id given, repeats included: what replaying a field gives again. */
  record(): void {
    this.recordedLength = 0;
  }
  recorded(): Int32Array {
    return recording.slice(0, this.recordedLength);
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
    if (this.recordedLength === recording.length) {
      const grown = new Int32Array(recording.length * 2);
      grown.set(recording);
      recording = grown;
    }
    recording[this.recordedLength++] = id;
    if (id >= seenIn.length) {
      const grown = new Int32Array(Math.max(id + 1, seenIn.length * 2));
      grown.set(seenIn);
      seenIn = grown;
    }
    if (seenIn[id] === this.posting) return;
    seenIn[id] = this.posting;
    if (this.length === scratchIds.length) {
      const grown = new Int32Array(scratchIds.length * 2);
      grown.set(scratchIds);
      scratchIds = grown;
    }
    scratchIds[this.length++] = id;
  }
  private prefixIndex(prefix: string): number {
    if (prefix !== this.prefix) {
      this.prefix = prefix;
      this.p = this.vocabulary.prefixIndex(prefix);
    }
    return this.p;
  }
  add(token: string): void {
    this.push(this.vocabulary.wholeId(token, this.adding));
  }
  word(prefix: string, atom: number): void {
    const p = this.prefixIndex(prefix);
    this.push(this.vocabulary.wordId(p, atom, this.adding));
    if (this.pairs && this.previous >= 0) this.push(this.vocabulary.pairId(p, this.previous, atom, this.adding));
    this.previous = atom;
  }
  unigram(prefix: string, atom: number): void {
    this.push(this.vocabulary.wordId(this.prefixIndex(prefix), atom, this.adding));
  }
  chars(prefix: string, text: string, from: number, to: number): void {
    // One or two characters of the Basic Multilingual Plane go by their codes; others by string.
    const first = text.charCodeAt(from);
    const second = to - from === 2 ? text.charCodeAt(from + 1) : -1;
    if (to - from > 2 || isSurrogate(first) || isSurrogate(second)) this.add(prefix + text.slice(from, to));
    else this.push(this.vocabulary.charsId(this.prefixIndex(prefix), first, second, this.adding));
  }
  cut(): void {
    this.previous = -1;
  }
  ids(): Int32Array {
    return scratchIds.slice(0, this.length);
  }
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}
