// A model file's bytes, and its tables for a scan (tables.ts), read without loading the model's
// training and tokenizing code: a scan's main thread only hands the tables to its scoring threads,
// so it loads that code only when the tables must be built (a cache miss). model-file.ts has the
// rest (loading a scorer, a model's training state).
import { createHash, type Hash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR, touchCacheEntry, writeCacheEntry } from '../cache-dir.js';
import { fileIdentity, keepRecent, keptValue, keyEntryFile, type KeptAgainst } from './kept-here.js';
import { readIntoShared } from './read-shared.js';
import { formatBytes } from '../format-bytes.js';
import type { ModelHeader } from '../model/model.js';
import { MODEL_LABELS } from '../model/classes.js';
import { decodeTables, encodeTables, tablesOf, TABLES_VERSION, type ModelTables } from '../model/tables.js';
import { DEFAULT_MODEL_FILE, VERSION } from '../paths.js';
import type { ModelSummary } from '../report/summary.js';
import { LurescanError } from '../types.js';
import { displayPath } from '../display-path.js';

/**
 * Largest model file read. A model lurescan writes takes about 40 bytes a token: 15 MB at the
 * default 400,000 tokens, 80 MB at the 2,000,000 `train --max-vocabulary` allows. Reading one takes
 * about ten times its size in memory, so a larger file is refused before it is read.
 */
export const MAX_MODEL_BYTES = 128 * 1024 * 1024;

/** A model file's place and size, refused unread when it is too large; `undefined` means the shipped model. */
async function modelFile(location: string | undefined, cwd: string): Promise<{ path: string; file: string }> {
  const file = location ?? DEFAULT_MODEL_FILE;
  const shown = displayPath(file, cwd);
  const { size } = await stat(file).catch((error: unknown) => unreadable(location, shown, error));
  if (size > MAX_MODEL_BYTES) {
    throw new LurescanError(
      'MODEL_INVALID',
      `model ${shown} is ${formatBytes(size)}, over the ${formatBytes(MAX_MODEL_BYTES)} a model file may take (lurescan's are about 15 MB at the default 400,000 tokens): it is not a lurescan model, or was trained with too large a --max-vocabulary`,
    );
  }
  return { path: file, file: shown };
}

function unreadable(location: string | undefined, shown: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const hint = location === undefined ? ' (the shipped model is missing: reinstall, run `npm run train:default`, or scan with --no-model)' : '';
  throw new LurescanError('MODEL_UNREADABLE', `cannot read model ${shown}: ${code}${hint}`);
}

/** The bytes of a model file, refused unread when it is too large; `undefined` means the shipped model. */
export async function readModelBytes(location: string | undefined, cwd: string): Promise<{ file: string; bytes: Buffer }> {
  const { path: where, file } = await modelFile(location, cwd);
  return { file, bytes: await readFile(where).catch((error: unknown) => unreadable(location, file, error)) };
}

/** A hash of lurescan's version and the tables' layout, for the model file's bytes to be added to. */
function tablesHash(): Hash {
  return createHash('sha256').update(`${VERSION}\u0000${TABLES_VERSION}\u0000`);
}

/** The key of a model file's tables, from `tablesHash()` once the file's bytes are in it. */
function keyOf(hash: Hash): string {
  return hash.digest('hex').slice(0, 32);
}

/**
 * Model files this process has hashed, by place, with what their status said then: a file whose
 * inode, size, modification and change times are those it had is not read and hashed again (about
 * 20 ms of CPU a scan for the shipped model, paid by every in-process scan after the first: the
 * library's scanners, the test suite's). Any write to the file changes its times.
 */
const hashedModels = new Map<string, { identity: string; source: string }>();
const HASHED_MODELS_KEPT = 8;

/** Files of the kind `model-key-*.json`: a model file's key as another process found it (see `tablesKey`). */
const KEYS_PRUNE = { kind: /^model-key-[0-9a-f]+\.json$/, keep: 32, bytes: 64 * 1024 };

