// A loopback HTTP server for the fetch tests: structured and plain pages, redirects and loops,
// errors, flaky and rate-limited routes, slow and oversized responses, binary bodies, odd charsets,
// compression and cache validators. It counts requests per path and tracks concurrency.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

const pages = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
export const page = (name: string): Buffer => readFileSync(path.join(pages, name));

export interface TestServer {
  base: string;
  /** Requests seen per path (with query). */
  hits: Map<string, number>;
  /** Request headers per path, latest last. */
  headers: Map<string, IncomingMessage['headers'][]>;
  /** Arrival times per path, ms. */
  times: Map<string, number[]>;
  /** Most requests in flight at once on /busy/*. */
  maxBusy: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void | Promise<void>;

const html =
  (body: string | Buffer, type = 'text/html; charset=utf-8') =>
  (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  };

const PLAIN =
  '<!doctype html><html><head><title>Data Entry Clerk | Board</title></head><body><nav>Home · Jobs</nav><main><h1>Data Entry Clerk</h1><p>Work in Sihanoukville, free flight and visa, contact HR on Telegram @hr_x. Leave this week.</p></main><footer>© board</footer></body></html>';

export async function startServer(robots = 'User-agent: *\nDisallow: /private/\n'): Promise<TestServer> {
  const server: TestServer = { base: '', hits: new Map(), headers: new Map(), times: new Map(), maxBusy: 0, close: async () => {} };
  let busy = 0;
  const routes: Record<string, Handler> = {
    '/robots.txt': (_req, res) => {
      if (robots === '503') {
        res.writeHead(503);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(robots);
    },
    '/job.html': (_req, res) => html(page('forced-criminality-jsonld-graph-kk-typist.html'))(res),
    '/plain.html': (_req, res) => html(PLAIN)(res),
    '/listing.html': (_req, res) => html(page('mixed-listing-jsonld-itemlist.html'))(res),
    '/s/channel': (_req, res) => html(page('mixed-telegram-channel-preview.html'))(res),
    '/private/secret.html': (_req, res) => html(PLAIN)(res),
    '/gzip.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(gzipSync(PLAIN));
    },
    '/br.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' });
      res.end(brotliCompressSync(PLAIN));
    },
    '/deflate.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' });
      res.end(deflateSync(PLAIN));
    },
    '/redirect/1': (_req, res) => {
      res.writeHead(302, { location: '/redirect/2' });
      res.end();
    },
    '/redirect/2': (_req, res) => {
      res.writeHead(301, { location: `${server.base}/plain.html` });
      res.end();
    },
    '/loop/a': (_req, res) => {
      res.writeHead(302, { location: '/loop/b' });
      res.end();
    },
    '/loop/b': (_req, res) => {
      res.writeHead(307, { location: '/loop/a' });
      res.end();
    },
    '/missing': (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not found</h1>');
    },
    '/flaky': (_req, res, count) => {
      if (count === 1) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('try again');
        return;
      }
      html(PLAIN)(res);
    },
    '/drop': (_req, res, count) => {
      if (count === 1) {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '5000' });
        res.write('<html><body>cut');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      html(PLAIN)(res);
    },
    '/always-503': (_req, res) => {
      res.writeHead(503);
      res.end();
    },
    '/rate': (_req, res, count) => {
      if (count === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        res.end();
        return;
      }
      html(PLAIN)(res);
    },
    '/slow-headers': async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 4000));
      if (!res.destroyed) html(PLAIN)(res);
    },
    '/slow-body': async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>Typist wanted');
      for (let i = 0; i < 40 && !res.destroyed; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (!res.destroyed) res.write(' more');
      }
      if (!res.destroyed) res.end('</p></body></html>');
    },
    '/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < 12 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    },
    '/huge-declared': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
      res.write('<html>');
      setTimeout(() => res.destroy(), 200);
    },
    '/gzip-bomb': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(20 * 1024 * 1024, ' ')));
    },
    '/binary': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    },
    '/binary-as-html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    },
    '/bad-charset': (_req, res) =>
      html('<html><head><title>Typist</title></head><body><p>Free visa, Poipet, Telegram @x</p></body></html>', 'text/html; charset=x-klingon')(res),
    '/gbk': (_req, res) => html(page('forced-criminality-gbk-xigang.html'), 'text/html; charset=GBK')(res),
    '/gbk-no-header-charset': (_req, res) => html(page('forced-criminality-gbk-xigang.html'), 'text/html')(res),
    '/mislabelled': (_req, res) => html(page('legit-windows-1252-recepcionista-cancun.html'), 'text/html; charset=utf-8')(res),
    '/ld.json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/ld+json' });
      res.end(
        JSON.stringify({
          '@context': 'https://schema.org',
          '@type': 'JobPosting',
          title: 'Chat agent',
          description: '<p>Work in Myawaddy, free flight, Telegram HR</p>',
          jobLocation: { '@type': 'Place', address: 'Myawaddy' },
        }),
      );
    },
    '/api.json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jobs: [
            { id: 'A-1', title: 'Typist', description: 'Sihanoukville, free visa' },
            { id: 'A-2', title: 'Nurse', description: 'Manila hospital' },
          ],
        }),
      );
    },
    '/ad.txt': (_req, res) => html('Typist wanted\nFree flight to Bangkok, then car to Myawaddy. Telegram @hr.\n', 'text/plain; charset=utf-8')(res),
    '/etag': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html', etag: '"v1"' });
      res.end(PLAIN);
    },
    '/max-age': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=3600' });
      res.end(PLAIN);
    },
    '/empty': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end();
    },
  };
  const http = createServer(async (req, res) => {
    const url = req.url ?? '/';
    const count = (server.hits.get(url) ?? 0) + 1;
    server.hits.set(url, count);
    server.headers.set(url, [...(server.headers.get(url) ?? []), req.headers]);
    server.times.set(url, [...(server.times.get(url) ?? []), Date.now()]);
    if (url.startsWith('/chain/')) {
      const n = Number(url.slice('/chain/'.length));
      res.writeHead(302, { location: `/chain/${n + 1}` });
      res.end();
      return;
    }
    if (url.startsWith('/busy/')) {
      busy++;
      server.maxBusy = Math.max(server.maxBusy, busy);
      await new Promise((resolve) => setTimeout(resolve, 150));
      busy--;
      html(PLAIN)(res);
      return;
    }
    const route = routes[url];
    if (!route) {
      res.writeHead(404);
      res.end();
      return;
    }
    await route(req, res, count);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  server.close = () =>
    new Promise((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return server;
}
