// JUnit XML for `rules lint` and `rules test`: one <testcase> per rule (lint) or per example and
// fixture posting (test), so CI test tabs list what failed by name.
export interface JUnitCase {
  classname: string;
  name: string;
  failure?: { message: string; details?: string };
  skipped?: string;
  file?: string;
  line?: number;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

/** Escape for XML 1.0 attributes and text; characters XML cannot hold at all are dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function toJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const count = (s: JUnitSuite, what: 'failure' | 'skipped') => s.cases.filter((c) => c[what] !== undefined).length;
  const total = (what: 'failure' | 'skipped') => suites.reduce((n, s) => n + count(s, what), 0);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${total('failure')}" skipped="${total('skipped')}" errors="0">`,
  ];
  for (const suite of suites) {
    out.push(
      `  <testsuite name="${xml(suite.name)}" tests="${suite.cases.length}" failures="${count(suite, 'failure')}" skipped="${count(suite, 'skipped')}" errors="0">`,
    );
    for (const c of suite.cases) {
      const where = c.file ? ` file="${xml(c.file)}"${c.line !== undefined ? ` line="${c.line}"` : ''}` : '';
      const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}"${where}`;
      if (c.failure)
        out.push(`${open}>`, `      <failure message="${xml(c.failure.message)}">${xml(c.failure.details ?? c.failure.message)}</failure>`, '    </testcase>');
      else if (c.skipped !== undefined) out.push(`${open}>`, `      <skipped message="${xml(c.skipped)}"/>`, '    </testcase>');
      else out.push(`${open}/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