/**
 * The key of a model file's tables: a hash of lurescan's version, the tables' layout and the file's
 * bytes, read a piece at a time so a scan that finds its tables cached never holds the whole file.
 * Hashing the shipped model's 15 MB is about 0.1 s of a one-posting scan's start, so the key is kept
 * in the cache folder with the file's identity (inode, size, modification and change times: any
 * write changes it), and a later process whose file has that identity takes the key unread.
 */
async function tablesKey(location: string | undefined, cwd: string, cacheDir: string | undefined): Promise<{ file: string; source: string }> {
  const { path: where, file } = await modelFile(location, cwd);
  const hash = tablesHash();
  const place = path.resolve(where);
  const keyFile = cacheDir !== undefined ? keyEntryFile(cacheDir, 'model-key', place) : undefined;
  const under = `${VERSION}\u0000${TABLES_VERSION}`;
  try {
    const handle = await open(where, 'r');
    try {
      const identity = fileIdentity(await handle.stat());
      const known = hashedModels.get(place);
      if (known?.identity === identity) return { file, source: known.source };
      const kept = keyFile !== undefined ? await keptValue(keyFile, { place, identity, under }, 'source', /^[0-9a-f]{32}$/) : undefined;
      if (kept !== undefined) {
        keepRecent(hashedModels, place, { identity, source: kept }, HASHED_MODELS_KEPT);
        return { file, source: kept };
      }
      const piece = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const { bytesRead } = await handle.read(piece, 0, piece.length, null);
        if (bytesRead === 0) break;
        hash.update(piece.subarray(0, bytesRead));
      }
      const source = keyOf(hash);
      // Kept only when nothing wrote to the file while it was read.
      if (fileIdentity(await handle.stat()) === identity) {
        keepRecent(hashedModels, place, { identity, source }, HASHED_MODELS_KEPT);
        if (cacheDir !== undefined && keyFile !== undefined) {
          const entry: KeptAgainst & { source: string } = { place, identity, under, source };
          await writeCacheEntry(cacheDir, keyFile, JSON.stringify(entry), KEYS_PRUNE).catch(() => undefined);
        }
      }
      return { file, source };
    } finally {
      await handle.close();
    }
  } catch (error) {
    unreadable(location, file, error);
  }
}

/** A model file's tables for a scan: built once per process and shared by its scoring threads. */
export interface ScanModel {
  file: string;
  header: ModelHeader;
  tables: ModelTables;
}

/**
 * Binary tables kept (a model author's recent models); those used least recently are removed. They
 * are about 1.3 times the model file (the shipped model's about 25 MB): three of that size, and
 * small ones beside them (a test run trains a few models on some rows) up to the count, so a model
 * trained after the one in use no longer pushes it out for being newer.
 */
const TABLES_CACHE_PRUNE = { kind: /^model-[0-9a-f]+\.bin$/, keep: 16, bytes: 96 * 1024 * 1024 };

/**
 * Binaries this process read: one whose file is the one read (inode and size) and still starts
 * with the bytes read (magic, layout, header) is not read again. Reading the shipped model's (about
 * 27 MB) into fresh shared memory costs some 0.1 s of CPU, most of it the kernel's, paid by every
 * in-process scan after the first (the library's scanners, the test suite's some sixty scans). Not
 * the file's times: every read touches the file (above), and so do other processes' scans. A
 * rebuilt binary is a new file (written beside and renamed), and a damaged header fails the
 * comparison, so either is read again, as it was before. The tables are never written to once
 * read (threads share them), and their key is a hash of the model file's bytes.
 */
const readHere = new Map<string, { identity: string; tables: ModelTables }>();
const READ_HERE_KEPT = 2;

