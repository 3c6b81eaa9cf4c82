#!/usr/bin/env node
// The model benchmark (`npm run bench` runs it after the scan benchmark; or run it alone):
// lurescan's model, of its default (logistic) kind and of its naive-Bayes kind, beside natural's
// BayesClassifier, `bayes` and `wink-naive-bayes-text-classifier` on the same 80/20 split of each
// labelled set in ../shared/data. lurescan fits as `train` does: the logistic kind on one thread
// per core from 5,000 postings up.
// Each classifier runs in its own process under GNU time, so its peak RSS is its own. Reported:
// training time, classification throughput, peak RSS, and precision/recall/F1 of the fraud class.
//
//   node scripts/bench-model.mjs [--json] [--sets emscad,orfd] [--natural-max <docs>] [--scale 1,4,16 | --no-scale]
//
// Training at scale (issue 17): the 58.com training part copied 1, 4 and 16 times (ids varied), each
// classifier trained on it in its own process, F1 on the same held-out part; and `lurescan train`
// itself on a JSONL file of the copies, to show its time grows linearly and its memory stays bounded.
//
// natural's classifier keeps a dense vector over the whole vocabulary per training document, so its
// training time grows with documents times vocabulary (about 11 s on the 58.com split, whose short
// ads it mostly cannot tokenize); --natural-max caps its training documents, and the table says so.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '..', 'shared', 'data');
const SETS = {
  emscad: { name: 'EMSCAD subset (English)', file: path.join(shared, 'emscad_balanced_text', 'train.csv') },
  orfd: { name: '58.com (Chinese)', file: path.join(shared, 'orfd_58tongcheng', 'train.csv') },
};
// lurescan's default kind (logistic), and its naive-Bayes kind (`train --kind naive-bayes`), which
// counts rather than fits and is the one `--update` can add to.
const CLASSIFIERS = ['lurescan', 'lurescan-nb', 'natural', 'bayes', 'wink'];

/** The labelled set as {fields, text, fraud, test}; the split by a hash of the ad's content. */
async function loadSet(file) {
  const { planInputs, readInputs } = await import(path.join(root, 'dist/input/index.js'));
  const { adGroup, foldOf } = await import(path.join(root, 'dist/model/train.js'));
  const { truthOf } = await import(path.join(root, 'dist/contracts/labels.js'));
  const docs = [];
  for await (const item of readInputs(await planInputs([file]))) {
    if (item.kind !== 'posting') continue;
    const truth = truthOf(item.posting.label);
    if (truth === undefined) continue;
    const label = truth === 'legit' ? 0 : 1;
    const f = item.posting.fields;
    const group = adGroup(f);
    docs.push({ fields: f, text: Object.values(f).join('\n'), fraud: label !== 0, test: foldOf(`bench:${group}`, 5) === 0 });
  }
  return docs;
}

