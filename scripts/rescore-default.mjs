#!/usr/bin/env node
// npm run rescore:default: learn the shipped points (rules/scoring.yaml `points` and the model's
// `levels`) with `lurescan rescore`, from the same training data as the shipped model: the
// training parts of the sets in ../shared/data and corpus/train. Each posting is judged by a model
// trained on the other folds (--folds 5), since the shipped model saw them all. The target
// false-positive rate is judged on corpus/train's legitimate postings (hard look-alikes), not on
// the job-board ads no rule touches, and for each label on its own: at most 0.5% of them flagged
// as lures (the graver error) and 1.5% as job scams, so the look-alikes of one label (paid courses,
// scam warnings) do not set the price of the other's recall. The development parts stay held out
// for `npm run eval`. Extra arguments go to rescore (e.g. --out /tmp/scoring.yaml instead of
// updating rules/).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { available, corpus, root, splits } from './lib/shared-data.mjs';

export const TARGET_FPR = { 'forced-criminality': '0.005', 'employment-fraud': '0.015' };

if (!available()) {
  console.error('rescore:default needs ../shared/data beside the project (the labelled and job-board sets)');
  process.exit(2);
}
const extra = process.argv.slice(2);
const inputs = ['corpus/train', ...splits().flatMap((set) => set.train).map((file) => path.relative(root, file))];
const args = ['bin/lurescan.js', 'rescore', ...inputs, '--folds', '5', ...Object.entries(TARGET_FPR).flatMap(([label, rate]) => ['--target-fpr', `${label}=${rate}`]), '--fpr-on', 'corpus/train', '--by', 'none'];
args.push(...(extra.length > 0 ? extra : ['--write']));
execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
