// Before any test file runs, warm the cache folder (node_modules/.cache/lurescan, or
// LURESCAN_CACHE_DIR) with what the shipped rules and model derive, once, in one process:
// - the ReDoS verdicts of the shipped rules' regexes (redos.json), for the parts
//   rules/redos-verdicts.json does not decide. Several test files lint the shipped rules or copies of
//   them in parallel; on a fresh clone with a stale seed each would otherwise check the same new
//   parts at once, and the checker's time-outs would depend on how busy the machine is;
// - what a scan of the shipped rules and model reads first: the assembled rule set with its plan,
//   the prefilter's tables and the model's tables (the model's take a second and a few hundred MB to
//   build from its JSON). On a fresh clone every test worker, and the binaries the tests start, would
//   otherwise build each of them at the same time, each its own copy.
// Each entry is keyed by what it is derived from, so a warm entry is the one a test would build.
// The outcome is not asserted here: the tests that lint or scan say what they expect.
//
// A stamp beside the cache records what the warm-up last ran for (the rule files' names and text,
// the model file and the build as their status gives them, the checker's and lurescan's versions):
// while they are the same there is nothing to warm.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The rule files, the model file, the build, and the ReDoS checker's and lurescan's versions, as one key. */
function warmKey(): string {
  const hash = createHash('sha256');
  const version = (file: string): string => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')).version;
  hash.update(`${version('node_modules/recheck/package.json')}\0${version('package.json')}\0`);
  // The model file and the build as their status gives them: a new model, or a build that may change
  // what is derived (a layout, a cache format), is warmed again.
  for (const file of ['models/default.json', 'dist/.tsbuildinfo']) {
    const status = statSync(path.join(ROOT, file), { throwIfNoEntry: false });
    hash.update(`${file}:${status?.size}:${status?.mtimeMs}\0`);
  }
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
  const stamp = path.join(CACHE_DIR, 'test-warm.txt');
  const key = warmKey();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return;
  // The shipped rules and model as a scan on the calling thread opens them (the library's scanner,
  // which `scan --jobs 0` is), then the ReDoS check `rules lint` makes of the set's regexes, with
  // the lint's seed, cache and time-out, without the rest of the lint (which warms nothing).
  const script = `
    const { createScanner } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href)});
    const { loadRuleSet } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'run', 'rules.js')).href)});
    const { checkRedos, DEFAULT_REDOS_CACHE, DEFAULT_REDOS_SEED } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'toolkit', 'redos.js')).href)});
    const { DEFAULT_RULES_DIR } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'paths.js')).href)});
    await (await createScanner({ jobs: 0 })).close();
    const { rules } = await loadRuleSet(DEFAULT_RULES_DIR);
    const compiles = (source) => { try { new RegExp(source, 'u'); return true; } catch { return false; } };
    const regexes = rules.flatMap((rule) => ['any', 'all', 'not'].flatMap((list) => rule[list] ?? [])).map((m) => m.regex).filter((r) => r !== undefined && compiles(r));
    await checkRedos(regexes, { timeoutMs: 3000, cacheFile: DEFAULT_REDOS_CACHE, seedFile: DEFAULT_REDOS_SEED });
  `;
  const ran = await new Promise<boolean>((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }, (error) =>
      resolve(error === null),
    );
  });
  if (!ran) return;
  try {
    writeFileSync(stamp, key);
  } catch {
    // Not written: the next run warms again.
  }
}