function f1(pairs) {
  let tp = 0,
    fp = 0,
    fn = 0;
  for (const [predicted, actual] of pairs) {
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** One classifier on one set (its training part copied `copies` times), in this (child) process; prints a JSON line. */
async function child(classifier, setKey, naturalMax, copies = 1) {
  const docs = await loadSet(SETS[setKey].file);
  const once = docs.filter((d) => !d.test);
  let train = Array.from({ length: copies }, () => once).flat();
  const test = docs.filter((d) => d.test);
  let note = '';
  if (classifier === 'natural' && train.length > naturalMax) {
    train = train.slice(0, naturalMax);
    note = `trained on the first ${naturalMax} of ${docs.length - test.length} training documents`;
  }
  let learnAll, predictOne;
  if (classifier === 'lurescan' || classifier === 'lurescan-nb') {
    const { knownTokenIds, tokenizeToIds, DEFAULT_TOKENIZER, TokenizerState } = await import(path.join(root, 'dist/model/tokenize.js'));
    const { emptyModel, learn, finish, toScorer, predictIds } = await import(path.join(root, 'dist/model/model.js'));
    const { DEFAULT_FIT, fitOf } = await import(path.join(root, 'dist/model/train.js'));
    const fit = classifier === 'lurescan' ? DEFAULT_FIT : fitOf('naive-bayes');
    const { fitJobsFor } = await import(path.join(root, 'dist/run/fit-threads.js'));
    let scorer, vocabulary;
    // One tokenizer state for the run, as `train` keeps one (model/tokenizer-state.ts).
    const state = new TokenizerState();
    learnAll = async () => {
      const model = emptyModel(DEFAULT_TOKENIZER, fit, 400_000);
      const tokenized = train.map((d, i) => ({
        id: String(i),
        ...tokenizeToIds(d.fields, DEFAULT_TOKENIZER, model.vocabulary, state),
        label: d.fraud ? 1 : 0,
        group: String(i),
      }));
      learn(model, tokenized);
      // As `train` fits: on one thread per core from 5,000 postings up (run/fit-threads.ts).
      await finish(model, tokenized, [], { fitJobs: fitJobsFor(tokenized.length) });
      scorer = toScorer(model);
      vocabulary = model.vocabulary;
    };
    // As `eval --folds` scores: a model trained in this process, by token ids of its vocabulary; fraud
    // when it is the more probable (at the split's own fraud share), the peers' decision rule.
    predictOne = (d) => {
      const o = predictIds(scorer, knownTokenIds(d.fields, DEFAULT_TOKENIZER, vocabulary, state));
      return 'probabilities' in o && 1 - o.probabilities.legit >= 0.5;
    };
  } else if (classifier === 'natural') {
    const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier');
    const model = new BayesClassifier();
    learnAll = () => {
      for (const d of train) model.addDocument(d.text, d.fraud ? 'fraud' : 'legit');
      model.train();
    };
    predictOne = (d) => model.classify(d.text) === 'fraud';
  } else if (classifier === 'bayes') {
    const bayes = require('bayes');
    const model = bayes();
    learnAll = async () => {
      for (const d of train) await model.learn(d.text, d.fraud ? 'fraud' : 'legit');
    };
    predictOne = async (d) => (await model.categorize(d.text)) === 'fraud';
  } else {
    const winkNaiveBayes = require('wink-naive-bayes-text-classifier');
    const nlp = require('wink-nlp-utils');
    const model = winkNaiveBayes();
    model.definePrepTasks([nlp.string.tokenize0, nlp.tokens.removeWords, nlp.tokens.stem]);
    model.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.5 });
    learnAll = () => {
      for (const d of train) model.learn(d.text, d.fraud ? 'fraud' : 'legit');
      model.consolidate();
    };
    predictOne = (d) => model.predict(d.text) === 'fraud';
  }
  let started = process.hrtime.bigint();
  await learnAll();
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  started = process.hrtime.bigint();
  const pairs = [];
  for (const d of test) pairs.push([await predictOne(d), d.fraud]);
  const classifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${JSON.stringify({ classifier, set: setKey, train: train.length, test: test.length, trainSeconds, perSecond: test.length / classifySeconds, ...f1(pairs), note })}\n`,
  );
}

async function runChild(classifier, setKey, naturalMax, copies = 1) {
  const timeFile = path.join(os.tmpdir(), `lurescan-bench-model-${process.pid}.txt`);
  const haveTime = existsSync('/usr/bin/time');
  const args = [fileURLToPath(import.meta.url), '--child', classifier, setKey, String(naturalMax), String(copies)];
  const command = haveTime ? '/usr/bin/time' : process.execPath;
  const argv = haveTime ? ['-f', '%M', '-o', timeFile, process.execPath, ...args] : args;
  const proc = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => proc.on('close', resolve));
  if (code !== 0) throw new Error(`${classifier} on ${setKey} exited ${code}`);
  const result = { ...JSON.parse(out.trim().split('\n').pop()), copies };
  if (haveTime) {
    result.peakRssMb = Number((await readFile(timeFile, 'utf8')).trim().split('\n').pop()) / 1024;
    await rm(timeFile, { force: true });
  }
  return result;
}

/** `lurescan train` on `docs` (the 58.com training part) copied `copies` times, as a JSONL file: seconds and peak RSS. */
async function trainCli(docs, copies, dir) {
  const file = path.join(dir, `orfd-x${copies}.jsonl`);
  const out = createWriteStream(file);
  for (let copy = 0; copy < copies; copy++) {
    for (let i = 0; i < docs.length; i++) {
      if (!out.write(`${JSON.stringify({ id: `orfd-${i}-copy${copy}`, label: docs[i].fraud ? 1 : 0, ...docs[i].fields })}\n`))
        await new Promise((resolve) => out.once('drain', resolve));
    }
  }
  await new Promise((resolve) => out.end(resolve));
  const timeFile = path.join(dir, 'time.txt');
  const argv = [
    '-f',
    '%e %M',
    '-o',
    timeFile,
    process.execPath,
    path.join(root, 'bin/lurescan.js'),
    'train',
    file,
    '--out',
    path.join(dir, 'model.json'),
    '--date',
    '2026-01-01',
  ];
  const proc = spawn('/usr/bin/time', argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (chunk) => (err += chunk));
  const code = await new Promise((resolve) => proc.on('close', resolve));
  if (code !== 0) throw new Error(`lurescan train on ${copies} copies exited ${code}: ${err}`);
  const [seconds, kb] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop().split(' ').map(Number);
  await rm(file, { force: true });
  return { copies, postings: docs.length * copies, seconds, peakRssMb: kb / 1024 };
}

async function scale(copiesList, naturalMax, json) {
  if (!existsSync(SETS.orfd.file)) return;
  const results = [];
  for (const copies of copiesList) for (const classifier of CLASSIFIERS) results.push(await runChild(classifier, 'orfd', naturalMax, copies));
  const cli = [];
  if (existsSync('/usr/bin/time')) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lurescan-bench-train-'));
    try {
      const docs = (await loadSet(SETS.orfd.file)).filter((d) => !d.test);
      for (const copies of copiesList) cli.push(await trainCli(docs, copies, dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (json) {
    for (const r of results) process.stdout.write(`${JSON.stringify({ scale: true, ...r })}\n`);
    for (const r of cli) process.stdout.write(`${JSON.stringify({ scale: true, cli: true, ...r })}\n`);
    return;
  }
  console.log('\ntraining at scale: the 58.com training part copied (ids varied), F1 on the same held-out part');
  console.log('| copies | classifier | train docs | train s | peak RSS MB | F1 |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.copies}x | ${r.classifier}${r.note ? ` (${r.note})` : ''} | ${r.train} | ${r.trainSeconds.toFixed(2)} | ${r.peakRssMb?.toFixed(0) ?? '-'} | ${r.f1.toFixed(3)} |`,
    );
  for (const copies of copiesList) {
    const of = (name) => results.find((r) => r.copies === copies && r.classifier === name);
    for (const kind of ['lurescan', 'lurescan-nb']) {
      const ours = of(kind);
      const others = CLASSIFIERS.filter((name) => !name.startsWith('lurescan')).map(
        (name) => `${name} ${(of(name).trainSeconds / ours.trainSeconds).toFixed(1)}x`,
      );
      console.log(`${copies}x: ${kind} trains faster than ${others.join(', ')} (their time over ours)`);
    }
  }
  if (cli.length > 0) {
    console.log('\n`lurescan train` on a JSONL file of the copies (whole process: reading, tokenizing, calibrating, writing)');
    console.log('| copies | postings | s | s per 10k postings | peak RSS MB |');
    console.log('|---|---|---|---|---|');
    for (const r of cli)
      console.log(`| ${r.copies}x | ${r.postings} | ${r.seconds.toFixed(1)} | ${((r.seconds * 10_000) / r.postings).toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2], Number(args[3]), Number(args[4] ?? 1));
  const json = args.includes('--json');
  const setsArg = args.includes('--sets') ? args[args.indexOf('--sets') + 1] : 'emscad,orfd';
  const naturalMax = args.includes('--natural-max') ? Number(args[args.indexOf('--natural-max') + 1]) : Number.MAX_SAFE_INTEGER;
  const sets = setsArg.split(',').filter((key) => {
    if (!SETS[key]) throw new Error(`unknown set ${key} (emscad, orfd)`);
    if (existsSync(SETS[key].file)) return true;
    process.stderr.write(`bench-model: skipping ${key}: ${SETS[key].file} not found\n`);
    return false;
  });
  const copiesList = args.includes('--no-scale') ? [] : (args.includes('--scale') ? args[args.indexOf('--scale') + 1] : '1,4,16').split(',').map(Number);
  if (copiesList.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--scale wants whole numbers >= 1, e.g. 1,4,16');
  const results = [];
  for (const set of sets) {
    for (const classifier of CLASSIFIERS) {
      const result = await runChild(classifier, set, naturalMax);
      results.push(result);
      if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  }
  if (json) {
    if (copiesList.length > 0) await scale(copiesList, naturalMax, json);
    return;
  }
  console.log('\nlurescan (logistic; lurescan-nb: its naive-Bayes kind) beside the JS peers (80/20 split by ad content; fraud class)');
  console.log('| set | classifier | train docs | train s | classify docs/s | peak RSS MB | precision | recall | F1 |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${SETS[r.set].name} | ${r.classifier}${r.note ? ` (${r.note})` : ''} | ${r.train} | ${r.trainSeconds.toFixed(2)} | ${Math.round(r.perSecond)} | ${r.peakRssMb?.toFixed(0) ?? '-'} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} |`,
    );
  }
  for (const set of sets) {
    const natural = results.find((r) => r.set === set && r.classifier === 'natural');
    for (const kind of ['lurescan', 'lurescan-nb']) {
      const ours = results.find((r) => r.set === set && r.classifier === kind);
      if (ours && natural && !natural.note)
        console.log(`${SETS[set].name}: ${kind} trains ${(natural.trainSeconds / ours.trainSeconds).toFixed(0)}x faster than natural's BayesClassifier`);
    }
  }
  if (copiesList.length > 0) await scale(copiesList, naturalMax, json);
}

main().catch((error) => {
  process.stderr.write(`bench-model: ${error.message}\n`);
  process.exit(1);
});
