#!/usr/bin/env node
// npm run train:default: train the shipped model, models/default.json, from the training parts of
// the sets in ../shared/data (labelled 58.com and EMSCAD; job-board ads presumed legitimate, in
// every language they cover) and the training batches of our corpus (corpus/train). The
// development parts are held out for `npm run eval`. The shared rows never enter the repository
// (scripts/lib/shared-data.mjs writes the parts under .cache/).
// Deterministic: the same inputs give the same file, byte for byte; the recorded training date is
// the date of the last commit that touched the corpus or the code that makes the model's features.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { available, corpus, root, splits } from './lib/shared-data.mjs';

if (!available()) {
  console.error('train:default needs ../shared/data beside the project (the labelled and job-board sets)');
  process.exit(2);
}
const inputs = [...splits().flatMap((set) => set.train), ...corpus().train];
let date;
try {
  date = execFileSync('git', ['log', '-1', '--format=%cs', '--', 'corpus', 'src/model', 'src/normalize', 'src/lang'], { cwd: root, encoding: 'utf8' }).trim();
} catch {
  date = '';
}
const args = ['bin/lurescan.js', 'train', ...inputs.map((file) => path.relative(root, file)), '--out', 'models/default.json'];
if (date) args.push('--date', date);
execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
