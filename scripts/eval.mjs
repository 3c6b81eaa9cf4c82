#!/usr/bin/env node
// npm run eval: cross-validated accuracy of rules, model and both on the labelled sets in
// ../shared/data and on our fixtures. Each set is evaluated with 5-fold cross-validation (a model
// trained on four folds scores the fifth; folds by ad content so re-posts stay together), with the
// shipped rules and scoring. Pass --json for machine-readable output.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const shared = path.join(root, '..', 'shared', 'data');
const json = process.argv.includes('--json');
const sets = [
  ['58.com (Chinese, ORFD)', [path.join(shared, 'orfd_58tongcheng', 'train.csv')]],
  ['EMSCAD subset (English)', [path.join(shared, 'emscad_balanced_text', 'train.csv')]],
  ['lurescan fixtures', ['fixtures/postings/fc-en.csv', 'fixtures/postings/ef-en.csv', 'fixtures/postings/legit-en.csv', 'fixtures/postings/asia-multilingual.jsonl', 'fixtures/postings/listings.json']],
];
let ran = 0;
for (const [name, files] of sets) {
  if (!files.every((file) => existsSync(path.resolve(root, file)))) {
    console.error(`eval: skipping ${name}: ${files.join(', ')} not found`);
    continue;
  }
  if (!json) console.log(`\n=== ${name} ===`);
  const args = ['bin/lurescan.js', 'eval', ...files.map((f) => path.relative(root, path.resolve(root, f))), '--folds', '5', '--no-color'];
  if (json) args.push('--format', 'json');
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(json ? `${JSON.stringify({ set: name, ...JSON.parse(out) })}\n` : out);
  ran++;
}
if (ran === 0) process.exit(2);
