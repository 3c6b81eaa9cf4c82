// The on-disk HTTP cache (--cache <dir>): successful responses stored by URL with their validators,
// served without a request while fresh and revalidated with If-None-Match / If-Modified-Since after,
// so a re-run does not download pages again. One body file and one JSON file per URL.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface CachedResponse {
  url: string;
  /** The response headers that matter for reuse: content-type, etag, last-modified, cache-control, expires, date. */
  headers: Record<string, string>;
  /** When the response was stored or last revalidated (ms since the epoch). */
  storedAt: number;
  /** The body, already decompressed. */
  body: Buffer;
}

const KEPT_HEADERS = ['content-type', 'etag', 'last-modified', 'cache-control', 'expires', 'date'];
const DAY_MS = 24 * 60 * 60 * 1000;

function directive(cacheControl: string | undefined, name: string): string | true | undefined {
  for (const part of (cacheControl ?? '').split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key?.toLowerCase() === name) return value === undefined ? true : value.replace(/^"|"$/g, '');
  }
  return undefined;
}

/** Whether a response may be stored at all (RFC 9111: not with no-store). */
export function storable(headers: Record<string, string>): boolean {
  return directive(headers['cache-control'], 'no-store') === undefined;
}

/**
 * Until when a stored response may be used without asking the server (RFC 9111 freshness): its
 * max-age or Expires; else 10% of its age since Last-Modified (at most a day); else, when it has an
 * ETag, not at all (a revalidation is cheap); else a day, since it cannot be revalidated.
 */
export function freshUntil(entry: Pick<CachedResponse, 'headers' | 'storedAt'>): number {
  const { headers, storedAt } = entry;
  const cacheControl = headers['cache-control'];
  if (directive(cacheControl, 'no-cache') !== undefined) return storedAt;
  const maxAge = directive(cacheControl, 'max-age');
  if (typeof maxAge === 'string' && /^\d+$/.test(maxAge)) return storedAt + Number(maxAge) * 1000;
  const date = Date.parse(headers.date ?? '') || storedAt;
  if (headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    return Number.isNaN(expires) ? storedAt : storedAt + Math.max(0, expires - date);
  }
  const lastModified = Date.parse(headers['last-modified'] ?? '');
  if (!Number.isNaN(lastModified)) return storedAt + Math.min(DAY_MS, Math.max(0, (date - lastModified) / 10));
  if (headers.etag !== undefined) return storedAt;
  return storedAt + DAY_MS;
}

/** The conditional-request headers that revalidate a stored response. */
export function validators(entry: CachedResponse): Record<string, string> {
  return {
    ...(entry.headers.etag ? { 'if-none-match': entry.headers.etag } : {}),
    ...(entry.headers['last-modified'] ? { 'if-modified-since': entry.headers['last-modified'] } : {}),
  };
}

/** The headers worth storing, from a response's headers. */
export function keptHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/** Write beside the target and rename into place, so readers never see half a file. */
async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}

export class DiskCache {
  constructor(private readonly dir: string) {}

  private paths(url: string): { meta: string; body: string } {
    const key = createHash('sha256').update(url).digest('hex');
    const base = path.join(this.dir, key.slice(0, 2), key);
    return { meta: `${base}.json`, body: `${base}.body` };
  }

  /** The stored response for a URL, or undefined (a damaged entry counts as none). */
  async get(url: string): Promise<CachedResponse | undefined> {
    const files = this.paths(url);
    try {
      const meta = JSON.parse(await readFile(files.meta, 'utf8')) as Omit<CachedResponse, 'body'>;
      if (meta.url !== url) return undefined;
      return { ...meta, body: await readFile(files.body) };
    } catch {
      return undefined;
    }
  }

  /** Store a response; the body goes first and the metadata last, so a half-written entry is never read. */
  async put(entry: CachedResponse): Promise<void> {
    const files = this.paths(entry.url);
    await mkdir(path.dirname(files.meta), { recursive: true });
    await writeAtomic(files.body, entry.body);
    const { body: _body, ...meta } = entry;
    await writeAtomic(files.meta, JSON.stringify(meta));
  }

  /** After a 304: the stored body stays, its headers and age are renewed. */
  async refresh(entry: CachedResponse, headers: Record<string, string | string[] | undefined>): Promise<CachedResponse> {
    const renewed = { ...entry, headers: { ...entry.headers, ...keptHeaders(headers) }, storedAt: Date.now() };
    const { body: _body, ...meta } = renewed;
    await writeAtomic(this.paths(entry.url).meta, JSON.stringify(meta));
    return renewed;
  }
}
