// A loaded model's tables in one flat buffer: the token index and every classifier's
// log-likelihoods as typed arrays over a SharedArrayBuffer, so a scan's threads share one copy
// instead of each parsing the JSON and building its own (issue 17: about 200 MB a thread before),
// and a binary file of it loads in milliseconds (the JSON takes a second). The numbers are the very
// doubles `loadScorer` computes, copied, so verdicts are the same to the byte. No I/O: callers read
// and write the bytes.
import type { Calibration } from './calibration.js';
import { CLASS_COUNT } from './classes.js';
import type { Classifier } from './classifier.js';
import type { Gate, ModelInfo, Partitioning, Scorer } from './model.js';
import type { TokenizerSettings } from './token-settings.js';
// From its own module, not tokenize.ts: a scan's main thread reads the tables without tokenizing,
// and tokenize.ts brings the normaliser and natural's stemmer (some 50 ms of its start-up).
import { TokenizerState } from './tokenizer-state.js';
import { Vocabulary, type TokenIndex } from './vocabulary.js';

export const TABLES_FORMAT = 'lurescan-model-tables';
/** Bumped whenever the layout changes, so a binary written by another layout is never read. */
export const TABLES_VERSION = 2;
const MAGIC = 0x544d534c; // "LSMT", little-endian

interface ClassifierLayout {
  /** A part's name, or `all` for the whole model. */
  name: string;
  alpha: number;
  logPrior: number[];
  logUnseen: number[];
  calibration: Calibration;
  /** Tokens the classifier holds: rows of its table. */
  held: number;
  /** Byte offsets in the buffer: `rows` (Int32, one a token: its row or -1), `table` (Float64, CLASS_COUNT a row). */
  rows: number;
  table: number;
  /** The report head (version 2): its bias, and the byte offset of its weights (Float64, one a row). */
  report?: { bias: number; weights: number };
}

/** Everything but the arrays, as JSON. */
export interface TablesHeader {
  format: typeof TABLES_FORMAT;
  version: number;
  /** What the tables were built from (a hash of the model file's bytes), to tell a stale binary. */
  source: string;
  tokenizer: TokenizerSettings;
  partitioning: Partitioning;
  gate: Gate;
  languages?: Record<string, number[]>;
  documents: number[];
  fingerprint: string;
  untrusted?: string;
  info: ModelInfo;
  /** `all@<group>` calibrations, by group. */
  wholeIn: Record<string, Calibration>;
  tokens: number;
  /** Byte offsets and sizes in the buffer. */
  text: number;
  textUnits: number;
  starts: number;
  slots: number;
  slotCount: number;
  classifiers: ClassifierLayout[];
  bytes: number;
}

