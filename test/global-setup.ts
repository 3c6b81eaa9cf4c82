// Before any test file runs: check the shipped rules' regexes for ReDoS once, so the verdict cache
// (node_modules/.cache/lurescan/redos.json) is warm. Several test files lint the shipped rules or
// copies of them in parallel processes; on a fresh clone each would otherwise run the whole check at
// once and the checker's time-outs would depend on how busy the machine is. The outcome is not
// asserted here: the tests that lint say what they expect.
//
// The lint takes seconds before any test can start, so a stamp beside the cache records the rule
// files (names and text) and the checker's version it last ran for: while both are the same and the
// verdict cache is there, there is nothing to warm.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The rule files and the ReDoS checker, as one key. */
function rulesKey(): string {
  const hash = createHash('sha256');
  hash.update(JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'recheck', 'package.json'), 'utf8')).version);
  const rules = path.join(ROOT, 'rules');
  for (const file of (readdirSync(rules, { recursive: true }) as string[]).sort()) {
    if (!/\.ya?ml$/.test(file)) continue;
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(path.join(rules, file)));
  }
  return hash.digest('hex');
}

/** The newest modification time of the TypeScript sources under a folder. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const file of readdirSync(dir, { recursive: true }) as string[])
    if (file.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(dir, file)).mtimeMs);
  return newest;
}

export default async function setup(): Promise<void> {
  // The tests run the build (vitest.config.ts maps ../src/*.js to dist/): a source edited since the
  // last build would go untested, so a stale build is refused, saying what to run.
  const buildInfo = path.join(ROOT, 'dist', '.tsbuildinfo');
  if (!existsSync(buildInfo) || statSync(buildInfo).mtimeMs < newestSource(path.join(ROOT, 'src')))
    throw new Error('dist/ is older than src/: the tests run the build; run `npm run build` first (`npm test` does)');
  // The cache folder as lurescan finds it (LURESCAN_CACHE_DIR, else node_modules/.cache/lurescan, ...).
  const { CACHE_DIR } = (await import(pathToFileURL(path.join(ROOT, 'dist', 'cache-dir.js')).href)) as typeof import('../src/cache-dir.js');
  const stamp = path.join(CACHE_DIR, 'test-redos-warm.txt');
  const key = rulesKey();
  const warm = existsSync(path.join(CACHE_DIR, 'redos.json')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key;
  if (warm) return;
  await new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'lurescan.js'), 'rules', 'lint', '--format', 'json'],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      () => resolve(),
    );
  });
  try {
    writeFileSync(stamp, key);
  } catch {
    // Not written: the next run warms again.
  }
}
