#!/usr/bin/env node
// npm run rescore:default: learn the shipped points (rules/scoring.yaml `points` and the model's
// `levels`) with `lurescan rescore`, from the same training data as the shipped model: the
// training parts of the sets in ../shared/data and corpus/train. Each posting is judged by a model
// trained on the other folds (--folds 5), since the shipped model saw them all. The target
// false-positive rate is judged on corpus/train's legitimate postings (hard look-alikes), not on
// the job-board ads no rule touches, and for each label on its own: at most 0.25% of them flagged
// as lures (the graver error) and 1% as job scams, so the look-alikes of one label (paid courses,
// scam warnings) do not set the price of the other's recall. The targets are tighter than the 2%
// a trust team asks for because the rules were written against these same postings, so their
// false-positive rate here is lower than on ads they never saw (measured once, with the logistic
// model calibrated per language: 0.5% and 1.5% here flagged 8.4% of corpus/dev's look-alikes;
// 0.25% and 1%, 6.8%). The development parts stay held out
// for `npm run eval`. Extra arguments go to rescore (e.g. --out /tmp/scoring.yaml instead of
// updating rules/).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { available, corpus, root, splits } from './lib/shared-data.mjs';

export const TARGET_FPR = { 'forced-criminality': '0.0025', 'employment-fraud': '0.01' };

if (!available()) {
  console.error('rescore:default needs ../shared/data beside the project (the labelled and job-board sets)');
  process.exit(2);
}
const extra = process.argv.slice(2);
const inputs = ['corpus/train', ...splits().flatMap((set) => set.train).map((file) => path.relative(root, file))];
const args = ['bin/lurescan.js', 'rescore', ...inputs, '--folds', '5', ...Object.entries(TARGET_FPR).flatMap(([label, rate]) => ['--target-fpr', `${label}=${rate}`]), '--fpr-on', 'corpus/train', '--by', 'none'];
args.push(...(extra.length > 0 ? extra : ['--write']));
execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
