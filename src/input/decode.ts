// Bytes to text: gzip, byte-order marks, UTF-16, binary sniffing and invalid UTF-8 detection.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { decodeWindows1252, guessLegacyEncoding, looksLegacy } from './charset.js';
import { LurescanError } from '../types.js';
import { formatBytes } from '../format-bytes.js';
import { MAX_GZIP_RATIO, RATIO_FLOOR_BYTES } from './records.js';

const SNIFF_BYTES = 8192;

/**
 * Files lurescan does not read, by extension, with the one line that reads them. FILE and FORMAT
 * stand for the file and the format its name implies; input/index.ts fills them in.
 */
export const PACKED_ADVICE: Readonly<Record<string, string>> = {
  '.zst': 'zstd-compressed, which lurescan does not unpack: `zstd -dc FILE | lurescan scan - --input-format FORMAT` reads it',
  '.bz2': 'bzip2-compressed, which lurescan does not unpack: `bzip2 -dc FILE | lurescan scan - --input-format FORMAT` reads it',
  '.xz': 'xz-compressed, which lurescan does not unpack: `xz -dc FILE | lurescan scan - --input-format FORMAT` reads it',
  '.parquet': "a Parquet file, not text: export it to JSONL first, e.g. `duckdb -c \"COPY (FROM 'FILE') TO 'FILE.jsonl' (FORMAT json)\"`, and scan that",
};

const MAGIC: [string, number[]][] = [
  [
    'a ZIP archive (an .xlsx spreadsheet or .docx document?), not text: save the sheet as CSV (UTF-8) or the document as .txt and scan that',
    [0x50, 0x4b, 0x03, 0x04],
  ],
  ['a legacy Office file (.xls or .doc?), not text: save the sheet as CSV (UTF-8) or the document as .txt and scan that', [0xd0, 0xcf, 0x11, 0xe0]],
  ['a PDF document, not text: copy its text into a .txt file and scan that', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a PNG image, not CSV, JSON, HTML or text', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image, not CSV, JSON, HTML or text', [0xff, 0xd8, 0xff]],
  ['a GIF image, not CSV, JSON, HTML or text', [0x47, 0x49, 0x46, 0x38]],
  ['a 7-zip archive, not CSV, JSON, HTML or text', [0x37, 0x7a, 0xbc, 0xaf]],
  // Compressed text lurescan does not unpack (gzip it does), and Parquet: the one-line way in names the tool.
  [PACKED_ADVICE['.zst']!, [0x28, 0xb5, 0x2f, 0xfd]],
  [PACKED_ADVICE['.bz2']!, [0x42, 0x5a, 0x68]],
  [PACKED_ADVICE['.xz']!, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  [PACKED_ADVICE['.parquet']!, [0x50, 0x41, 0x52, 0x31]],
];

function startsWith(buffer: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buffer[i] === b);
}

/** Why a first chunk is not text, or undefined when it looks like text. */
export function binaryReason(head: Buffer): string | undefined {
  for (const [what, bytes] of MAGIC) if (startsWith(head, bytes)) return `it is ${what}`;
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return undefined;
  const sample = head.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const byte of sample) if (byte === 0 || (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12 && byte !== 27)) control++;
  if (sample.length > 0 && control / sample.length > 0.1) {
    const share = Math.round((100 * control) / sample.length);
    return `${share}% of its first ${sample.length} bytes are NUL or control bytes: it looks binary, not CSV, JSON, HTML or text`;
  }
  return undefined;
}

export interface DecodeState {
  /** Set once an invalid UTF-8 sequence has been replaced with U+FFFD. */
  invalidUtf8: boolean;
  /** The legacy encoding the text was guessed to be in (its first bytes were not UTF-8), if any. */
  guessed?: string;
  /** Set once a NUL byte has been seen in text. */
  nul: boolean;
}

function countReplacementBytes(buffer: Buffer): number {
  let count = 0;
  let at = buffer.indexOf('\ufffd', 0, 'utf8');
  while (at >= 0) {
    count++;
    at = buffer.indexOf('\ufffd', at + 3, 'utf8');
  }
  return count;
}

