// Token strings as dense integer ids, so training counts live in typed arrays. Word, pair and Han/kana
// tokens also have numeric shortcuts (words by their atoms, see atoms.ts; characters by their codes):
// a posting's tokens are looked up by numbers, a token's string is built only the first time it is
// seen, and the map from strings to ids takes those tokens in only when somebody looks a token up by
// its string. No I/O.
import { ATOMS } from './atoms.js';

/** An open-addressing hash table from two non-negative integers to a non-zero one (linear probing). */
class PairTable {
  /** Triples (first, second, value); value 0 marks an empty slot. */
  private slots = new Int32Array(3 << 16);
  private used = 0;

  private slot(a: number, b: number): number {
    const capacity = this.slots.length / 3;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & (capacity - 1);
    const slots = this.slots;
    while (slots[h * 3 + 2] !== 0 && (slots[h * 3] !== a || slots[h * 3 + 1] !== b)) h = (h + 1) & (capacity - 1);
    return h * 3;
  }

  /** The value for (a, b), or 0. */
  get(a: number, b: number): number {
    return this.slots[this.slot(a, b) + 2]!;
  }

  set(a: number, b: number, value: number): void {
    if ((this.used + 1) * 6 > this.slots.length) this.grow();
    const at = this.slot(a, b);
    if (this.slots[at + 2] === 0) this.used++;
    this.slots[at] = a;
    this.slots[at + 1] = b;
    this.slots[at + 2] = value;
  }

  private grow(): void {
    const old = this.slots;
    const slots = (this.slots = new Int32Array(old.length * 2));
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      const to = this.slot(old[at]!, old[at + 1]!);
      slots[to] = old[at]!;
      slots[to + 1] = old[at + 1]!;
      slots[to + 2] = old[at + 2]!;
    }
  }
}

/** A shortcut that tells nothing: the token must be looked up by its string (or added). */
const UNKNOWN = -2;

/** Word, pair and Han/kana tokens to ids + 1 (or a mark of absence, see `Vocabulary.shortcut`), per prefix, for one atom generation. */
class Shortcuts {
  readonly generation = ATOMS.generation;
  /** Per prefix: `words[p][atom]`, 0 when not known yet (see `Vocabulary.shortcut` for the values). */
  readonly words: Int32Array[] = [];
  /** Per prefix: (atom, atom) to a shortcut value. */
  readonly pairs: PairTable[] = [];
  /** Per prefix: Han/kana tokens, (code, code) or (code, 0x10000) for one character, to a shortcut value. */
  readonly chars: PairTable[] = [];
}

function spellPair(prefix: string, first: number, second: number): string {
  return `${prefix}${ATOMS.text(first)}_${ATOMS.text(second)}`;
}

/** One character (`second` 0x10000) or two. */
function spellChars(prefix: string, first: number, second: number): string {
  return prefix + (second === 0x10000 ? String.fromCharCode(first) : String.fromCharCode(first, second));
}

/** A read-only token index held outside the JavaScript heap (a model's tables, see tables.ts). */
export interface TokenIndex {
  readonly size: number;
  /** The id of a token, or undefined when the index does not hold it. */
  lookup(token: string): number | undefined;
  /** The token with id `id`. */
  token(id: number): string;
}

/** A loaded model's vocabulary was asked to add a token: it never grows. */
class FrozenVocabularyError extends Error {
  constructor() {
    super("a loaded model's vocabulary takes no new tokens");
  }
}

/**
 * Token strings and their ids (0, 1, 2, ... in the order first seen), shared by a training run's
 * counts; or, over a `TokenIndex`, a loaded model's tokens, which never grow. Tokens come in kinds
 * that never share a string (the tokenizer sees to it): word tokens (a prefix and one or two atoms:
 * `wordId`, `pairId`), Han/kana tokens of the Basic Multilingual Plane (`charsId`), and whole tokens
 * (classes, short field values, anything else: `wholeId`).
 */
export class Vocabulary {
  readonly tokens: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Tokens entered by a shortcut and not in `ids` yet. */
  private pending: number[] = [];
  /** Whether `ids` may hold shortcut-kind tokens the shortcuts do not know (entered by string, or from an earlier atom generation). */
  private wordsByString = false;
  private readonly prefixes: string[] = [];
  private shortcuts = new Shortcuts();

  /** `index`: a loaded model's tokens; such a vocabulary is looked up by string and never grows. */
  constructor(private readonly index?: TokenIndex) {
    if (index) this.wordsByString = true;
  }

  get size(): number {
    return this.index ? this.index.size : this.tokens.length;
  }

  /** The token with id `id`. */
  tokenOf(id: number): string | undefined {
    return this.index ? (id >= 0 && id < this.index.size ? this.index.token(id) : undefined) : this.tokens[id];
  }

  /** The id of any token, added if new. */
  id(token: string): number {
    this.flush();
    this.wordsByString = true;
    return this.enter(token);
  }

  /** The id of a token, or undefined when the vocabulary has never seen it. */
  get(token: string): number | undefined {
    this.flush();
    return this.find(token);
  }

