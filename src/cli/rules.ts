// `lurescan rules lint|test|diff|stats`: the rule toolkit for authors and CI. Thin: options are
// checked here, the work is in src/toolkit/.
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { DEFAULT_RULES_DIR, PACKAGE_ROOT } from '../paths.js';
import { readRuleFiles } from '../input/rule-files.js';
import { assembleRuleFiles } from '../run/rules.js';
import type { RuleFileText, RuleSetDefinition } from '../rules/ruleset.js';
import { LurescanError } from '../types.js';
import { openPools, readCorpus, type CorpusOptions, type ScoringOptions } from '../toolkit/corpus.js';
import { parseLabelMap } from '../contracts/labels.js';
import type { Problem } from '../contracts/problem.js';
import { parseMapOption } from '../input/fields.js';
import { diffRuleSets, failureReasons } from '../toolkit/diff.js';
import { diffMarkdown, diffText } from '../toolkit/diff-render.js';
import { readRulesAtRef, repositoryRoot } from '../toolkit/git.js';
import { lintRuleFiles, type LintReport } from '../toolkit/lint.js';
import { DEFAULT_REDOS_CACHE } from '../toolkit/redos.js';
import { toSarif, type SarifOptions } from '../toolkit/sarif.js';
import { PROBLEM_CODES } from '../toolkit/problem-codes.js';
import { ruleStats, statsMarkdown, statsText } from '../toolkit/stats.js';
import { runCases, runExamples, type TestCase } from '../toolkit/test.js';
import { lintJUnit, lintText, testJUnit, testText } from '../toolkit/render.js';
import { writeWholeFile, type CliIO } from './io.js';
import { DEFAULT_BUDGET_MS } from '../run/budget.js';
import { colorFor, wholeNumber } from './flags.js';
import { formatProblem } from '../rules/problems.js';

interface CommonOptions {
  format?: string;
  out?: string;
  color?: string | boolean;
  jobs?: string;
  timeBudget?: string;
}

/** Where SARIF URIs are relative to: the repository holding the rules (GitHub matches them there), else the working folder. */
async function sarifPlace(rules: string, io: CliIO): Promise<SarifOptions> {
  const root = await repositoryRoot(path.resolve(io.cwd, rules));
  return { cwd: io.cwd, ...(root !== undefined ? { root: await realpath(root).catch(() => root) } : {}) };
}

function colorOf(options: CommonOptions, io: CliIO): ChalkInstance {
  return colorFor(options.color, io.env, !options.out && io.stdout.isTTY === true);
}

function scoringOptions(options: CommonOptions, io: CliIO): ScoringOptions {
  return {
    ...(options.jobs !== undefined ? { jobs: wholeNumber(options.jobs, '--jobs', 0)! } : {}),
    budgetMs: wholeNumber(options.timeBudget, '--time-budget', 1) ?? DEFAULT_BUDGET_MS,
    onWarning: (message) => io.stderr.write(`lurescan: warning: ${message}\n`),
  };
}

async function emit(text: string, options: CommonOptions, io: CliIO): Promise<void> {
  if (!options.out) {
    io.stdout.write(text);
    return;
  }
  await writeWholeFile(options.out, text);
}

/** A path as shown to users: relative to the working folder `cwd`. */
const display = (p: string, cwd: string): string => path.relative(cwd, p) || p;

// ---- lint ----

export interface LintCommandOptions extends CommonOptions {
  strict?: boolean;
  cache?: boolean;
  redosTimeout?: string;
}

export async function runLint(paths: string[], options: LintCommandOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const timeoutMs = wholeNumber(options.redosTimeout, '--redos-timeout', 1) ?? 3000;
  const locations = paths.length > 0 ? paths : [DEFAULT_RULES_DIR];
  const reports: LintReport[] = [];
  for (const location of locations) {
    const files = await readRuleFiles(location);
    reports.push(await lintRuleFiles(files, { redos: { timeoutMs, ...(options.cache !== false ? { cacheFile: DEFAULT_REDOS_CACHE } : {}) } }));
  }
  const findings = reports.flatMap((r) => r.findings);
  if (format === 'json')
    await emit(
      `${JSON.stringify({ findings, rules: reports.reduce((n, r) => n + r.rules.length, 0), files: reports.flatMap((r) => r.files) }, null, 2)}\n`,
      options,
      io,
    );
  else if (format === 'sarif') await emit(toSarif(findings, PROBLEM_CODES, await sarifPlace(locations[0]!, io)), options, io);
  else if (format === 'junit') await emit(lintJUnit(reports, findings), options, io);
  else await emit(lintText(reports, findings, colorOf(options, io)), options, io);
  const failing = findings.filter((f) => f.severity === 'error' || (options.strict && f.severity === 'warning'));
  return failing.length > 0 ? 1 : 0;
}

