// `lurescan rules lint`: every rule set named is read and checked (toolkit/lint.ts), and the
// findings written as text, JSON, SARIF or JUnit; exit 1 on errors (on warnings too with --strict).
import { readRuleFiles } from '../input/rule-files.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { sarifPlace } from '../toolkit/git.js';
import { lintRuleFiles, type LintReport } from '../toolkit/lint.js';
import { PROBLEM_CODES } from '../toolkit/problem-codes.js';
import { DEFAULT_REDOS_CACHE, DEFAULT_REDOS_SEED } from '../toolkit/redos.js';
import { lintJUnit, lintText } from '../toolkit/render.js';
import { toSarif } from '../toolkit/sarif.js';
import { reportColor, wholeNumber } from './flags.js';
import type { LintCommandOptions } from './commands/rules.js';
import { EXIT_FINDINGS, EXIT_OK, writeReport, type CliIO } from './io.js';

export async function runLint(paths: string[], options: LintCommandOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const timeoutMs = wholeNumber(options.redosTimeout, '--redos-timeout', 1) ?? 3000;
  const locations = paths.length > 0 ? paths : [DEFAULT_RULES_DIR];
  const reports: LintReport[] = [];
  for (const location of locations) {
    const files = await readRuleFiles(location);
    reports.push(
      await lintRuleFiles(files, {
        redos: { timeoutMs, ...(options.cache !== false ? { cacheFile: DEFAULT_REDOS_CACHE, seedFile: DEFAULT_REDOS_SEED } : {}) },
      }),
    );
  }
  const findings = reports.flatMap((r) => r.findings);
  let text: string;
  if (format === 'json')
    text = `${JSON.stringify({ findings, rules: reports.reduce((n, r) => n + r.rules.length, 0), files: reports.flatMap((r) => r.files) }, null, 2)}\n`;
  else if (format === 'sarif') text = toSarif(findings, PROBLEM_CODES, await sarifPlace(locations[0]!, io.cwd));
  else if (format === 'junit') text = lintJUnit(reports, findings);
  else text = lintText(reports, findings, reportColor(options, io));
  await writeReport(text, options.out, io);
  const failing = findings.filter((f) => f.severity === 'error' || (options.strict && f.severity === 'warning'));
  return failing.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
