// docs/report.png: a screenshot of `lurescan report` on the shipped fixtures (fixtures/postings
// scanned with --include-text --explain, the hand-written verdicts with contacts and the clusters of
// fixtures/report), taken in headless Chromium with every network request refused.
// Run after `npm run build`: node scripts/report-screenshot.mjs [out.png]
// The browser: LURESCAN_CHROMIUM, else chromium or google-chrome on the PATH (playwright-core
// downloads none).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs/report.png'));

function findBrowser() {
  if (process.env.LURESCAN_CHROMIUM) return process.env.LURESCAN_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {}
  }
  throw new Error('no Chromium found: install it (apt-get install chromium) or set LURESCAN_CHROMIUM');
}

const dir = mkdtempSync(path.join(tmpdir(), 'lurescan-shot-'));
try {
  // Run from the temporary folder with short names, so the page's header names the files plainly.
  const cli = (...args) => execFileSync(process.execPath, [path.join(ROOT, 'bin/lurescan.js'), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(path.join(ROOT, 'fixtures/report/contacts.jsonl'), path.join(dir, 'contacts.jsonl'));
  copyFileSync(path.join(ROOT, 'fixtures/report/clusters.jsonl'), path.join(dir, 'clusters.jsonl'));
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'bin/lurescan.js'),
      'scan',
      'fixtures/postings',
      '--include-text',
      '--explain',
      '--no-summary',
      '-o',
      path.join(dir, 'verdicts.jsonl'),
      '--summary-out',
      path.join(dir, 'summary.json'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  cli(
    'report',
    'verdicts.jsonl',
    'contacts.jsonl',
    '--clusters',
    'clusters.jsonl',
    '--summary',
    'summary.json',
    '--title',
    'lurescan review report: the shipped fixtures',
    '-q',
    '-o',
    'report.html',
  );
  const browser = await chromium.launch({ executablePath: findBrowser(), args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, deviceScaleFactor: 1 });
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    // The list filtered to a cluster: its panel, and its members with their evidence marked.
    await page.goto(`${pathToFileURL(path.join(dir, 'report.html')).href}#cluster=c-000001`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.evaluate(() => document.getElementById('postings')?.scrollIntoView());
    await page.screenshot({ path: out });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
