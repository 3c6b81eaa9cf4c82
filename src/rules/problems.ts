// A problem as a line: `file:line: rule X field `f`: severity CODE: message`. One format for a
// broken rule set refused by scan, `rules lint`'s text and JUnit, and rescore's refusal.
import type { FileProblem } from '../contracts/problem.js';

/** One problem as a line, located by file and line, rule and field when known. */
export function formatProblem(problem: FileProblem): string {
  return paintedProblem(problem, (text) => text);
}

/** `formatProblem` with the severity and code coloured by `paint`. */
export function paintedProblem(problem: FileProblem, paint: (text: string) => string): string {
  const where = `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`;
  const rule = problem.rule ? ` rule ${problem.rule}` : '';
  const field = problem.field ? ` field \`${problem.field}\`` : '';
  return `${where}:${rule}${field}: ${paint(`${problem.severity} ${problem.code}`)}: ${problem.message}`;
}