  /** A token's id by its string, in the index or the string map (`flush` first if shortcut tokens must be in it). */
  private find(token: string): number | undefined {
    return this.index ? this.index.lookup(token) : this.ids.get(token);
  }

  /** Ids of distinct tokens, in their order. */
  idsOf(tokens: ReadonlySet<string>): Int32Array {
    const ids = new Int32Array(tokens.size);
    let k = 0;
    for (const token of tokens) ids[k++] = this.id(token);
    return ids;
  }

  /** The id of a whole token (never a word token's string), added if new; or with `add` false, -1 when unknown. */
  wholeId(token: string, add = true): number {
    if (add) return this.enter(token);
    return this.find(token) ?? -1;
  }

  /** A small number for a token prefix (`''`, `title:`), to pass to `wordId`, `pairId` and `charsId`. */
  prefixIndex(prefix: string): number {
    let p = this.prefixes.indexOf(prefix);
    if (p < 0) p = this.prefixes.push(prefix) - 1;
    return p;
  }

  /** The id of the token `prefix + word`, added if new; or with `add` false, -1 when unknown. `id()` gives its string the same id. */
  wordId(p: number, atom: number, add = true): number {
    const shortcuts = this.current();
    let words = shortcuts.words[p];
    if (words !== undefined && atom < words.length) {
      const known = this.known(words[atom]!, add);
      if (known !== UNKNOWN) return known;
    }
    const id = this.wordToken(this.prefixes[p]! + ATOMS.text(atom), add);
    if (words === undefined || atom >= words.length) {
      const grown = new Int32Array(Math.max(4096, atom + 1, (words?.length ?? 0) * 2));
      if (words) grown.set(words);
      shortcuts.words[p] = words = grown;
    }
    words[atom] = this.shortcut(id);
    return id;
  }

  /** The id of the pair token `prefix + first_second`, added if new; or with `add` false, -1 when unknown. */
  pairId(p: number, first: number, second: number, add = true): number {
    return this.tableId((this.current().pairs[p] ??= new PairTable()), p, first, second, spellPair, add);
  }

  /** The id of the token `prefix` + one (`second` -1) or two UTF-16 units, added if new; or with `add` false, -1 when unknown. */
  charsId(p: number, first: number, second: number, add = true): number {
    return this.tableId((this.current().chars[p] ??= new PairTable()), p, first, second < 0 ? 0x10000 : second, spellChars, add);
  }

  /** A token keyed by two numbers in `table`; its string (`spell`) is built when the table does not know it. */
  private tableId(
    table: PairTable,
    p: number,
    first: number,
    second: number,
    spell: (prefix: string, first: number, second: number) => string,
    add: boolean,
  ): number {
    const known = this.known(table.get(first, second), add);
    if (known !== UNKNOWN) return known;
    const id = this.wordToken(spell(this.prefixes[p]!, first, second), add);
    const value = this.shortcut(id);
    if (value !== 0) table.set(first, second, value);
    return id;
  }

  /**
   * A shortcut's value: id + 1 for a token held. For one found missing by its string (a model file's
   * vocabulary), minus (1 + the size the vocabulary had), so a posting scored against the model
   * looks each unknown token up once, until the vocabulary grows. Without strings to look up, a
   * miss is cheap and most misses are one-offs: 0, nothing kept.
   */
  private shortcut(id: number): number {
    if (id >= 0) return id + 1;
    return this.wordsByString ? -(this.size + 1) : 0;
  }

  /** What a shortcut's value says: the id, -1 (missing and not to be added), or UNKNOWN (look it up). */
  private known(value: number, add: boolean): number {
    if (value > 0) return value - 1;
    if (value < 0 && !add && value === -(this.size + 1)) return -1;
    return UNKNOWN;
  }

  /** A token of the shortcuts' kinds they did not know: found by its string if it may have come that way, else new. */
  private wordToken(token: string, add: boolean): number {
    if (this.wordsByString) {
      const id = this.find(token);
      if (id !== undefined) return id;
    }
    if (!add) return -1;
    if (this.index) throw new FrozenVocabularyError();
    const id = this.tokens.length;
    this.tokens.push(token);
    this.pending.push(id);
    return id;
  }

  private enter(token: string): number {
    if (this.index) {
      const known = this.index.lookup(token);
      if (known === undefined) throw new FrozenVocabularyError();
      return known;
    }
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.ids.set(token, id);
      this.tokens.push(token);
    }
    return id;
  }

  /** Word tokens into the string map. */
  private flush(): void {
    if (this.pending.length === 0) return;
    for (const id of this.pending) this.ids.set(this.tokens[id]!, id);
    this.pending = [];
  }

  /** Shortcuts of the current atom generation: after the atoms are forgotten, word tokens are found by string. */
  private current(): Shortcuts {
    if (this.shortcuts.generation !== ATOMS.generation) {
      this.flush();
      this.wordsByString = true;
      this.shortcuts = new Shortcuts();
    }
    return this.shortcuts;
  }
}
