// `lurescan serve`: flags checked, the scanner built, the service started; it runs until SIGINT or
// SIGTERM, then finishes the requests in flight and exits 0.
import { isIP } from 'node:net';
import { VERSION } from '../paths.js';
import { createScanner } from '../run/scanner.js';
import { startServer } from '../run/server.js';
import { LurescanError } from '../types.js';
import { parseBaseRateOption, parseSize, positiveNumber, scannerFlags, wholeNumber } from './flags.js';
import type { ServeOptions } from './commands/serve.js';
import { EXIT_OK, onShutdown, warner, type CliIO } from './io.js';
import { readRedactKey, readToken } from './flag-files.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function runServe(options: ServeOptions, io: CliIO): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) throw new LurescanError('USAGE', `--host must be an IP address or localhost (got \`${host}\`)`);
  const port = wholeNumber(options.port, '--port', 0, 65535) ?? 8080;
  const maxBodyBytes = options.maxBody !== undefined ? parseSize(options.maxBody, '--max-body') : 10 * 1024 * 1024;
  const maxBatch = wholeNumber(options.maxBatch, '--max-batch', 1) ?? 10_000;
  const requestTimeoutMs = Math.round((positiveNumber(options.requestTimeout, '--request-timeout', false) ?? 300) * 1000);
  const jobs = wholeNumber(options.jobs, '--jobs', 0);
  const budgetMs = wholeNumber(options.timeBudget, '--time-budget', 1);
  const token = await readToken(options, io);
  const redactKey = await readRedactKey(options, io);
  if (token === undefined && !LOOPBACK.has(host)) {
    io.stderr.write(`lurescan: warning: serving on ${host} without a token: anyone who can reach it can use it (--token-file or LURESCAN_TOKEN)\n`);
  }
  const scanner = await createScanner({
    ...scannerFlags(options, redactKey),
    baseRates: parseBaseRateOption(options.baseRate),
    ...(jobs !== undefined ? { jobs } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
    includeText: options.includeText ?? false,
    explain: options.explain ?? false,
    cwd: io.cwd,
    onWarning: warner(io),
  });
  let server;
  try {
    server = await startServer(scanner, { host, port, ...(token !== undefined ? { token } : {}), maxBodyBytes, maxBatch, requestTimeoutMs, version: VERSION });
  } catch (error) {
    await scanner.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new LurescanError('USAGE', `cannot listen on ${host}:${port} (${code}); choose another --port or --host`);
    throw error;
  }
  const model = scanner.model.used ? `model ${scanner.model.file}` : 'no model';
  io.stderr.write(
    `lurescan: serving on ${server.url} (rules ${scanner.ruleset.fingerprint.slice(0, 12)}, ${model}${token ? ', bearer token required' : ''}); POST /v1/score, POST /v1/batch, GET /healthz, GET /metrics\n`,
  );
  const signal = await new Promise<string>((resolve) => onShutdown(resolve));
  io.stderr.write(`lurescan: ${signal}: finishing the requests in flight, then stopping\n`);
  await server.close();
  await scanner.close();
  io.stderr.write('lurescan: stopped\n');
  return EXIT_OK;
}
