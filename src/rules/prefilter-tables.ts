// A built prefilter's tables (prefilter.ts) as scoring threads share them, and their binary form
// for the cache folder; with the compile plan a thread needs beside them. Loaded by a scan's main
// thread, which reads or builds the tables once: it does not load the regex parser or the engine.
import type { CompilePlan } from './engine.js';

/**
 * A built prefilter's tables, each a typed array over a SharedArrayBuffer (`Prefilter.share`): every
 * scoring thread scans with the one copy (`Prefilter.fromTables`) rather than entering some 20,000
 * literals and building the automaton again, which was a third of a thread's start-up.
 */
export interface PrefilterTables {
  rootNext: Int32Array;
  slotNode: Int32Array;
  slotUnit: Uint16Array;
  slotTarget: Int32Array;
  mask: number;
  fail: Int32Array;
  terminal: Int32Array;
  dictionary: Int32Array;
  groupStart: Int32Array;
  literalGroups: Int32Array;
  /** Literals and groups the tables hold. */
  literals: number;
  groups: number;
}

const TABLE_ARRAYS = ['rootNext', 'slotNode', 'slotUnit', 'slotTarget', 'fail', 'terminal', 'dictionary', 'groupStart', 'literalGroups'] as const;
type TableArray = (typeof TABLE_ARRAYS)[number];
const PREFILTER_MAGIC = 0x4c504654; // "TFPL"
/** Bumped when the tables' layout or what they mean changes, so an older binary is never read. */
export const PREFILTER_TABLES_VERSION = 1;

interface TablesFileHeader {
  version: number;
  /** What the tables were built from (the caller's key): a binary of another rule set is not read. */
  source: string;
  mask: number;
  literals: number;
  groups: number;
  /** Each array's byte offset and element count in the body. */
  arrays: Record<TableArray, [number, number]>;
  /** sha256 of the body, hex: a damaged binary is rebuilt, never scanned with. */
  sha256: string;
}

/** The binary form of a prefilter's tables: magic, header length, the header as JSON, padding, the arrays. */
export function encodePrefilterTables(tables: PrefilterTables, source: string, sha256: (bytes: Uint8Array) => string): Uint8Array {
  const arrays = {} as Record<TableArray, [number, number]>;
  let bytes = 0;
  for (const name of TABLE_ARRAYS) {
    arrays[name] = [bytes, tables[name].length];
    bytes = (bytes + tables[name].byteLength + 7) & ~7;
  }
  const body = new Uint8Array(bytes);
  for (const name of TABLE_ARRAYS) body.set(new Uint8Array(tables[name].buffer, tables[name].byteOffset, tables[name].byteLength), arrays[name][0]);
  const header: TablesFileHeader = {
    version: PREFILTER_TABLES_VERSION,
    source,
    mask: tables.mask,
    literals: tables.literals,
    groups: tables.groups,
    arrays,
    sha256: sha256(body),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const base = (8 + json.length + 7) & ~7;
  const out = new Uint8Array(base + bytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, PREFILTER_MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(body, base);
  return out;
}

/**
 * Tables from a binary's bytes, in shared memory; undefined when the bytes are not tables of this
 * layout built from `source`, or are damaged (their checksum differs). Bytes already in a
 * SharedArrayBuffer (the cache file read straight into one) are viewed where they lie; other bytes
 * are copied into one, and the copy is what the tables hold.
 */
export function decodePrefilterTables(bytes: Uint8Array, source: string, sha256: (bytes: Uint8Array) => string): PrefilterTables | undefined {
  if (bytes.byteLength < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== PREFILTER_MAGIC) return undefined;
  const length = view.getUint32(4, true);
  const base = (8 + length + 7) & ~7;
  if (base > bytes.byteLength) return undefined;
  let header: TablesFileHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as TablesFileHeader;
  } catch {
    return undefined;
  }
  if (header.version !== PREFILTER_TABLES_VERSION || header.source !== source || header.arrays === undefined) return undefined;
  const body = bytes.subarray(base);
  if (sha256(body) !== header.sha256) return undefined;
  // The body starts 8-aligned in the file, so the arrays' offsets stay aligned in a buffer that
  // holds the whole file from its start.
  const inPlace = bytes.buffer instanceof SharedArrayBuffer && (bytes.byteOffset + base) % 8 === 0;
  let memory: SharedArrayBuffer;
  let start = 0;
  if (inPlace) {
    memory = bytes.buffer as SharedArrayBuffer;
    start = bytes.byteOffset + base;
  } else {
    memory = new SharedArrayBuffer(body.byteLength);
    new Uint8Array(memory).set(body);
  }
  const out: Partial<Record<TableArray, Int32Array | Uint16Array>> = {};
  for (const name of TABLE_ARRAYS) {
    const [offset, count] = header.arrays[name] ?? [];
    const unit = name === 'slotUnit' ? 2 : 4;
    if (!Number.isInteger(offset) || !Number.isInteger(count) || offset! < 0 || count! < 0 || offset! % 8 !== 0) return undefined;
    if (offset! + count! * unit > body.byteLength) return undefined;
    out[name] = unit === 2 ? new Uint16Array(memory, start + offset!, count) : new Int32Array(memory, start + offset!, count);
  }
  const tables = {
    ...(out as Record<TableArray, Int32Array>),
    slotUnit: out.slotUnit as Uint16Array,
    mask: header.mask,
    literals: header.literals,
    groups: header.groups,
  };
  const slots = tables.slotTarget.length;
  if (tables.rootNext.length !== 0x10000 || slots !== tables.mask + 1 || tables.slotNode.length !== slots || tables.slotUnit.length !== slots) return undefined;
  if (tables.groupStart.length !== tables.literals + 1 || tables.fail.length !== tables.terminal.length || tables.dictionary.length !== tables.terminal.length)
    return undefined;
  return tables;
}

/**
 * A plan as a thread that scans with shared prefilter tables needs it: each matcher's regex and
 * the number of its literal sets, not the strings (some 20,000, most of the plan; they were copied
 * to every thread and kept there).
 */
export function threadPlan(plan: CompilePlan): CompilePlan {
  const slim: CompilePlan = {};
  for (const [key, { pattern, anchored, literals, also }] of Object.entries(plan)) {
    slim[key] = { ...(pattern !== undefined ? { pattern } : {}), anchored, ...(literals !== undefined ? { sets: 1 + (also?.length ?? 0) } : {}) };
  }
  return slim;
}
