// The tokenizer's settings, stored in each model file so a scan tokenizes as its training did, and
// the writing systems the model keeps apart. Types and defaults only.

/** Everything that changes the features; stored in the model so a scan tokenizes as training did. */
export interface TokenizerSettings {
  /**
   * 2 since Korean syllable pairs (`hangul`); version 1 files have no `hangul` and tokenize Korean as
   * words only. A lurescan that knows only version 1 refuses a version 2 model, rather than scoring
   * it without the tokens it was trained on.
   */
  version: 1 | 2;
  /** Adjacent word pairs (after stopwords are dropped) as well as single words. */
  pairs: boolean;
  /** Han/kana runs as character bigrams; `unigrams` adds the single characters too. */
  cjk: 'bigrams' | 'unigrams+bigrams';
  /** Fields whose words get their own prefix (`title:` words weigh apart from body words). */
  prefixed: string[];
  /** A field value at most this long (folded) also becomes one whole-value token, `field=value`. */
  shortValueMax: number;
  /**
   * Korean words as words only, or also as syllable bigrams (`§ko:` + the pair): Korean glues endings
   * and particles to its words (보장, 보장된다, 보장합니다), so a word seen once in training rarely
   * recurs whole, while its syllable pairs do. Absent in version 1 models: words only.
   */
  hangul?: 'words' | 'words+bigrams';
}

export const DEFAULT_TOKENIZER: TokenizerSettings = {
  version: 2,
  pairs: true,
  cjk: 'bigrams',
  prefixed: ['title', 'company'],
  shortValueMax: 24,
  hangul: 'words+bigrams',
};

/**
 * Writing systems the model keeps apart: each has its own vocabulary, and the labelled data in each
 * has its own share of fraud (5.9% in the Chinese 58.com set, 46% in the English EMSCAD subset), so
 * one set of class totals and priors over all of them misjudges both.
 */
export const SCRIPTS = ['han', 'latin', 'thai', 'other'] as const;
export type Script = (typeof SCRIPTS)[number];

/** Letters seen per script while tokenizing, to find the posting's main writing system. */
export type ScriptTally = Record<Script, number>;
