#!/usr/bin/env node
// npm run eval: how the shipped rules and model do on postings they were not trained or tuned on.
// - the development parts of the labelled sets in ../shared/data (58.com at default base rates;
//   the EMSCAD subset at its own fraud share, --base-rate employment-fraud=0.46);
// - the flag rate on the development part of every job-board set (ads presumed legitimate);
// - the development batches of our corpus (corpus/dev), per language and real against written;
// and, for reference only, what the rules were tuned on (corpus/train, the fixtures).
// Every figure comes from `lurescan eval`, which scores through the scan's own code. Pass --json for
// machine-readable output. Without ../shared/data only the corpus and fixtures are measured.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { available, corpus, generalSample, root, splits } from './lib/shared-data.mjs';

const json = process.argv.includes('--json');
const results = [];

function evaluate(name, files, extra = []) {
  const args = ['bin/lurescan.js', 'eval', ...files.map((f) => path.relative(root, f)), '--format', 'json', ...extra];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const report = JSON.parse(out);
  results.push({ set: name, args: extra, report });
  return report;
}

const pct = (v) => (v === null || v === undefined ? '   n/a' : `${(v * 100).toFixed(1)}%`.padStart(6));
const combined = (report) => report.systems.combined ?? report.systems.rules;

function line(name, report) {
  const m = combined(report).metrics;
  const n = String(report.documents).padStart(6);
  return `${name.padEnd(36)} ${n}  FPR ${pct(m.any.fpr)}  FC recall ${pct(m['forced-criminality'].recall)}  fraud recall ${pct(m.any.recall)}  precision ${pct(m.any.precision)}  F1 ${pct(m.any.f1)}  abstained ${report.abstained.total}`;
}

const lines = [];
const say = (text = '') => lines.push(text);

if (available()) {
  const sets = splits();
  say('=== labelled sets, development parts (the shipped model never saw them) ===');
  for (const set of sets.filter((s) => s.kind === 'labelled')) {
    const extra = set.baseRate ? ['--base-rate', set.baseRate] : [];
    const report = evaluate(set.name, set.dev, extra);
    say(line(`${set.name}${set.baseRate ? ` @${set.baseRate.split('=')[1]}` : ''}`, report));
  }
  say('');
  say('=== job boards, development parts: flag rate on ads presumed legitimate (target <= 2%, aim 1%) ===');
  const boards = sets.filter((s) => s.kind === 'jobboard');
  const report = evaluate(
    'job boards (dev)',
    boards.flatMap((s) => s.dev),
    ['--default-label', 'legit', '--by', 'source'],
  );
  for (const set of boards) {
    const groups = report.groups.filter((g) => set.dev.some((file) => path.resolve(root, g.group) === file));
    const documents = groups.reduce((n, g) => n + g.documents, 0);
    const flagged = groups.reduce((n, g) => n + g.metrics.any.legitFlagged, 0);
    const fc = groups.reduce((n, g) => n + g.metrics['forced-criminality'].legitFlagged, 0);
    const ef = groups.reduce((n, g) => n + g.metrics['employment-fraud'].legitFlagged, 0);
    say(
      `${set.name.padEnd(36)} ${String(documents).padStart(6)}  flagged ${String(flagged).padStart(4)} = ${pct(documents ? flagged / documents : null)}  (forced-criminality ${fc}, employment-fraud ${ef})`,
    );
  }
  say(line('all job boards', report));
  say('');
  // The same development ads cut short (title, company, place, and the first 6, 12 or 25 words of
  // the description): a short ordinary ad must not look like a fraud for being short.
  const { writeShortCopies } = await import('./lib/short-copies.mjs');
  const shortFile = path.join(root, '.cache', 'short-legit', 'dev.jsonl');
  await writeShortCopies(
    boards.flatMap((s) => s.dev),
    shortFile,
    { all: true, tag: 'dev' },
  );
  const short = evaluate('job boards cut short (dev)', [shortFile], ['--default-label', 'legit', '--by', 'lang']);
  say('=== job boards, development parts cut short (description to 6, 12 and 25 words): flag rate (target <= 2%) ===');
  for (const group of short.groups.filter((g) => g.documents >= 100)) {
    const flagged = group.metrics.any.legitFlagged;
    say(
      `${`${group.group}, cut short`.padEnd(36)} ${String(group.documents).padStart(6)}  flagged ${String(flagged).padStart(4)} = ${pct(flagged / group.documents)}`,
    );
  }
  say(line('all, cut short', short));
  say('');
}

const { train, dev } = corpus();
if (dev.length > 0) {
  say('=== corpus/dev: our own postings, written blind, never tuned on ===');
  const byLang = evaluate('corpus/dev', dev, ['--by', 'lang']);
  say(line('corpus/dev (all)', byLang));
  for (const g of byLang.groups) {
    const m = g.metrics;
    say(
      `  ${g.group.padEnd(10)} n ${String(g.documents).padStart(4)}  legit ${String(g.truth.legit ?? 0).padStart(3)}  FPR ${pct(m.any.fpr)}  FC recall ${pct(m['forced-criminality'].recall)}  fraud recall ${pct(m.any.recall)}  EF recall ${pct(m['employment-fraud'].recall)}  abstained ${g.abstained}`,
    );
  }
  // Rounds 21 to 24: samples written to measure, as a feed holds them (30% lures of every strength,
  // 17% job scams, 53% legitimate, most of those look-alikes), in sixteen languages each, by eight
  // writers: the issue's hidden set in miniature. Its targets: lures >= 90% (exact label), scams >=
  // 85%, legitimate <= 2%.
  const general = generalSample();
  if (general.length > 0) {
    const sample = evaluate('corpus/dev general sample', general, ['--by', 'none']);
    const m = combined(sample).metrics;
    say(
      `  ${'general sample (rounds 21-24)'.padEnd(29)} n ${String(sample.documents).padStart(4)}  FPR ${pct(m.any.fpr)}  FC recall ${pct(m['forced-criminality'].recall)}  EF recall ${pct(m['employment-fraud'].recall)}  fraud recall ${pct(m.any.recall)}`,
    );
  }
  const byOrigin = evaluate('corpus/dev by origin', dev, ['--by', 'meta.origin']);
  for (const g of byOrigin.groups) {
    const m = g.metrics;
    say(
      `  ${`origin ${g.group}`.padEnd(16)} n ${String(g.documents).padStart(4)}  FPR ${pct(m.any.fpr)}  FC recall ${pct(m['forced-criminality'].recall)}  fraud recall ${pct(m.any.recall)}`,
    );
  }
  say('');
}
say('=== for reference: what the rules were tuned on (not a measure of accuracy) ===');
if (train.length > 0) say(line('corpus/train', evaluate('corpus/train', train, ['--by', 'none'])));
const fixtures = [
  'fixtures/postings/fc-en.csv',
  'fixtures/postings/ef-en.csv',
  'fixtures/postings/legit-en.csv',
  'fixtures/postings/asia-multilingual.jsonl',
  'fixtures/postings/listings.json',
].map((f) => path.join(root, f));
if (fixtures.every((f) => existsSync(f))) say(line('fixtures', evaluate('fixtures', fixtures, ['--by', 'none'])));

if (json) for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
else process.stdout.write(`${lines.join('\n')}\n`);
