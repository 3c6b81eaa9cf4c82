// Response bodies: read with a size cap (before and after decompression, so a small gzip bomb
// cannot fill memory) and unpacked from gzip, deflate or brotli.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { formatBytes } from '../../format-bytes.js';
import { FetchFailure } from './failure.js';

/** Response headers as undici gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/** A header's value, a repeated header's values joined. */
export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

type Decompress = (buffer: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Buffer>;

const gunzip = promisify(zlib.gunzip) as Decompress;
const inflate = promisify(zlib.inflate) as Decompress;
const inflateRaw = promisify(zlib.inflateRaw) as Decompress;
const brotli = promisify(zlib.brotliDecompress) as Decompress;

export const ACCEPT_ENCODING = 'gzip, deflate, br';

const tooLarge = (url: string, limit: number, what: string): FetchFailure =>
  new FetchFailure('FETCH_TOO_LARGE', `${url}: the body is larger than the ${formatBytes(limit)} limit${what} (raise it with --max-body)`);

/**
 * All of a body, or a FETCH_TOO_LARGE failure once it passes `limit` bytes. With `truncate`, the
 * first `limit` bytes are kept instead (robots.txt: RFC 9309 lets a crawler ignore what follows).
 */
export async function readLimited(body: AsyncIterable<Buffer | Uint8Array>, limit: number, url: string, truncate = false): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (size + buffer.length > limit) {
      if (!truncate) throw tooLarge(url, limit, '');
      chunks.push(buffer.subarray(0, limit - size));
      size = limit;
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return Buffer.concat(chunks, size);
}

async function decodeOne(buffer: Buffer, coding: string, limit: number, url: string): Promise<Buffer> {
  const options = { maxOutputLength: limit };
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return await gunzip(buffer, options);
    if (coding === 'br') return await brotli(buffer, options);
    if (coding === 'deflate') {
      // "deflate" should be zlib-wrapped, but some servers send raw deflate.
      try {
        return await inflate(buffer, options);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw error;
        return await inflateRaw(buffer, options);
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, limit, ' once decompressed');
    throw new FetchFailure('FETCH_DECODE', `${url}: the ${coding} body is damaged (${(error as Error).message})`);
  }
  throw new FetchFailure('FETCH_DECODE', `${url}: the body is compressed with \`${coding}\`, which lurescan cannot unpack (it reads gzip, deflate and br)`);
}

/** Undo a Content-Encoding list (applied in order, so undone in reverse). */
export async function decompress(buffer: Buffer, contentEncoding: string | undefined, limit: number, url: string): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let out = buffer;
  for (const coding of codings.reverse()) out = await decodeOne(out, coding, limit, url);
  return out;
}
