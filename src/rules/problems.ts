// A rule set's problems as lines: `file:line: rule X field `f`: severity CODE: message`.
import type { Problem } from './schema.js';

/** One problem as a line, located by file and line, rule and field when known. */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`;
  const rule = problem.rule ? ` rule ${problem.rule}` : '';
  const field = problem.field ? ` field \`${problem.field}\`` : '';
  return `${where}:${rule}${field}: ${problem.severity} ${problem.code}: ${problem.message}`;
}
