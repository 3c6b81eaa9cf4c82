// Field values repeat across a dump (a company's profile on each of its ads): the ids one value gave,
// per vocabulary and settings, kept up to a bound so the tokenizer replays them instead of cutting
// the value again. Training and lookups keep separate caches; a TokenizerState owns a set.
import type { ScriptTally, TokenizerSettings } from './token-settings.js';
import type { Vocabulary } from './vocabulary.js';

/** What one field value gave: the ids in the order the sink got them (repeats included), and its letters. */
export interface FieldIds {
  ids: Int32Array;
  tally: ScriptTally;
  /** Occurrences the vocabulary did not know (lookups only). */
  unknown: number;
}

/** Field values repeat across a dump (a company's profile on each of its ads): their ids, per field, value. */
class FieldIdCache {
  private readonly byField = new Map<string, Map<string, FieldIds>>();
  /** UTF-16 units of the values held plus their ids: the cache is emptied past `limit`. */
  private units = 0;
  constructor(
    readonly settings: TokenizerSettings,
    /** For lookups only (nothing added): the vocabulary size the ids were found at; more tokens may be known after it grows. */
    readonly size: number,
    private readonly limit: number,
  ) {}
  get(field: string, raw: string): FieldIds | undefined {
    return this.byField.get(field)?.get(raw);
  }
  set(field: string, raw: string, entry: FieldIds): void {
    if (raw.length > MAX_CACHED_VALUE) return;
    this.units += raw.length + entry.ids.length;
    if (this.units > this.limit) {
      this.byField.clear();
      this.units = raw.length + entry.ids.length;
    }
    let values = this.byField.get(field);
    if (values === undefined) this.byField.set(field, (values = new Map()));
    values.set(raw, entry);
  }
}
/**
 * Units a cache holds before it is emptied: training reads the same dump's repeats over and over
 * (16x copies of a set train at cache speed); a scan's threads each hold one, so theirs is smaller.
 */
const MAX_FIELD_CACHE = { adding: 16_000_000, known: 4_000_000 } as const;
const MAX_CACHED_VALUE = 200_000;
/** Per vocabulary: one cache for training (tokens added), one for lookups; a TokenizerState holds one set. */
export class FieldIdCaches {
  private byVocabulary = new WeakMap<Vocabulary, { adding?: FieldIdCache; known?: FieldIdCache }>();
  of(vocabulary: Vocabulary, settings: TokenizerSettings, add: boolean): FieldIdCache {
    let caches = this.byVocabulary.get(vocabulary);
    if (caches === undefined) this.byVocabulary.set(vocabulary, (caches = {}));
    const key = add ? 'adding' : 'known';
    let cache = caches[key];
    // Lookup results go stale when the vocabulary grows; added ids never do.
    if (cache === undefined || cache.settings !== settings || (!add && cache.size !== vocabulary.size))
      caches[key] = cache = new FieldIdCache(settings, vocabulary.size, MAX_FIELD_CACHE[key]);
    return cache;
  }
  clear(): void {
    this.byVocabulary = new WeakMap();
  }
}
