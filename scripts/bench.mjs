#!/usr/bin/env node
// `npm run bench`: build large CSV dumps of job postings, time `lurescan scan` on each one under
// GNU time (elapsed seconds, peak RSS), and time papaparse alone on the same file for comparison.
//
//   node scripts/bench.mjs [--sizes 50000,200000] [--quick] [--jobs-one all|smallest|none|<sizes>]
//                          [--json] [--keep] [--dir <folder>]
//
// Postings come from fixtures/postings (CSV and JSONL) and, when ../shared/data exists, from the
// EMSCAD and ORFD training sets; they are cycled until each dump holds the wanted number of rows,
// each with a unique id (bench-<n>). Dumps go to .bench/ (gitignored) and are removed afterwards
// unless --keep is given. The bench exits 1 if a scan loses rows (read != rows written) or fails.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Papa = require('papaparse');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
const GNU_TIME = '/usr/bin/time';
const HEADER = ['id', 'title', 'company', 'location', 'salary', 'description'];

// ---------------------------------------------------------------------------------------------

function usage(message) {
  if (message) process.stderr.write(`bench: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/bench.mjs [--sizes 50000,200000] [--quick] [--jobs-one all|smallest|none|<sizes>] [--json] [--keep] [--dir <folder>]\n',
  );
  process.exit(2);
}

function parseSizes(text) {
  const sizes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => Number(s.replace(/_/g, '').replace(/k$/i, '000')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) usage(`--sizes wants whole numbers >= 1 (got \`${text}\`)`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function parseArgs(argv) {
  const opts = { sizes: [50_000, 200_000], json: false, keep: false, dir: path.join(repoRoot, '.bench'), jobsOne: 'all' };
  let sizesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--sizes') {
      opts.sizes = parseSizes(value());
      sizesGiven = true;
    } else if (arg.startsWith('--sizes=')) {
      opts.sizes = parseSizes(arg.slice('--sizes='.length));
      sizesGiven = true;
    } else if (arg === '--quick') {
      if (!sizesGiven) opts.sizes = [5_000, 20_000];
      opts.quick = true;
    } else if (arg === '--json') opts.json = true;
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--dir') opts.dir = path.resolve(value());
    else if (arg === '--jobs-one') opts.jobsOne = value();
    else if (arg === '-h' || arg === '--help') usage();
    else usage(`unknown argument \`${arg}\``);
  }
  // --quick wins over the default sizes but not over explicit --sizes, whatever the order.
  if (opts.quick && !sizesGiven) opts.sizes = [5_000, 20_000];
  const j = opts.jobsOne;
  if (j === 'smallest') opts.jobsOneSizes = new Set([opts.sizes[0]]);
  else if (j === 'all') opts.jobsOneSizes = new Set(opts.sizes);
  else if (j === 'none') opts.jobsOneSizes = new Set();
  else opts.jobsOneSizes = new Set(parseSizes(j));
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Source postings

const text = (v) => (v === undefined || v === null ? '' : String(v));

function parseCsvFile(file) {
  const result = Papa.parse(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: 'greedy' });
  return result.data;
}

/** Fixture rows: contact has no column in the dump, so it is kept at the end of the description. */
function fromFixture(row) {
  const contact = text(row.contact).trim();
  const description = text(row.description);
  return {
    title: text(row.title),
    company: text(row.company),
    location: text(row.location),
    salary: text(row.salary),
    description: contact ? `${description}\n\nContact: ${contact}` : description,
  };
}

function loadSources() {
  const groups = [];
  const fixtures = path.join(repoRoot, 'fixtures', 'postings');
  if (existsSync(fixtures)) {
    const postings = [];
    for (const name of readdirSync(fixtures).sort()) {
      const file = path.join(fixtures, name);
      if (name.endsWith('.csv')) postings.push(...parseCsvFile(file).map(fromFixture));
      else if (name.endsWith('.jsonl')) {
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          try {
            postings.push(fromFixture(JSON.parse(line)));
          } catch {
            // a deliberately broken fixture line: not a posting
          }
        }
      }
    }
    groups.push({ name: 'fixtures/postings (csv, jsonl)', postings });
  }
  const emscad = path.join(sharedData, 'emscad_balanced_text', 'train.csv');
  if (existsSync(emscad)) {
    const postings = parseCsvFile(emscad).map((row) => ({ title: '', company: '', location: '', salary: '', description: text(row.text) }));
    groups.push({ name: path.relative(repoRoot, emscad), postings });
  }
  const orfd = path.join(sharedData, 'orfd_58tongcheng', 'train.csv');
  if (existsSync(orfd)) {
    const postings = parseCsvFile(orfd).map((row) => ({
      title: text(row.jobTitle),
      company: text(row.companyName),
      location: text(row.jobAddr),
      salary: text(row.jobSalary),
      description: text(row.jobDescription),
    }));
    groups.push({ name: path.relative(repoRoot, orfd), postings });
  }
  for (const group of groups) group.postings = group.postings.filter((p) => (p.title + p.description).trim() !== '');
  const all = groups.flatMap((g) => g.postings);
  if (all.length === 0) throw new Error('no source postings found (fixtures/postings is missing or empty)');
  // A fixed shuffle, so every batch mixes languages and sources and every run builds the same dump.
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return { groups, postings: all };
}

