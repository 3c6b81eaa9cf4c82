#!/usr/bin/env node
// npm run rescore:default: learn the shipped points (rules/scoring.yaml `points` and the model's
// `levels`) with `lurescan rescore`, from the same training data as the shipped model: the
// training parts of the sets in ../shared/data and corpus/train. Each posting is judged by a model
// trained on the other folds (--folds 5), since the shipped model saw them all. The target
// false-positive rate is judged on corpus/train's legitimate postings (hard look-alikes), not on
// the job-board ads no rule touches, and for each label on its own: at most a set share of them
// flagged as lures and another as job scams (TARGET_FPR below), so the look-alikes of one label (paid courses, scam warnings) do not
// set the price of the other's recall. Since round 10 of the corpus, a sixth of those look-alikes
// are news and advisories that paraphrase a lure, written to be hard; at 0.25% for lures the fit
// gave up a fifth of train's lures to keep them unflagged (recall 94% -> 72%). The development
// parts stay held out for `npm run eval`.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { available, fitCorpusFiles, root, splits } from './lib/shared-data.mjs';

// Lures 1.5% since round 12 of the corpus put 224 short ordinary ads, many of them hard look-alikes,
// among the training look-alikes the rate is judged on (at 1% the fit gave up a tenth of dev's
// scams, EMSCAD's and 58.com's targets and real lures 65.4% -> 58.7% to bring dev's false-positive
// rate from 2.4% to 1.9%). Job scams 1% since round 7 of the quoted ads and Korean syllable pairs:
// at 1.5% the fit spent its budget on scams' mid probabilities and the written look-alikes of dev
// went from 2.1% to 2.9%; at 1% they are 2.5%, lures 95.1%, real lures 69.6%, EMSCAD F1 92.3% and
// 58.com 70.7%. Scams at 1.25% sat between the two (look-alikes 2.7%, written scams of rounds 1-8
// 87.0% against 84.9%); lures at 1.25% as well cost 6 points of real lures for 0.2 of look-alikes
// (docs/accuracy-history.md).
export const TARGET_FPR = { 'forced-criminality': '0.015', 'employment-fraud': '0.01' };

if (!available()) {
  console.error('rescore:default needs ../shared/data beside the project (the labelled and job-board sets)');
  process.exit(2);
}
// `--fit new` (npm run rescore:new) goes to both runs: the rules with no learned points yet (added
// since the last full fit) are fitted beside the learned points and the model's levels, which stay
// as they are, at the false-positive costs the full fit chose (its `rescored` records). A full
// refit moves every point; measured, it did worse on held-out postings than the points it would
// replace (docs/accuracy-history.md), so new rules join the fit that is in force instead, as
// SpamAssassin gives new rules scores between its full rescoring runs.
const args = process.argv.slice(2);
const fitAt = args.indexOf('--fit');
const fit = fitAt >= 0 ? args.splice(fitAt, 2) : [];
const extra = args;
// The corpus batches of NOT_IN_FIT (scripts/lib/shared-data.mjs) stay out of the fit and of the
// look-alikes the target is judged on, as they stay out of the model.
const inputs = [
  ...fitCorpusFiles().map((file) => path.relative(root, file)),
  ...splits()
    .flatMap((set) => set.train)
    .map((file) => path.relative(root, file)),
];
const common = [
  ...inputs,
  ...fit,
  ...Object.entries(TARGET_FPR).flatMap(([label, rate]) => ['--target-fpr', `${label}=${rate}`]),
  '--fpr-on',
  'corpus/train',
  '--by',
  'none',
];
// Two score sets, as SpamAssassin keeps them: first the points for scans without the model's
// judgement (`points-no-model`: --no-model, or a language it abstains on), then the points beside it
// (`points` and the model's levels), which leave the postings it does not judge to the first set.
// Extra arguments (e.g. --out instead of --write) go to the second run only.
execFileSync(process.execPath, ['bin/lurescan.js', 'rescore', ...common, '--no-model', '--write'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['bin/lurescan.js', 'rescore', ...common, '--folds', '5', ...(extra.length > 0 ? extra : ['--write'])], {
  cwd: root,
  stdio: 'inherit',
});