function countReplacementChars(text: string): number {
  let count = 0;
  let at = text.indexOf('\ufffd');
  while (at >= 0) {
    count++;
    at = text.indexOf('\ufffd', at + 1);
  }
  return count;
}

/**
 * The bytes of a stream, unpacked when they start with the gzip magic; `first` is the first chunk
 * (undefined for an empty stream), so callers can sniff the content without reading it twice.
 * Unpacking stops with GZIP_RATIO once the output passes `RATIO_FLOOR_BYTES` and `maxRatio` times
 * the packed bytes read so far: a decompression bomb is refused after a few seconds, not 4 GB later.
 */
export async function gunzipIfPacked(
  input: AsyncIterable<Buffer | string>,
  maxRatio: number = MAX_GZIP_RATIO,
): Promise<{ first?: Buffer; chunks: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const head = await iterator.next();
  const toBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  if (head.done) return { chunks: Readable.from([]) };
  const firstChunk = toBuffer(head.value);
  let packedBytes = 0;
  const chunks = async function* (): AsyncGenerator<Buffer> {
    packedBytes += firstChunk.length;
    yield firstChunk;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = toBuffer(next.value);
      packedBytes += chunk.length;
      yield chunk;
    }
  };
  if (firstChunk[0] !== 0x1f || firstChunk[1] !== 0x8b) return { first: firstChunk, chunks: chunks() };
  const gunzip = createGunzip();
  const packed = Readable.from(chunks());
  packed.on('error', (error) => gunzip.destroy(error));
  packed.pipe(gunzip);
  const guarded = async function* (): AsyncGenerator<Buffer> {
    let unpackedBytes = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      unpackedBytes += chunk.length;
      if (unpackedBytes > RATIO_FLOOR_BYTES && unpackedBytes > maxRatio * packedBytes) {
        packed.destroy();
        gunzip.destroy();
        throw new LurescanError(
          'GZIP_RATIO',
          `it unpacks to more than ${maxRatio} times its packed size (${formatBytes(unpackedBytes)} from ${formatBytes(packedBytes)} so far), as a decompression bomb does; text packs 3 to 15 times. If the data is real, raise the limit with --max-ratio`,
        );
      }
      yield chunk;
    }
  };
  return gunzipIfPacked(guarded(), maxRatio);
}

/**
 * Decode a byte stream to text chunks. Gzip is unpacked when the bytes say so; a UTF-16 BOM selects
 * UTF-16; binary content is refused with a LurescanError whose message says what the file seems to be.
 */
export async function* decodeText(
  input: AsyncIterable<Buffer | string>,
  state: DecodeState,
  declared?: string,
  maxRatio: number = MAX_GZIP_RATIO,
): AsyncGenerator<string> {
  const { first: firstChunk, chunks } = await gunzipIfPacked(input, maxRatio);
  if (firstChunk === undefined) return;
  const reason = binaryReason(firstChunk);
  if (reason) throw new LurescanError('BINARY_FILE', reason);
  let encoding = startsWith(firstChunk, [0xff, 0xfe]) ? 'utf-16le' : startsWith(firstChunk, [0xfe, 0xff]) ? 'utf-16be' : (declared ?? 'utf-8');
  if (encoding === 'utf-8' && declared === undefined && looksLegacy(firstChunk)) {
    encoding = guessLegacyEncoding(firstChunk);
    state.guessed = encoding;
  }
  // Node reads the windows-1252 label as ISO-8859-1 (curly quotes and dashes become C1 controls); a single-byte table decodes it right.
  const decoder =
    encoding === 'windows-1252'
      ? { decode: (chunk?: Uint8Array, _options?: { stream?: boolean }): string => (chunk ? decodeWindows1252(chunk) : '') }
      : new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (encoding === 'utf-8' && !state.invalidUtf8 && countReplacementChars(text) > countReplacementBytes(chunk)) {
      state.invalidUtf8 = true;
    }
    if (!state.nul && text.includes('\u0000')) state.nul = true;
    if (text !== '') yield text;
  }
  const tail = decoder.decode();
  if (encoding === 'utf-8' && tail.includes('\ufffd')) state.invalidUtf8 = true;
  if (tail !== '') yield tail;
}
