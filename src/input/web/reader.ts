// URLs to reader items. Fetches run ahead of the reader (bounded by the client's limits) while
// records come out in input order; every URL yields postings or one error record, never a throw.
import { bodyItems } from '../formats/body.js';
import { binaryReason } from '../decode.js';
import type { ReadItem } from '../../types.js';
import { errorItem } from '../records.js';
import { FetchClient } from './client.js';
import { FetchFailure } from './failure.js';
import type { FetchOptions } from './options.js';

function urlError(url: string, code: string, message: string): ReadItem {
  return errorItem(url, { url }, code, message);
}

/** The postings of one URL, or an error record naming the URL and the cause. */
export async function urlItems(client: FetchClient, url: string): Promise<ReadItem[]> {
  try {
    const page = await client.fetchPage(url);
    const reason = binaryReason(page.body);
    if (reason) {
      const served = page.contentType ? ` though served as \`${page.contentType.split(';')[0]!.trim()}\`` : '';
      return [urlError(url, 'FETCH_CONTENT_TYPE', `${url}: the body is not text${served}: ${reason.replace(/, not CSV, JSON, HTML or text$/, '')}`)];
    }
    if (page.body.length === 0) return [urlError(url, 'NO_POSTINGS', `${url}: the server sent an empty body`)];
    return await bodyItems(
      page.body,
      { name: url, source: { url }, base: page.finalUrl },
      { ...(page.contentType ? { contentType: page.contentType } : {}), genericJson: true },
    );
  } catch (error) {
    if (error instanceof FetchFailure) return [urlError(url, error.code, error.message)];
    return [urlError(url, 'FETCH_FAILED', `${url}: ${(error as Error)?.message ?? String(error)}`)];
  }
}

/** Hands out the items of each URL in order, keeping up to `ahead` fetches started beyond the one asked for. */
export class UrlReader {
  private readonly client: FetchClient;
  /** Fetches started and not yet handed out, in input order. */
  private readonly pending: Promise<ReadItem[]>[] = [];
  private nextToStart = 0;
  private readonly ahead: number;

  constructor(
    private readonly urls: readonly string[],
    options: FetchOptions,
    warn?: (message: string) => void,
  ) {
    this.client = new FetchClient(options, warn);
    this.ahead = Math.max(4, options.concurrency * 4);
    this.fill();
  }

  private fill(): void {
    while (this.nextToStart < this.urls.length && this.pending.length < this.ahead) {
      this.pending.push(urlItems(this.client, this.urls[this.nextToStart++]!));
    }
  }

  /** The items of the next URL in input order. */
  async next(): Promise<ReadItem[]> {
    const items = this.pending.shift();
    if (!items) throw new Error('UrlReader.next called past the last URL');
    this.fill();
    return items;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
