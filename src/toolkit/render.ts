// What `rules lint` and `rules test` print: a text report (coloured when asked) and JUnit XML for
// CI. No I/O: the command writes what these return. (`rules diff` renders in diff-render.ts.)
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { formatProblem, paintedProblem } from '../rules/problems.js';
import { toJUnit, type JUnitSuite } from './junit.js';
import type { Finding, LintReport } from './lint.js';
import type { TestCase } from './test.js';

export function lintText(reports: LintReport[], findings: Finding[], color: ChalkInstance): string {
  const paint = { error: color.red, warning: color.yellow, note: color.cyan };
  const lines = findings.map((f) => paintedProblem(f, paint[f.severity]));
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const rules = reports.reduce((n, r) => n + r.rules.length, 0);
  const files = reports.reduce((n, r) => n + r.files.length, 0);
  const regexes = reports.reduce((n, r) => n + r.regexes, 0);
  lines.push(
    `${rules} rules in ${files} files, ${regexes} regexes checked for ReDoS: ${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} note(s)`,
  );
  return `${lines.join('\n')}\n`;
}

export function lintJUnit(reports: LintReport[], findings: Finding[]): string {
  const suites: JUnitSuite[] = reports.map((report) => {
    const byRule = (id: string | undefined, file: string) => findings.filter((f) => f.rule === id && f.file === file && f.severity === 'error');
    const cases = report.rules.map((r) => {
      const errors = byRule(r.id, r.file);
      return {
        classname: r.file,
        name: r.id,
        file: r.file,
        line: r.line,
        ...(errors.length > 0 ? { failure: { message: `${errors.length} problem(s)`, details: errors.map((f) => formatProblem(f)).join('\n') } } : {}),
      };
    });
    // Problems outside any parsed rule (YAML syntax, duplicates, rules that failed validation).
    for (const f of findings.filter(
      (f) => f.severity === 'error' && !report.rules.some((r) => r.id === f.rule && r.file === f.file) && report.files.includes(f.file),
    )) {
      cases.push({
        classname: f.file,
        name: `${f.rule ?? 'file'} ${f.code} line ${f.line ?? '?'}`,
        file: f.file,
        line: f.line ?? 1,
        failure: { message: f.message, details: formatProblem(f) },
      });
    }
    return { name: `rules lint ${report.files[0] ? path.dirname(report.files[0]) : ''}`.trim(), cases };
  });
  return toJUnit('lurescan rules lint', suites);
}

export function testText(cases: TestCase[], color: ChalkInstance): string {
  const lines: string[] = [];
  for (const c of cases.filter((c) => c.status === 'failed')) {
    lines.push(`${c.file ?? ''}${c.line !== undefined ? `:${c.line}` : ''}: ${color.red('FAIL')} ${c.message}`);
  }
  const count = (s: TestCase['status']) => cases.filter((c) => c.status === s).length;
  const suites = [...new Set(cases.map((c) => c.suite.split('/')[0]))].join(' and ');
  const summary = `${cases.length} ${suites} checks: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
  lines.push(count('failed') > 0 ? color.red(summary) : color.green(summary));
  return `${lines.join('\n')}\n`;
}

export function testJUnit(cases: TestCase[]): string {
  const suites = new Map<string, JUnitSuite>();
  for (const c of cases) {
    const suite = suites.get(c.suite) ?? { name: c.suite, cases: [] };
    suite.cases.push({
      classname: c.suite === 'examples' ? `examples.${c.group}` : c.suite.replace('/', '.'),
      name: c.name,
      ...(c.file ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
      ...(c.status === 'failed' ? { failure: { message: c.message ?? 'failed' } } : {}),
      ...(c.status === 'skipped' ? { skipped: c.message ?? 'skipped' } : {}),
    });
    suites.set(c.suite, suite);
  }
  return toJUnit('lurescan rules test', [...suites.values()]);
}