// ---- test ----

export interface TestOptions extends CommonOptions {
  cases?: string | boolean;
}

function isShipped(location: string): boolean {
  return path.resolve(location) === path.resolve(DEFAULT_RULES_DIR);
}

/** The rule set's own errors as failed checks: tests of a broken rule set cannot pass. */
function loadFailures(ruleset: RuleSetDefinition): TestCase[] {
  return ruleset.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({
      suite: 'ruleset',
      group: p.file,
      name: `${p.code} ${p.rule ?? ''}`.trim(),
      status: 'failed' as const,
      message: `${p.rule ? `rule ${p.rule}: ` : ''}${p.code}: ${p.message} (run \`lurescan rules lint\`)`,
      file: p.file,
      ...(p.line !== undefined ? { line: p.line } : {}),
    }));
}

/** Fixture cases kept beside a rules folder, as the shipped ones are: `../fixtures/cases`, `../cases`, or `cases` inside it. */
function casesBeside(location: string): string | undefined {
  const dir = path.resolve(location);
  return [path.join(path.dirname(dir), 'fixtures', 'cases'), path.join(path.dirname(dir), 'cases'), path.join(dir, 'cases')].find((candidate) =>
    existsSync(candidate),
  );
}

export async function runTest(paths: string[], options: TestOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const scoring = scoringOptions(options, io);
  const locations = paths.length > 0 ? paths : [DEFAULT_RULES_DIR];
  const shippedCases = path.join(PACKAGE_ROOT, 'fixtures', 'cases');
  const cases: TestCase[] = [];
  for (const location of locations) {
    const files: RuleFileText[] = await readRuleFiles(location);
    const ruleset = await assembleRuleFiles(files);
    cases.push(...loadFailures(ruleset));
    const casesDir =
      typeof options.cases === 'string'
        ? options.cases
        : options.cases === false
          ? undefined
          : isShipped(location) && existsSync(shippedCases)
            ? shippedCases
            : casesBeside(location);
    if (casesDir === undefined && options.cases === undefined) {
      io.stderr.write(
        `lurescan: note: no fixture cases run for ${location}: no fixtures/cases or cases folder beside it; name one with --cases <dir> (or --no-cases to say you meant it)\n`,
      );
    }
    const [pool] = openPools([ruleset], scoring);
    try {
      cases.push(...(await runExamples(ruleset, files, pool!)));
      if (casesDir !== undefined) cases.push(...(await runCases(casesDir, pool!)));
    } finally {
      await pool!.close();
    }
  }
  if (format === 'json') await emit(`${JSON.stringify({ cases }, null, 2)}\n`, options, io);
  else if (format === 'junit') await emit(testJUnit(cases), options, io);
  else if (format === 'sarif') {
    const failed = cases.filter((c) => c.status === 'failed');
    const findings: Problem[] = failed.map((c) => ({
      code: c.suite === 'examples' ? 'EXAMPLE_FAILED' : c.suite === 'ruleset' ? c.name.split(' ')[0]! : 'CASE_FAILED',
      severity: 'error',
      message: c.message ?? 'failed',
      ...(c.file ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
      ...(c.suite === 'examples' ? { rule: c.group } : {}),
    }));
    await emit(toSarif(findings, PROBLEM_CODES, await sarifPlace(locations[0]!, io)), options, io);
  } else await emit(testText(cases, colorOf(options, io)), options, io);
  return cases.some((c) => c.status === 'failed') ? 1 : 0;
}

// ---- diff and stats ----

/** `--label`, `--map`, `--label-map`: how a labelled corpus is read, as for train and eval. */
interface CorpusFlags {
  label?: string;
  map?: string;
  labelMap?: string;
}

function corpusOptions(options: CorpusFlags): CorpusOptions {
  const map = parseMapOption(options.map);
  if (options.label !== undefined) map.label = options.label;
  let labelMap;
  try {
    labelMap = parseLabelMap(options.labelMap);
  } catch (error) {
    throw new LurescanError('USAGE', (error as Error).message);
  }
  return { map, labelMap };
}

export interface DiffOptions extends CommonOptions, CorpusFlags {
  base: string;
  rules?: string;
  failOn?: string;
  tolerance?: string;
}

/** A rule set that must load cleanly to be compared or measured (assembled and planned through the rule-set cache). */
async function usable(files: RuleFileText[], what: string): Promise<RuleSetDefinition> {
  const ruleset = await assembleRuleFiles(files);
  const errors = ruleset.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new LurescanError('BAD_RULES', `the ${what} rule set has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
  return ruleset;
}

function defaultCorpus(cwd: string): string {
  const local = path.resolve(cwd, 'fixtures', 'postings');
  return existsSync(local) ? local : path.join(PACKAGE_ROOT, 'fixtures', 'postings');
}

export async function runDiff(corpus: string[], options: DiffOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const failOn = options.failOn;
  if (failOn !== undefined && failOn !== 'regression' && failOn !== 'change')
    throw new LurescanError('USAGE', `--fail-on must be regression or change (got \`${failOn}\`)`);
  const tolerance = options.tolerance === undefined ? 0.01 : Number(options.tolerance);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 1)
    throw new LurescanError('USAGE', `--tolerance must be a number from 0 to 1 (got \`${options.tolerance}\`)`);
  const headDir = options.rules ?? DEFAULT_RULES_DIR;
  const head = await usable(await readRuleFiles(headDir), 'head');
  const baseIsPath = await stat(options.base).then(
    () => true,
    () => false,
  );
  const base = await usable(baseIsPath ? await readRuleFiles(options.base) : await readRulesAtRef(options.base, headDir), `base (${options.base})`);
  const inputs = corpus.length > 0 ? corpus : [defaultCorpus(io.cwd)];
  for (const input of inputs) if (!existsSync(input)) throw new LurescanError('INPUT_NOT_FOUND', `input ${input} does not exist`);
  const [basePool, headPool] = openPools([base, head], scoringOptions(options, io));
  let report;
  try {
    report = await diffRuleSets(
      { name: options.base, ruleset: base, pool: basePool! },
      { name: options.rules ? display(options.rules, io.cwd) : 'rules/ (working tree)', ruleset: head, pool: headPool! },
      { inputs: inputs.map((input) => display(input, io.cwd)), postings: readCorpus(inputs, corpusOptions(options)) },
    );
  } finally {
    await Promise.all([basePool!.close(), headPool!.close()]);
  }
  const failures = failOn ? failureReasons(report, failOn as 'regression' | 'change', tolerance) : [];
  if (format === 'json') await emit(`${JSON.stringify({ ...report, failures }, null, 2)}\n`, options, io);
  else if (format === 'markdown') await emit(diffMarkdown(report, failures), options, io);
  else await emit(diffText(report, colorOf(options, io), failures), options, io);
  return failures.length > 0 ? 1 : 0;
}

export interface StatsOptions extends CommonOptions, CorpusFlags {
  rules?: string;
}

export async function runStats(inputs: string[], options: StatsOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const ruleset = await usable(await readRuleFiles(options.rules ?? DEFAULT_RULES_DIR), 'given');
  for (const input of inputs) if (!existsSync(input)) throw new LurescanError('INPUT_NOT_FOUND', `input ${input} does not exist`);
  const [pool] = openPools([ruleset], scoringOptions(options, io));
  let report;
  try {
    report = await ruleStats(ruleset, pool!, { inputs: inputs.map((input) => display(input, io.cwd)), postings: readCorpus(inputs, corpusOptions(options)) });
  } finally {
    await pool!.close();
  }
  if (report.postings === 0) throw new LurescanError('NO_POSTINGS', `no postings could be scored from ${inputs.join(', ')}`);
  if (format === 'json') await emit(`${JSON.stringify(report, null, 2)}\n`, options, io);
  else if (format === 'markdown') await emit(statsMarkdown(report), options, io);
  else await emit(statsText(report, colorOf(options, io)), options, io);
  return 0;
}