/** Whether `file` is the binary `kept` was read from: the same inode and size, and the same header bytes. */
async function unchanged(file: string, kept: { identity: string; tables: ModelTables }): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    if (binaryIdentity(await handle.stat()) !== kept.identity) return false;
    const { buffer, base } = kept.tables;
    const head = Buffer.alloc(base);
    const { bytesRead } = await handle.read(head, 0, base, 0);
    return bytesRead === base && head.equals(new Uint8Array(buffer, 0, base));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

const binaryIdentity = (status: Stats): string => `${status.dev}:${status.ino}:${status.size}`;

/**
 * A model file's tables (tables.ts). Building them from the JSON takes about a second and a few
 * hundred MB, so they are kept in the cache folder as a binary under a hash of the file's bytes,
 * lurescan's version and the tables' layout: a changed model, or another lurescan, misses, and a
 * damaged binary is rebuilt. The cache is an optimisation only: a folder it cannot read or write is
 * passed over. `cacheDir: undefined` turns it off. `cwd` is the working folder the file is shown relative to.
 */
export async function loadModelTables(location: string | undefined, cwd: string, cacheDir: string | undefined = CACHE_DIR): Promise<ScanModel> {
  const { file, source } = await tablesKey(location, cwd, cacheDir);
  const cacheFile = cacheDir !== undefined ? path.join(cacheDir, `model-${source}.bin`) : undefined;
  let tables: ModelTables | undefined;
  if (cacheFile !== undefined) {
    const known = readHere.get(cacheFile);
    const read = known !== undefined && (await unchanged(cacheFile, known)) ? known : await readTables(cacheFile, source);
    // Read, it is the newest again: pruning removes the oldest, so the model in use outlives the
    // models written after it (a test run's or an author's trained ones).
    if (read !== undefined) {
      await touchCacheEntry(cacheFile);
      tables = keepRecent(readHere, cacheFile, read, READ_HERE_KEPT).tables;
    }
  }
  if (tables === undefined) {
    // The model code (and the language detector and stemmer under it) is loaded only to build.
    const { loadScorer, ModelFormatError } = await import('../model/model.js');
    const { bytes } = await readModelBytes(location, cwd);
    // The file as read now: had it changed since it was hashed, its tables go under its new key.
    const actual = keyOf(tablesHash().update(bytes));
    let loaded: ReturnType<typeof loadScorer>;
    try {
      loaded = loadScorer(bytes.toString('utf8'));
    } catch (error) {
      if (error instanceof ModelFormatError) throw new LurescanError('MODEL_INVALID', `model ${file}: ${error.message}`);
      throw error;
    }
    tables = tablesOf(loaded.scorer, loaded.info, actual);
    if (cacheDir !== undefined)
      await writeCacheEntry(cacheDir, path.join(cacheDir, `model-${actual}.bin`), encodeTables(tables), TABLES_CACHE_PRUNE).catch(() => undefined);
  }
  const { documents, fingerprint, untrusted, info } = tables.header;
  return { file, header: { documents, fingerprint, ...(untrusted !== undefined ? { untrusted } : {}), info }, tables };
}

/** A cached binary read whole into shared memory, with its file's identity, or undefined when it is missing, stale or damaged. */
async function readTables(file: string, source: string): Promise<{ identity: string; tables: ModelTables } | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    const read = await readIntoShared(handle);
    if (read === undefined) return undefined;
    const tables = decodeTables(read.bytes.buffer as SharedArrayBuffer, source);
    return tables !== undefined ? { identity: binaryIdentity(read.status), tables } : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** What a run's summary says about a model: file, what it learned from, and whether it is used. */
export function modelSummary(file: string, header: Pick<ModelHeader, 'documents' | 'fingerprint' | 'untrusted' | 'info'>): ModelSummary {
  return {
    used: header.untrusted === undefined,
    ...(header.untrusted !== undefined ? { reason: header.untrusted } : {}),
    file,
    documents: Object.fromEntries(header.documents.map((n, c) => [MODEL_LABELS[c], n])),
    trainedOn: header.info.trainedOn,
    fingerprint: header.fingerprint,
  };
}
