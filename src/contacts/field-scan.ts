// One field being read: its light text, what the stages have found in it so far, and the helpers they share.
import { normalizeText, originalSpan, type NormalizedText } from '../normalize/index.js';
import { lightText, NATIVE_DIGIT_RANGES } from './digits.js';
import type { Regions } from './regions.js';
import type { ContactApp, ContactKind, WalletNetwork } from './types.js';
import { scanCues, type CueAt } from './words.js';

/** A contact found in a field, before it is written as a Contact. */
export interface Found {
  kind: ContactKind;
  value: string;
  app?: ContactApp | undefined;
  network?: WalletNetwork;
  country?: string | undefined;
  obfuscation: string[];
  start: number;
  end: number;
}

/** Cues with their spans in the original text. */
export interface Cue extends CueAt {
  ostart: number;
  oend: number;
}

const NATIVE_DIGIT = new RegExp(`[${NATIVE_DIGIT_RANGES}]`);
const SPELLED_APP = /[a-z][\s._*·•-]+[a-z][\s._*·•-]+[a-z]/i;

/**
 * A field's scan. The stages, which extract.ts runs in turn, read `light` and `add` what they find;
 * a span one stage took is not `free` for the next.
 */
export class FieldScan {
  readonly found: Found[] = [];
  readonly light: string;
  private norm: NormalizedText | undefined;
  private cueList: Cue[] | undefined;
  /** Digit words in a row in the folded text ("zero eight"): look for a spelled-out number. */
  digitWords = false;

  constructor(
    readonly field: string,
    readonly original: string,
    folded: NormalizedText | undefined,
    readonly regions: Regions,
  ) {
    this.light = lightText(original);
    this.norm = folded;
  }

  /** The folded field and its map back to the original (from the rules' work when given). */
  folded(): NormalizedText {
    return (this.norm ??= normalizeText(this.original));
  }

  /** Cue words, with original offsets, in order. */
  cues(): Cue[] {
    if (this.cueList) return this.cueList;
    const norm = this.folded();
    const scan = scanCues(norm.text);
    this.digitWords = scan.digitWords;
    this.cueList = scan.cues.map((cue) => {
      const [ostart, oend] = originalSpan(norm, cue.start, cue.end);
      return { ...cue, ostart, oend };
    });
    return this.cueList;
  }

  /** Whether a contact already found lies between two offsets. */
  foundBetween(from: number, to: number): boolean {
    return this.found.some((f) => f.start >= from && f.end <= to);
  }

  free(start: number, end: number): boolean {
    for (const f of this.found) if (start < f.end && f.start < end) return false;
    return true;
  }

  add(found: Found): void {
    if (found.end <= found.start || !this.free(found.start, found.end)) return;
    this.found.push(found);
  }

  /** How the span's original text differs from its light form: full-width letters or digits, keycaps, other scripts' digits. */
  disguise(start: number, end: number): string[] {
    const original = this.original.slice(start, end);
    const tags: string[] = [];
    if (/[\uff01-\uff5e]/.test(original)) tags.push('fullwidth');
    if (/\u20e3/.test(original)) tags.push('emoji-digits');
    if (/[\u2460-\u24ff\u2776-\u2793]/.test(original)) tags.push('enclosed-digits');
    if (NATIVE_DIGIT.test(original)) tags.push('native-digits');
    if (/[零〇一二三四五六七八九幺壹贰貳叁參肆伍陆陸柒捌玖]/.test(original)) tags.push('spelled-digits');
    if (/[\u0370-\u03ff\u0400-\u052f]/.test(original)) tags.push('lookalike-letters');
    return tags;
  }

  /** What the app's name looked like: a look-alike, or spelled out letter by letter. */
  appDisguise(cue: Cue): string[] {
    const original = this.original.slice(cue.ostart, cue.oend);
    const written = lightText(original).toLowerCase();
    if (cue.cue.lookalike) return ['lookalike-app'];
    if (/[\u0370-\u03ff\u0400-\u052f]/.test(original) && /[a-z]/.test(written)) return ['lookalike-app'];
    if (SPELLED_APP.test(written)) return ['spelled-app'];
    const squashed = written.replace(/[\s.]/g, '');
    return squashed !== cue.word.replace(/[\s.]/g, '') && /^[\x00-\x7f]*$/.test(cue.word) ? ['lookalike-app'] : [];
  }
}
