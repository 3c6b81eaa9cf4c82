#!/usr/bin/env node
// npm run bench:serve: `lurescan serve` under load from autocannon (a real HTTP load tool), on this
// machine's loopback. Latency of one posting (POST /v1/score) with one client and with several,
// and throughput of batches (POST /v1/batch, 100 postings each) in postings per second. The
// postings cycle through the shipped fixtures (lures, scams and ordinary ads). Usage:
//   node scripts/bench-serve.mjs [--seconds 10] [--jobs N] [--json]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Papa from 'papaparse';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const seconds = Number(flag('--seconds', '10'));
const jobs = flag('--jobs', undefined);
const asJson = args.includes('--json');

/** Postings from the fixtures' CSV and JSONL files, as the service takes them. */
function fixturePostings() {
  const dir = path.join(root, 'fixtures/postings');
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (name.endsWith('.csv')) {
      for (const row of Papa.parse(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data) {
        const { label: _label, ...fields } = row;
        out.push(fields);
      }
    } else if (name.endsWith('.jsonl')) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const { label: _label, meta: _meta, ...fields } = JSON.parse(line);
        out.push(fields);
      }
    }
  }
  return out;
}

async function start() {
  const child = spawn(process.execPath, [path.join(root, 'bin/lurescan.js'), 'serve', '--port', '0', ...(jobs !== undefined ? ['-j', jobs] : [])], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const match = /serving on (http:\/\/[^ ]+)/.exec(err);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, url };
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const postings = fixturePostings();
const { child, url } = await start();
const bodies = postings.map((p) => JSON.stringify(p));
let next = 0;
const oneEach = (client) => {
  client.setBody(bodies[next++ % bodies.length]);
};
const batches = [];
for (let k = 0; k + 100 <= Math.max(postings.length, 100) * 4; k += 100) {
  batches.push(JSON.stringify(Array.from({ length: 100 }, (_, j) => postings[(k + j) % postings.length])));
}
let nextBatch = 0;

// Warm: threads started, regexes compiled, before anything is timed.
await run({ url: `${url}/v1/batch`, method: 'POST', body: batches[0], connections: 2, amount: 20 });

const results = [];
for (const connections of [1, 8]) {
  const result = await run({
    url: `${url}/v1/score`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
    setupClient: (client) => {
      client.on('response', () => oneEach(client));
      oneEach(client);
    },
  });
  results.push({
    endpoint: 'POST /v1/score',
    connections,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    postingsPerSecond: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
  });
}
const batchResult = await run({
  url: `${url}/v1/batch`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  connections: 4,
  duration: seconds,
  setupClient: (client) => {
    const set = () => client.setBody(batches[nextBatch++ % batches.length]);
    client.on('response', set);
    set();
  },
});
results.push({
  endpoint: 'POST /v1/batch (100 postings)',
  connections: 4,
  requests: batchResult.requests.total,
  non2xx: batchResult.non2xx,
  errors: batchResult.errors,
  postingsPerSecond: Math.round(batchResult.requests.average * 100),
  p50ms: batchResult.latency.p50,
  p99ms: batchResult.latency.p99,
});
child.kill('SIGTERM');

if (asJson) console.log(JSON.stringify({ node: process.version, seconds, jobs: jobs ?? 'default', results }, null, 2));
else {
  console.log(
    `lurescan serve under autocannon: node ${process.version}, ${seconds} s a run, serve -j ${jobs ?? 'default'}, ${postings.length} fixture postings cycled`,
  );
  console.log('endpoint                         clients  requests  non-2xx  errors  postings/s  p50 ms  p99 ms');
  for (const r of results) {
    console.log(
      `${r.endpoint.padEnd(32)} ${String(r.connections).padStart(7)} ${String(r.requests).padStart(9)} ${String(r.non2xx).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.postingsPerSecond).padStart(11)} ${String(r.p50ms).padStart(7)} ${String(r.p99ms).padStart(7)}`,
    );
  }
}
