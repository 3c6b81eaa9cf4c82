// `lurescan serve`: the scanner behind HTTP for review queues, so a service pays start-up once,
// not per posting. POST /v1/score takes one posting (JSON) and returns its verdict; POST /v1/batch
// takes a JSON array or JSONL and returns the records in order (JSONL when asked for it); GET
// /healthz says it is up and what it scores with; GET /metrics is Prometheus text. An optional
// bearer token guards all but /healthz. Request bodies and batches are bounded; shutdown stops
// accepting, lets requests in flight finish, then closes the scanner.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonLine } from '../report/writers.js';
import { isErrorRecord, LABELS, type OutputRecord } from '../types.js';
import type { PostingInput, Scanner } from './scanner.js';

export interface ServerOptions {
  host: string;
  /** 0 picks a free port (the returned `url` says which). */
  port: number;
  /** Bearer token every request but /healthz must carry; none when undefined. */
  token?: string;
  /** Largest request body, in bytes (413 past it). */
  maxBodyBytes: number;
  /** Most postings one batch may hold (413 past it). */
  maxBatch: number;
  /** Time a client has to send a whole request (408 past it). */
  requestTimeoutMs: number;
  version: string;
}

export interface RunningServer {
  url: string;
  /** Stop accepting, finish the requests in flight, then resolve (the scanner is the caller's to close). */
  close(): Promise<void>;
}

/** The endpoints, as `METHOD /path`: what is routed, named in a 404, and counted in the metrics. */
const ENDPOINTS = ['POST /v1/score', 'POST /v1/batch', 'GET /healthz', 'GET /metrics'] as const;

/** Upper bounds of the latency histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Metrics {
  readonly requests = new Map<string, number>();
  readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  readonly postings = { flagged: 0, clean: 0, error: 0 };
  readonly flagged: Record<string, number> = Object.fromEntries(LABELS.map((label) => [label, 0]));
  inFlight = 0;

  request(route: string, status: number, seconds: number): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let histogram = this.durations.get(route);
    if (!histogram) this.durations.set(route, (histogram = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((bound, k) => {
      if (seconds <= bound) histogram.buckets[k]!++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  record(record: OutputRecord): void {
    if (isErrorRecord(record)) this.postings.error++;
    else if (record.flagged) {
      this.postings.flagged++;
      for (const label of record.labels) this.flagged[label] = (this.flagged[label] ?? 0) + 1;
    } else this.postings.clean++;
  }

  text(scanner: Scanner, version: string): string {
    const lines: string[] = [];
    const quote = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    lines.push('# HELP lurescan_info What the service scores with.', '# TYPE lurescan_info gauge');
    lines.push(
      `lurescan_info{version="${quote(version)}",ruleset="${scanner.ruleset.fingerprint.slice(0, 12)}",model="${quote(scanner.model.used ? (scanner.model.file ?? 'yes') : 'none')}"} 1`,
    );
    lines.push('# HELP lurescan_requests_total HTTP requests by route and status.', '# TYPE lurescan_requests_total counter');
    for (const [key, n] of [...this.requests].sort()) {
      const [route, status] = key.split('\u0000');
      lines.push(`lurescan_requests_total{route="${route}",status="${status}"} ${n}`);
    }
    lines.push('# HELP lurescan_request_duration_seconds Time from a request to its response.', '# TYPE lurescan_request_duration_seconds histogram');
    for (const [route, h] of [...this.durations].sort()) {
      BUCKETS.forEach((bound, k) => {
        lines.push(`lurescan_request_duration_seconds_bucket{route="${route}",le="${bound}"} ${h.buckets[k]}`);
      });
      lines.push(`lurescan_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      lines.push(`lurescan_request_duration_seconds_sum{route="${route}"} ${h.sum.toFixed(6)}`);
      lines.push(`lurescan_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    lines.push('# HELP lurescan_postings_total Postings answered, by outcome.', '# TYPE lurescan_postings_total counter');
    for (const [outcome, n] of Object.entries(this.postings)) lines.push(`lurescan_postings_total{outcome="${outcome}"} ${n}`);
    lines.push('# HELP lurescan_flagged_total Postings flagged, by label.', '# TYPE lurescan_flagged_total counter');
    for (const [label, n] of Object.entries(this.flagged)) lines.push(`lurescan_flagged_total{label="${label}"} ${n}`);
    lines.push('# HELP lurescan_in_flight_requests Requests being answered now.', '# TYPE lurescan_in_flight_requests gauge');
    lines.push(`lurescan_in_flight_requests ${this.inFlight}`);
    return `${lines.join('\n')}\n`;
  }
}

/** A client's mistake, answered with its status and `{error: {code, message}}`. */
class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(response: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(body);
}

