// `lurescan serve`, through the real binary on 127.0.0.1: the endpoints, the token, the limits,
// and a shutdown that answers the request in flight before it stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runMain, tempDir, writeInput } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'test-token-0123456789abcdef';

interface Service {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** `lurescan serve` with `args` as a process, its stderr gathered as it comes. */
function spawnServe(args: string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [path.join(root, 'bin/lurescan.js'), 'serve', ...args], {
    cwd: root,
    env: { ...process.env, LURESCAN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return { child, stderr: () => err };
}

/** Start `lurescan serve --port 0` and wait for the line that names its address. */
async function serve(args: string[]): Promise<Service> {
  const { child, stderr } = spawnServe(['--port', '0', ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', () => {
      const match = /serving on (http:\/\/[^ ]+)/.exec(stderr());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr()}`)));
  });
  return { child, url, stderr };
}

/** Run `lurescan serve` with `args` until it exits: its exit code and stderr. */
async function serveExit(args: string[]): Promise<{ code: number; stderr: string }> {
  const { child, stderr } = spawnServe(args);
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stderr: stderr() };
}

const lure = {
  id: 'ad-1',
  title: 'Customer service, Sihanoukville',
  description: 'Free flight and visa, salary $1,800, no experience, contact Telegram @hr_kh only',
};
const nurse = {
  id: 'ad-2',
  title: 'Staff nurse',
  description: 'Ward nurse for the medical unit of a city hospital, day shifts, apply with your licence at the HR office.',
};

describe('serve', () => {
  let service: Service;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    const tokenFile = writeInput(tempDir('lurescan-serve-'), 'token', `${TOKEN}\n`);
    service = await serve(['-j', '1', '--token-file', tokenFile, '--max-body', '2KB', '--max-batch', '3']);
  });
  afterAll(() => {
    service.child.kill('SIGKILL');
  });

  it('binary: scores one posting and a batch in order, JSON or JSONL, with one record a posting', async () => {
    const one = await fetch(`${service.url}/v1/score`, { method: 'POST', headers: auth, body: JSON.stringify(lure) });
    expect(one.status).toBe(200);
    const verdict = (await one.json()) as { id: string; flagged: boolean; labels: string[] };
    expect(verdict).toMatchObject({ id: 'ad-1', flagged: true, labels: ['forced-criminality'] });

    const batch = await fetch(`${service.url}/v1/batch`, { method: 'POST', headers: auth, body: JSON.stringify([lure, nurse]) });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as Array<{ id: string }>).map((r) => r.id)).toEqual(['ad-1', 'ad-2']);

    const jsonl = await fetch(`${service.url}/v1/batch`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson', accept: 'application/x-ndjson' },
      body: `${JSON.stringify(lure)}\nnot json\n${JSON.stringify({ fields: { title: 'Typist' } })}\n`,
    });
    expect(jsonl.headers.get('content-type')).toMatch(/ndjson/);
    const lines = jsonLines<{ id: string; error?: { code: string } }>(await jsonl.text());
    expect(lines.map((r) => r.id)).toEqual(['ad-1', 'posting:2', 'posting:3']);
    expect(lines[1]!.error?.code).toBe('NOT_A_POSTING');
  });

  it('binary: asks for the token on all but /healthz, and names its limits', async () => {
    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', model: { used: true } });
    const denied = await fetch(`${service.url}/v1/score`, { method: 'POST', body: JSON.stringify(lure) });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    const big = await fetch(`${service.url}/v1/score`, { method: 'POST', headers: auth, body: JSON.stringify({ description: 'x'.repeat(4000) }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
    const many = await fetch(`${service.url}/v1/batch`, { method: 'POST', headers: auth, body: JSON.stringify([nurse, nurse, nurse, nurse]) });
    expect(many.status).toBe(413);
    const bad = await fetch(`${service.url}/v1/score`, { method: 'POST', headers: auth, body: '{"title": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('JSON_SYNTAX');
    expect((await fetch(`${service.url}/v1/score`, { headers: auth })).status).toBe(405);
    expect((await fetch(`${service.url}/v2/score`, { headers: auth })).status).toBe(404);
  });

  it('binary: counts requests and postings in Prometheus text', async () => {
    const metrics = await (await fetch(`${service.url}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/^lurescan_requests_total\{route="POST \/v1\/score",status="200"\} [1-9]/m);
    expect(metrics).toMatch(/^lurescan_requests_total\{route="POST \/v1\/score",status="401"\} [1-9]/m);
    expect(metrics).toMatch(/^lurescan_flagged_total\{label="forced-criminality"\} [1-9]/m);
    expect(metrics).toMatch(/^lurescan_request_duration_seconds_count\{route="POST \/v1\/batch"\} [1-9]/m);
  });

  it('binary: on SIGTERM answers the request in flight, then exits 0', async () => {
    const own = await serve(['-j', '1']);
    // A batch big enough to be in flight when the signal comes.
    const postings = Array.from({ length: 400 }, (_, k) => ({ ...lure, id: `ad-${k}` }));
    const answer = fetch(`${own.url}/v1/batch`, { method: 'POST', body: JSON.stringify(postings) });
    // Listened for before the signal: the server may stop and exit while the answer is being read,
    // and an exit event already past is never seen by a listener added after it.
    const exited = once(own.child, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 150));
    own.child.kill('SIGTERM');
    const response = await answer;
    expect(response.status).toBe(200);
    // The answer closes its connection, so the stop does not wait for the keep-alive time-out.
    expect(response.headers.get('connection')).toBe('close');
    expect(((await response.json()) as unknown[]).length).toBe(400);
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
    expect(own.stderr()).toContain('finishing the requests in flight');
    await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
  });

  it('binary: with --redact, answers with keyed hashes, the same as scan --redact gives', async () => {
    const key = writeInput(tempDir('lurescan-serve-'), 'redact.key', 'serve-redaction-key-0001\n');
    const redacting = await serve(['--no-model', '-j', '0', '--redact-key-file', key]);
    try {
      const response = await fetch(`${redacting.url}/v1/score`, { method: 'POST', body: JSON.stringify(lure) });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain('hr_kh');
      const verdict = JSON.parse(text) as { contacts: Array<{ key: string }> };
      const scanned = await runMain(['scan', '-', '--format', 'jsonl', '--no-model', '--jobs', '0', '--redact-key-file', key], { input: JSON.stringify(lure) });
      const fromScan = JSON.parse(scanned.stdout) as { contacts: Array<{ key: string }> };
      expect(verdict.contacts.map((c) => c.key)).toEqual(fromScan.contacts.map((c) => c.key));
      expect(verdict.contacts[0]!.key).toMatch(/^handle:h:[0-9a-f]{32}$/);
    } finally {
      redacting.child.kill('SIGKILL');
    }
  });

  it('binary: refuses a short token and a port in use, with exit 2', async () => {
    const short = writeInput(tempDir('lurescan-serve-'), 'token', 'short\n');
    const refused = await serveExit(['--port', '0', '--token-file', short]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/shorter than 16 characters/);
    const busy = await serveExit(['--port', new URL(service.url).port, '--no-model', '-j', '0']);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/EADDRINUSE/);
  });
});