/** A model's tables: a header and one buffer (shared between threads when it is a SharedArrayBuffer). */
export interface ModelTables {
  header: TablesHeader;
  buffer: SharedArrayBuffer | ArrayBuffer;
  /** Where the tables start in `buffer` (a binary file read whole has its header first). */
  base: number;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** FNV-1a over UTF-16 units. */
function hashOf(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Tokens as UTF-16 units end to end, with an open-addressing hash table from token to id + 1. */
class FlatTokenIndex implements TokenIndex {
  private readonly mask: number;
  constructor(
    readonly size: number,
    private readonly text: Uint16Array,
    private readonly starts: Int32Array,
    private readonly slots: Int32Array,
  ) {
    this.mask = slots.length - 1;
  }

  lookup(token: string): number | undefined {
    const { text, starts, slots, mask } = this;
    const length = token.length;
    for (let slot = hashOf(token) & mask; ; slot = (slot + 1) & mask) {
      const value = slots[slot]!;
      if (value === 0) return undefined;
      const id = value - 1;
      const start = starts[id]!;
      if (starts[id + 1]! - start !== length) continue;
      let i = 0;
      while (i < length && text[start + i] === token.charCodeAt(i)) i++;
      if (i === length) return id;
    }
  }

  token(id: number): string {
    const start = this.starts[id]!;
    const end = this.starts[id + 1]!;
    let out = '';
    for (let at = start; at < end; at += 4096) out += String.fromCharCode(...this.text.subarray(at, Math.min(end, at + 4096)));
    return out;
  }
}

/**
 * The tables of a scorer built from a model file (`loadScorer`), in a SharedArrayBuffer. `source`
 * names the file's bytes; `info` and `untrusted` are what the file says of itself.
 */
export function tablesOf(scorer: Scorer, info: ModelInfo, source: string): ModelTables {
  const tokens = scorer.vocabulary.size;
  const spelled: string[] = [];
  let textUnits = 0;
  for (let id = 0; id < tokens; id++) {
    const token = scorer.vocabulary.tokenOf(id)!;
    spelled.push(token);
    textUnits += token.length;
  }
  let slotCount = 1024;
  while (slotCount < tokens * 2) slotCount *= 2;
  const whole = scorer.whole();
  // A language scored by the whole model under a calibration of its own is kept in `byPart` once
  // used (the whole model's table): it is rebuilt from `wholeIn`, not stored twice.
  const parts = [...scorer.byPart].filter(([, classifier]) => classifier.logLikelihood !== whole.logLikelihood);
  const named: Array<[string, Classifier]> = [['all', whole], ...parts.sort((a, b) => (a[0] < b[0] ? -1 : 1))];
  const held = named.map(([, classifier]) => {
    let n = 0;
    const table = classifier.logLikelihood;
    for (let id = 0; id < tokens; id++) {
      const at = id * CLASS_COUNT;
      if (at < table.length && !Number.isNaN(table[at])) n++;
    }
    return n;
  });
  // The layout: text, starts, slots, then each classifier's rows and table.
  let at = 0;
  const text = at;
  at = align8(at + textUnits * 2);
  const starts = at;
  at = align8(at + (tokens + 1) * 4);
  const slots = at;
  at = align8(at + slotCount * 4);
  const classifiers: ClassifierLayout[] = named.map(([name, classifier], k) => {
    const rows = at;
    at = align8(at + tokens * 4);
    const table = at;
    at = align8(at + held[k]! * CLASS_COUNT * 8);
    let report: ClassifierLayout['report'];
    if (classifier.report) {
      report = { bias: classifier.report.bias, weights: at };
      at = align8(at + held[k]! * 8);
    }
    return {
      name,
      alpha: classifier.alpha,
      logPrior: [...classifier.logPrior],
      logUnseen: [...classifier.logUnseen],
      calibration: classifier.calibration,
      held: held[k]!,
      rows,
      table,
      ...(report ? { report } : {}),
    };
  });
  const buffer = new SharedArrayBuffer(at);
  const textView = new Uint16Array(buffer, text, textUnits);
  const startsView = new Int32Array(buffer, starts, tokens + 1);
  const slotsView = new Int32Array(buffer, slots, slotCount);
  let unit = 0;
  for (let id = 0; id < tokens; id++) {
    const token = spelled[id]!;
    startsView[id] = unit;
    for (let i = 0; i < token.length; i++) textView[unit++] = token.charCodeAt(i);
    let slot = hashOf(token) & (slotCount - 1);
    while (slotsView[slot] !== 0) slot = (slot + 1) & (slotCount - 1);
    slotsView[slot] = id + 1;
  }
  startsView[tokens] = unit;
  named.forEach(([, classifier], k) => {
    const layout = classifiers[k]!;
    const rows = new Int32Array(buffer, layout.rows, tokens);
    const out = new Float64Array(buffer, layout.table, layout.held * CLASS_COUNT);
    const table = classifier.logLikelihood;
    const head =
      classifier.report && layout.report ? { from: classifier.report.weights, to: new Float64Array(buffer, layout.report.weights, layout.held) } : undefined;
    let row = 0;
    for (let id = 0; id < tokens; id++) {
      const from = id * CLASS_COUNT;
      if (from >= table.length || Number.isNaN(table[from])) {
        rows[id] = -1;
        continue;
      }
      rows[id] = row;
      for (let c = 0; c < CLASS_COUNT; c++) out[row * CLASS_COUNT + c] = table[from + c]!;
      if (head) head.to[row] = head.from[id] ?? NaN;
      row++;
    }
  });
  const header: TablesHeader = {
    format: TABLES_FORMAT,
    version: TABLES_VERSION,
    source,
    tokenizer: scorer.tokenizer,
    partitioning: scorer.partitioning,
    gate: scorer.gate,
    ...(scorer.languages !== undefined ? { languages: Object.fromEntries([...scorer.languages].map(([lang, counts]) => [lang, [...counts]])) } : {}),
    documents: [...scorer.documents],
    fingerprint: scorer.fingerprint,
    ...(scorer.untrusted !== undefined ? { untrusted: scorer.untrusted } : {}),
    info,
    wholeIn: Object.fromEntries(scorer.wholeIn),
    tokens,
    text,
    textUnits,
    starts,
    slots,
    slotCount,
    classifiers,
    bytes: at,
  };
  return { header, buffer, base: 0 };
}

/** A scorer over the tables: views into the buffer, nothing copied. */
export function scorerOf(tables: ModelTables): Scorer {
  const { header, buffer, base } = tables;
  const index = new FlatTokenIndex(
    header.tokens,
    new Uint16Array(buffer, base + header.text, header.textUnits),
    new Int32Array(buffer, base + header.starts, header.tokens + 1),
    new Int32Array(buffer, base + header.slots, header.slotCount),
  );
  const vocabulary = new Vocabulary(index);
  const classifiers = new Map<string, Classifier>();
  for (const layout of header.classifiers) {
    classifiers.set(layout.name, {
      alpha: layout.alpha,
      logPrior: layout.logPrior,
      logUnseen: layout.logUnseen,
      vocabulary,
      logLikelihood: new Float64Array(buffer, base + layout.table, layout.held * CLASS_COUNT),
      rows: new Int32Array(buffer, base + layout.rows, header.tokens),
      calibration: layout.calibration,
      ...(layout.report ? { report: { bias: layout.report.bias, weights: new Float64Array(buffer, base + layout.report.weights, layout.held) } } : {}),
    });
  }
  const whole = classifiers.get('all')!;
  classifiers.delete('all');
  return {
    tokenizer: header.tokenizer,
    vocabulary,
    tokenizerState: new TokenizerState(),
    partitioning: header.partitioning,
    byPart: classifiers,
    whole: () => whole,
    wholeIn: new Map(Object.entries(header.wholeIn)),
    ...(header.untrusted !== undefined ? { untrusted: header.untrusted } : {}),
    documents: [...header.documents],
    fingerprint: header.fingerprint,
    ...(header.languages !== undefined ? { languages: new Map(Object.entries(header.languages)) } : {}),
    gate: header.gate,
  };
}

/** The binary file: magic, version, header length, the header as JSON, padding, the tables. */
export function encodeTables(tables: ModelTables): Uint8Array {
  const json = Buffer.from(JSON.stringify(tables.header), 'utf8');
  const base = align8(12 + json.length);
  const out = new Uint8Array(base + tables.header.bytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, TABLES_VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(new Uint8Array(tables.buffer, tables.base, tables.header.bytes), base);
  return out;
}

/**
 * Tables from a binary file's bytes (read into a SharedArrayBuffer to share them), or undefined
 * when the bytes are not tables of this layout built from `source`: a stale or damaged binary is
 * rebuilt from the model file, never trusted.
 */
export function decodeTables(buffer: SharedArrayBuffer | ArrayBuffer, source: string): ModelTables | undefined {
  if (buffer.byteLength < 12) return undefined;
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== TABLES_VERSION) return undefined;
  const length = view.getUint32(8, true);
  const base = align8(12 + length);
  if (base > buffer.byteLength) return undefined;
  let header: TablesHeader;
  try {
    // Copied out first: TextDecoder refuses views of shared memory.
    header = JSON.parse(Buffer.from(new Uint8Array(buffer, 12, length).slice()).toString('utf8')) as TablesHeader;
  } catch {
    return undefined;
  }
  if (header.format !== TABLES_FORMAT || header.version !== TABLES_VERSION || header.source !== source) return undefined;
  if (base + header.bytes !== buffer.byteLength || !header.classifiers.some((c) => c.name === 'all')) return undefined;
  const fits = (offset: number, bytes: number): boolean => Number.isInteger(offset) && offset >= 0 && offset % 8 === 0 && offset + bytes <= header.bytes;
  if (!fits(header.text, header.textUnits * 2) || !fits(header.starts, (header.tokens + 1) * 4) || !fits(header.slots, header.slotCount * 4)) return undefined;
  if (header.slotCount & (header.slotCount - 1) || header.slotCount < header.tokens) return undefined;
  for (const c of header.classifiers) {
    if (!fits(c.rows, header.tokens * 4) || !fits(c.table, c.held * CLASS_COUNT * 8)) return undefined;
    if (c.report !== undefined && (!Number.isFinite(c.report.bias) || !fits(c.report.weights, c.held * 8))) return undefined;
  }
  return { header, buffer, base };
}
