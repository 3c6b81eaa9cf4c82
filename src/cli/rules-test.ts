// `lurescan rules test`: every rule's match/nomatch examples and the fixture cases (ok.* / ng.*
// folders) scored (toolkit/test.ts), the results written as text, JSON, SARIF or JUnit; exit 1 on
// a failure.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../contracts/problem.js';
import { readRuleFiles } from '../input/rule-files.js';
import { DEFAULT_RULES_DIR, PACKAGE_ROOT } from '../paths.js';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import { assembleRuleFiles } from '../run/rules.js';
import { openPools } from '../toolkit/corpus.js';
import { sarifPlace } from '../toolkit/git.js';
import { PROBLEM_CODES } from '../toolkit/problem-codes.js';
import { testJUnit, testText } from '../toolkit/render.js';
import { toSarif } from '../toolkit/sarif.js';
import { runCases, runExamples, type TestCase } from '../toolkit/test.js';
import { parseScoringFlags, reportColor } from './flags.js';
import type { TestOptions } from './commands/rules.js';
import { writeReport, type CliIO } from './io.js';

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

/** Failed cases as SARIF results: an example names its rule, a broken rule set its problem's code. */
function failedAsProblems(cases: readonly TestCase[]): Problem[] {
  return cases
    .filter((c) => c.status === 'failed')
    .map((c) => ({
      code: c.suite === 'examples' ? 'EXAMPLE_FAILED' : c.suite === 'ruleset' ? c.name.split(' ')[0]! : 'CASE_FAILED',
      severity: 'error',
      message: c.message ?? 'failed',
      ...(c.file ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
      ...(c.suite === 'examples' ? { rule: c.group } : {}),
    }));
}

export async function runTest(paths: string[], options: TestOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const scoring = parseScoringFlags(options, io);
  const locations = paths.length > 0 ? paths : [DEFAULT_RULES_DIR];
  const shippedCases = path.join(PACKAGE_ROOT, 'fixtures', 'cases');
  const cases: TestCase[] = [];
  for (const location of locations) {
    const files = await readRuleFiles(location);
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
  let text: string;
  if (format === 'json') text = `${JSON.stringify({ cases }, null, 2)}\n`;
  else if (format === 'junit') text = testJUnit(cases);
  else if (format === 'sarif') text = toSarif(failedAsProblems(cases), PROBLEM_CODES, await sarifPlace(locations[0]!, io.cwd));
  else text = testText(cases, reportColor(options, io));
  await writeReport(text, options.out, io);
  return cases.some((c) => c.status === 'failed') ? 1 : 0;
}