function sendError(response: ServerResponse, error: RequestError): void {
  if (error.status === 401) response.setHeader('www-authenticate', 'Bearer');
  send(response, error.status, `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
}

/** The request body as text, refused past `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new RequestError(413, 'BODY_TOO_LARGE', `the body is ${declared} bytes; the limit is ${limit} (--max-body)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RequestError(413, 'BODY_TOO_LARGE', `the body is over the ${limit}-byte limit (--max-body)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestError(400, 'JSON_SYNTAX', `${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A batch body's postings: a JSON array, or JSONL (one JSON object a line). A JSONL line that is
 * not JSON stays in its place as something the scanner answers with an error record, so the
 * response has one record for each posting sent.
 */
function batchPostings(text: string, contentType: string | undefined, maxBatch: number): PostingInput[] {
  const trimmed = text.replace(/^\ufeff/, '').trimStart();
  const jsonl = /ndjson|jsonl|json-seq/i.test(contentType ?? '') || (trimmed !== '' && !trimmed.startsWith('['));
  let postings: unknown[];
  if (!jsonl) {
    const value = parseJson(trimmed, 'the batch');
    if (!Array.isArray(value)) throw new RequestError(400, 'NOT_A_BATCH', 'a batch is a JSON array of postings, or JSONL');
    postings = value;
  } else {
    postings = [];
    for (const line of trimmed.split('\n')) {
      if (line.trim() === '') continue;
      try {
        postings.push(JSON.parse(line));
      } catch {
        postings.push(line);
      }
    }
  }
  if (postings.length > maxBatch)
    throw new RequestError(413, 'BATCH_TOO_LARGE', `the batch holds ${postings.length} postings; the limit is ${maxBatch} (--max-batch)`);
  return postings as PostingInput[];
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  // Compared as hashes: same length, constant time.
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

/** Start the service; resolves once it listens. */
export async function startServer(scanner: Scanner, options: ServerOptions): Promise<RunningServer> {
  const metrics = new Metrics();
  const handle = async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> => {
    const route = `${request.method} ${pathname}`;
    if (route === 'GET /healthz') {
      send(response, 200, `${JSON.stringify({ status: 'ok', version: options.version, ruleset: scanner.ruleset, model: scanner.model })}\n`);
      return;
    }
    if (!(ENDPOINTS as readonly string[]).includes(route)) {
      const path = ENDPOINTS.find((r) => r.endsWith(` ${pathname}`));
      if (path) throw new RequestError(405, 'METHOD_NOT_ALLOWED', `${pathname} takes ${path.split(' ')[0]}`);
      throw new RequestError(404, 'NOT_FOUND', `no such endpoint: ${pathname} (endpoints: ${ENDPOINTS.join(', ')})`);
    }
    if (options.token !== undefined && !tokenMatches(request.headers.authorization, options.token)) {
      throw new RequestError(401, 'UNAUTHORIZED', 'this service needs `Authorization: Bearer <token>`');
    }
    if (route === 'GET /metrics') {
      send(response, 200, metrics.text(scanner, options.version), 'text/plain; version=0.0.4; charset=utf-8');
      return;
    }
    const body = await readBody(request, options.maxBodyBytes);
    if (route === 'POST /v1/score') {
      const posting = parseJson(body, 'the posting');
      const record = await scanner.score(posting as PostingInput);
      metrics.record(record);
      send(response, 200, `${JSON.stringify(record)}\n`);
      return;
    }
    const postings = batchPostings(body, request.headers['content-type'], options.maxBatch);
    const records: OutputRecord[] = [];
    for await (const record of scanner.scan(postings)) {
      metrics.record(record);
      records.push(record);
    }
    if (/ndjson|jsonl/i.test(request.headers.accept ?? '')) {
      send(response, 200, records.map((record) => `${jsonLine(record)}\n`).join(''), 'application/x-ndjson; charset=utf-8');
    } else send(response, 200, `${JSON.stringify(records)}\n`);
  };

  // Responses not yet answered. At shutdown each is told to close its connection once answered:
  // otherwise the client's keep-alive connection would sit idle, and hold the stop, for
  // keepAliveTimeout after the last answer.
  const unanswered = new Set<ServerResponse>();
  let closing = false;
  const server: Server = createServer((request, response) => {
    const started = process.hrtime.bigint();
    metrics.inFlight++;
    unanswered.add(response);
    if (closing) response.setHeader('connection', 'close');
    const { pathname } = new URL(request.url ?? '/', 'http://service');
    // Counted by endpoint (a wrong method on one too); anything else as `other`, so metrics stay bounded.
    const route = ENDPOINTS.some((r) => r.endsWith(` ${pathname}`)) ? `${request.method} ${pathname}` : 'other';
    handle(request, response, pathname)
      .catch((error: unknown) => {
        if (error instanceof RequestError) sendError(response, error);
        else if (!response.headersSent) sendError(response, new RequestError(500, 'INTERNAL', (error as Error)?.message ?? String(error)));
        else response.destroy();
      })
      .finally(() => {
        unanswered.delete(response);
        metrics.inFlight--;
        metrics.request(route, response.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      });
  });
  server.requestTimeout = options.requestTimeoutMs;
  server.headersTimeout = Math.min(options.requestTimeoutMs, 60_000);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Idle keep-alive connections are closed now; a request in flight is answered first, and
        // its connection closed after the answer.
        closing = true;
        for (const response of unanswered) if (!response.headersSent) response.setHeader('connection', 'close');
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
