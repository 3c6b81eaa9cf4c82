// The packed package (npm run test:shipped): imported by name from another folder, with its types,
// it scores; it holds what a user needs and no more.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR } from '../../src/cache-dir.js';
import { tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The files `npm pack` puts in the package, as npm itself lists them: the npm-packlist module of the
 * npm that runs (`npm pack` calls it, then gzips: the 19 MB model alone costs 5 CPU-s to compress,
 * and a dry run compresses too, for the checksum). Undefined where this npm has no such module.
 */
async function packList(): Promise<string[] | undefined> {
  // The npm running `npm test` (npm_execpath names its bin/npm-cli.js), else the one installed
  // beside node, else wherever npm says its global packages are: asking npm starts a process of its
  // own (a quarter of a second), only for an npm found neither way.
  const load = (npm: string): ((tree: object) => Promise<string[]>) | undefined => {
    try {
      return createRequire(path.join(npm, 'package.json'))('npm-packlist') as (tree: object) => Promise<string[]>;
    } catch {
      return undefined;
    }
  };
  const running = process.env.npm_execpath?.endsWith('npm-cli.js') ? [path.dirname(path.dirname(process.env.npm_execpath))] : [];
  const beside = path.join(path.dirname(path.dirname(process.execPath)), 'lib', 'node_modules', 'npm');
  const packlist =
    [...running, beside].map(load).find((found) => found !== undefined) ??
    load(path.join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm'));
  if (packlist === undefined) return undefined;
  // The tree npm builds for a project root without bundled dependencies: all npm-packlist reads of it.
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as object;
  return packlist({ path: root, package: manifest, isProjectRoot: true, edgesOut: new Map() });
}

describe('the packed package', () => {
  it('binary: is imported by name from another folder, with its types, and scores', async () => {
    const dir = tempDir('lurescan-package-');
    const installed = path.join(dir, 'node_modules', 'lurescan');
    mkdirSync(installed, { recursive: true });
    // The package's files where an install puts them: copied as npm lists them, or, with an npm
    // whose list this cannot read, packed and unpacked.
    const files = await packList();
    if (files !== undefined) {
      expect(files).toContain('package.json');
      for (const file of files) {
        mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
        copyFileSync(path.join(root, file), path.join(installed, file));
      }
    } else {
      execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root, stdio: 'pipe' });
      const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
      execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', installed, '--strip-components=1']);
    }
    // The package's dependencies, as an install would put them beside it (no network in tests).
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies)) {
      const target = path.join(dir, 'node_modules', name);
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync(path.join(root, 'node_modules', name), target);
    }
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      path.join(dir, 'use.mjs'),
      `import { createScanner } from 'lurescan';
const scanner = await createScanner({ jobs: 0 });
const v = await scanner.score({ title: 'Customer service, Sihanoukville', description: 'Free flight and visa, $1,800, no experience, Telegram @hr_kh only' });
await scanner.close();
console.log(JSON.stringify({ flagged: v.flagged, labels: v.labels, rules: scanner.ruleset.rules }));
`,
    );
    // With this checkout's cache folder: the same rule and model files, so their derived tables are read,
    // not built again from the 19 MB model (test/cache-dir.test.ts builds them).
    const env = { ...process.env, LURESCAN_CACHE_DIR: CACHE_DIR };
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8', env })) as {
      flagged: boolean;
      labels: string[];
      rules: number;
    };
    expect(out.flagged).toBe(true);
    expect(out.rules).toBeGreaterThan(100);
    // A TypeScript consumer type-checks against the shipped declarations.
    writeFileSync(
      path.join(dir, 'use.ts'),
      `import { createScanner, type Verdict } from 'lurescan';
const scanner = await createScanner({ model: false, jobs: 0 });
const record = await scanner.score({ fields: { title: 'x' } });
const flagged: boolean = 'error' in record ? false : (record satisfies Verdict).flagged;
export { flagged };
`,
    );
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['use.ts'],
      }),
    );
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, stdio: 'pipe' });
    const top = readdirSync(installed);
    for (const name of ['LICENSE', 'README.md', 'docs', 'dist', 'rules', 'models', 'src']) expect(top).toContain(name);
    // Nor more: no tests, fixtures, corpus or build state.
    expect(top.filter((name) => !['bin', 'schemas', 'package.json', 'ARCHITECTURE.md', 'CHANGELOG.md'].includes(name)).sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist',
      'docs',
      'models',
      'rules',
      'src',
    ]);
    expect(readdirSync(path.join(installed, 'dist')).some((name) => name.startsWith('.tsbuildinfo'))).toBe(false);
  });
});