/** Stream `rows` postings (cycled from the pool) to `file` as CSV, a chunk of rows at a time. */
async function writeDump(file, rows, pool) {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const failed = new Promise((_, reject) => out.on('error', reject));
  failed.catch(() => {});
  const write = async (chunk) => {
    if (!out.write(chunk)) await Promise.race([new Promise((resolve) => out.once('drain', resolve)), failed]);
  };
  await write(`${Papa.unparse([HEADER], { newline: '\n' })}\n`);
  const CHUNK = 1000;
  for (let start = 0; start < rows; start += CHUNK) {
    const data = [];
    for (let n = start; n < Math.min(rows, start + CHUNK); n++) {
      const p = pool[n % pool.length];
      data.push([`bench-${n + 1}`, p.title, p.company, p.location, p.salary, p.description]);
    }
    await write(`${Papa.unparse(data, { newline: '\n', header: false })}\n`);
  }
  await new Promise((resolve, reject) => {
    out.end(resolve);
    failed.catch(reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Measured runs

/** Run `node args...` under GNU time; resolve with exit code, stdout, stderr, elapsed s, peak RSS KB. */
async function timed(args, timeFile, { keepStdout = false } = {}) {
  const haveTime = existsSync(GNU_TIME);
  const command = haveTime ? GNU_TIME : process.execPath;
  const argv = haveTime ? ['-f', '%e %M', '-o', timeFile, process.execPath, ...args] : args;
  const started = process.hrtime.bigint();
  const child = spawn(command, argv, { cwd: repoRoot, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(signal ? `signal ${signal}` : c));
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  let seconds = wall;
  let rssKb = null;
  if (haveTime) {
    // GNU time prints "Command exited with non-zero status N" before the format line.
    const lines = (await readFile(timeFile, 'utf8')).trim().split('\n');
    const match = /^([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
    if (match) {
      seconds = Number(match[1]);
      rssKb = Number(match[2]);
    }
    await rm(timeFile, { force: true });
  }
  return { code, stdout, stderr, seconds, wall, rssKb };
}

const SUMMARY = /lurescan: read (\d+) = scored (\d+) \+ errors (\d+);[^\n]*/;

async function runScan(dump, jobs, timeFile) {
  const args = [path.join(repoRoot, 'bin', 'lurescan.js'), 'scan', dump, '--format', 'jsonl', '--no-progress'];
  if (jobs !== undefined) args.push('--jobs', String(jobs));
  const run = await timed(args, timeFile);
  const match = SUMMARY.exec(run.stderr);
  // The summary block (summary line and its indented detail lines) and any warnings, for the report.
  const lines = run.stderr.split('\n');
  const at = lines.findIndex((l) => SUMMARY.test(l));
  const details =
    at < 0
      ? []
      : lines
          .slice(at + 1)
          .filter((l) => l.startsWith('  '))
          .map((l) => l.trim());
  const warnings = lines.filter((l) => l.startsWith('lurescan: warning:')).map((l) => l.slice('lurescan: warning: '.length));
  return {
    ...run,
    details,
    warnings,
    summaryLine: match ? match[0] : undefined,
    read: match ? Number(match[1]) : undefined,
    scored: match ? Number(match[2]) : undefined,
    errors: match ? Number(match[3]) : undefined,
  };
}

async function runPapa(dump, timeFile) {
  const run = await timed([fileURLToPath(import.meta.url), '--papa-child', dump], timeFile, { keepStdout: true });
  return { ...run, rows: Number(run.stdout.trim()) };
}

// ---------------------------------------------------------------------------------------------
// Report

const MB = 1024 * 1024;
const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const int = (n) => (n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function bench() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const entry = path.join(repoRoot, 'dist', 'cli', 'main.js');
  if (!existsSync(entry)) {
    process.stderr.write(`bench: ${path.relative(repoRoot, entry)} is missing; run \`npm run build\` first\n`);
    process.exit(2);
  }
  if (!existsSync(GNU_TIME)) log(`note: ${GNU_TIME} not found; times are wall clock from this process and peak RSS is not measured`);

  await mkdir(opts.dir, { recursive: true });
  const { groups, postings } = loadSources();
  const { defaultJobs: poolDefault } = await import('../dist/run/pool.js');
  const defaultJobs = poolDefault();
  log(`lurescan bench: node ${process.version}, ${availableParallelism()} CPU(s); scan default --jobs ${defaultJobs}`);
  log(`source postings: ${postings.length} distinct (${groups.map((g) => `${g.name} ${g.postings.length}`).join(', ')})`);
  if (!existsSync(sharedData)) log(`  (${sharedData} not found: fixtures only)`);
  log(`sizes: ${opts.sizes.join(', ')}; --jobs 1 also at: ${[...opts.jobsOneSizes].filter((s) => opts.sizes.includes(s)).join(', ') || 'none'}`);
  log();

  // Start-up (issue 17): what a hook, a review queue or a sharded engine pays per call. Median of 3.
  const one = path.join(opts.dir, 'one-posting.jsonl');
  await writeFile(
    one,
    `${JSON.stringify({ id: 'one', title: 'Typist', description: 'Typing job in Sihanoukville, free flight and visa, contact Telegram' })}\n`,
  );
  const startup = [];
  for (const [name, args] of [
    ['--help', ['--help']],
    ['scan, one posting', ['scan', one, '--format', 'jsonl']],
    ['scan, one posting, --jobs 0', ['scan', one, '--format', 'jsonl', '--jobs', '0']],
    ['scan, one posting, --no-model', ['scan', one, '--format', 'jsonl', '--no-model']],
  ]) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await timed([path.join(repoRoot, 'bin', 'lurescan.js'), ...args], path.join(opts.dir, `time-${process.pid}.txt`)));
    runs.sort((a, b) => a.seconds - b.seconds);
    const median = runs[1];
    startup.push({ name, seconds: median.seconds, peakRssMB: median.rssKb === null ? null : median.rssKb / 1024 });
    log(`start-up: ${name}: ${fmt(median.seconds, 2)} s, ${median.rssKb === null ? 'n/a' : `${fmt(median.rssKb / 1024, 0)} MB`} peak RSS (median of 3)`);
  }
  await rm(one, { force: true });
  log();

  const results = [];
  let lost = false;
  for (const size of opts.sizes) {
    const dump = path.join(opts.dir, `dump-${size}.csv`);
    const timeFile = path.join(opts.dir, `time-${process.pid}.txt`);
    const built = Date.now();
    await writeDump(dump, size, postings);
    const bytes = (await stat(dump)).size;
    log(`${size} rows: wrote ${path.relative(process.cwd(), dump)} (${fmt(bytes / MB)} MB) in ${fmt((Date.now() - built) / 1000)} s`);

    const papa = await runPapa(dump, timeFile);
    if (papa.code !== 0 || papa.rows !== size) {
      log(`  papaparse alone: exit ${papa.code}, ${papa.rows} rows (expected ${size}) ${papa.stderr.trim()}`);
      lost = true;
    }
    const jobsList = [undefined, ...(opts.jobsOneSizes.has(size) && defaultJobs !== 1 ? [1] : [])];
    for (const jobs of jobsList) {
      const scan = await runScan(dump, jobs, timeFile);
      const label = jobs === undefined ? `default (${defaultJobs})` : String(jobs);
      const ok = scan.code === 0 && scan.read === size;
      if (!ok) lost = true;
      log(
        `  scan --jobs ${label}: ${fmt(scan.seconds, 2)} s; ${scan.summaryLine ?? '(no summary line)'}${ok ? '' : `  <-- FAIL: exit ${scan.code}, read ${scan.read} of ${size} rows written`}`,
      );
      for (const line of scan.details) log(`      ${line}`);
      for (const line of scan.warnings.slice(0, 5)) log(`      warning: ${line}`);
      if (scan.warnings.length > 5) log(`      (${scan.warnings.length - 5} more warnings)`);
      if (!ok && scan.stderr.trim())
        log(
          scan.stderr
            .trim()
            .split('\n')
            .map((l) => `    | ${l}`)
            .join('\n'),
        );
      results.push({
        rows: size,
        fileMB: bytes / MB,
        jobs: jobs ?? defaultJobs,
        jobsDefault: jobs === undefined,
        scanSeconds: scan.seconds,
        postingsPerSecond: size / scan.seconds,
        mbPerSecond: bytes / MB / scan.seconds,
        peakRssMB: scan.rssKb === null ? null : scan.rssKb / 1024,
        read: scan.read ?? null,
        scored: scan.scored ?? null,
        errors: scan.errors ?? null,
        summary: scan.summaryLine ?? null,
        summaryDetails: scan.details,
        warnings: scan.warnings,
        exitCode: scan.code,
        papaSeconds: papa.seconds,
        papaRows: papa.rows,
        papaPeakRssMB: papa.rssKb === null ? null : papa.rssKb / 1024,
        scanOverPapa: scan.seconds / papa.seconds,
        ok: ok && papa.rows === size,
      });
    }
    if (!opts.keep) await rm(dump, { force: true });
  }

  log();
  log(
    table(
      ['rows', 'file MB', 'jobs', 'scan s', 'postings/s', 'MB/s', 'peak RSS MB', 'papaparse s', 'papa RSS MB', 'scan/papa'],
      results.map((r) => [
        int(r.rows),
        fmt(r.fileMB),
        String(r.jobs),
        fmt(r.scanSeconds, 2),
        int(r.postingsPerSecond),
        fmt(r.mbPerSecond, 2),
        fmt(r.peakRssMB),
        fmt(r.papaSeconds, 2),
        fmt(r.papaPeakRssMB),
        `${fmt(r.scanOverPapa)}x`,
      ]),
    ),
  );

  const defaults = results.filter((r) => r.jobsDefault);
  let flatness = null;
  if (defaults.length >= 2 && defaults[0].peakRssMB && defaults.at(-1).peakRssMB) {
    const small = defaults[0];
    const large = defaults.at(-1);
    flatness = large.peakRssMB / small.peakRssMB;
    log();
    log(
      `memory: peak RSS at ${int(large.rows)} rows / at ${int(small.rows)} rows = ${fmt(large.peakRssMB)} / ${fmt(small.peakRssMB)} MB = ${fmt(flatness, 2)}` +
        ` (input grew ${fmt(large.rows / small.rows)}x; ${flatness < 1.3 ? 'flat' : 'NOT flat: want < 1.30'})`,
    );
  }
  const fingerprints = new Set(results.flatMap((r) => r.summaryDetails.map((d) => /fingerprint (\w+)/.exec(d)?.[1]).filter(Boolean)));
  if (fingerprints.size > 1) log(`note: the rule set changed while the bench ran (fingerprints ${[...fingerprints].join(', ')}); runs are not comparable`);
  log(lost ? 'rows: FAIL, a scan or parse did not account for every row written' : 'rows: every scan read exactly the rows written (read = scored + errors)');
  // Remove the bench folder only when this run left it empty.
  if (!opts.keep) await rmdir(opts.dir).catch(() => {});
  if (opts.json)
    log(
      JSON.stringify(
        { node: process.version, cpus: availableParallelism(), defaultJobs, sourcePostings: postings.length, startup, results, rssRatio: flatness, ok: !lost },
        null,
        2,
      ),
    );
  process.exitCode = lost ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Child mode: papaparse alone, configured as lurescan's CSV reader configures it, counting rows.
// Run as its own process under GNU time so its RSS is comparable with the scan's.
function papaChild() {
  const file = process.argv[3];
  let rows = 0;
  Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
    header: false,
    delimiter: '',
    skipEmptyLines: 'greedy',
    step: () => {
      rows++;
    },
    complete: () => {
      // The header is row 1; print data rows only.
      process.stdout.write(`${Math.max(0, rows - 1)}\n`);
    },
    error: (error) => {
      process.stderr.write(`papaparse failed: ${error.message}\n`);
      process.exitCode = 1;
    },
  });
}

if (process.argv[2] === '--papa-child') papaChild();
else await bench();
