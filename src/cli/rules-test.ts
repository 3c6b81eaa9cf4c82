// `lurescan rules test`: every rule's match/nomatch examples and the fixture cases (ok.* / ng.*
// folders) scored (toolkit/test.ts, which also picks the cases folder), the results written as
// text, JSON, SARIF or JUnit; exit 1 on a failure.
import { readRuleFiles } from '../input/rule-files.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { assembleRuleFiles } from '../run/rules.js';
import { openPools } from '../toolkit/corpus.js';
import { sarifPlace } from '../toolkit/git.js';
import { PROBLEM_CODES } from '../toolkit/problem-codes.js';
import { testJUnit, testText } from '../toolkit/render.js';
import { toSarif } from '../toolkit/sarif.js';
import { casesFor, failedAsProblems, loadFailures, runCases, runExamples, type TestCase } from '../toolkit/test.js';
import { parseScoringFlags, reportColor } from './flags.js';
import type { TestOptions } from './commands/rules.js';
import { EXIT_FINDINGS, EXIT_OK, writeReport, type CliIO } from './io.js';

export async function runTest(paths: string[], options: TestOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const scoring = parseScoringFlags(options, io);
  const locations = paths.length > 0 ? paths : [DEFAULT_RULES_DIR];
  const cases: TestCase[] = [];
  for (const location of locations) {
    const files = await readRuleFiles(location);
    const ruleset = await assembleRuleFiles(files);
    cases.push(...loadFailures(ruleset));
    const casesDir = casesFor(location, options.cases);
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
  return cases.some((c) => c.status === 'failed') ? EXIT_FINDINGS : EXIT_OK;
}
