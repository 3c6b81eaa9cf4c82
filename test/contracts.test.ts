// One shape for "something is wrong here" (src/contracts/problem.ts, errors.ts): the thrown kinds
// carry codes and are LurescanErrors, and problems print and export the same wherever they come from.
import { describe, expect, it } from 'vitest';
import { LurescanError } from '../src/contracts/errors.js';
import type { Problem } from '../src/contracts/problem.js';
import { FetchFailure } from '../src/input/web/failure.js';
import { loadScorer, ModelFormatError } from '../src/model/model.js';
import { formatProblem, paintedProblem } from '../src/rules/problems.js';
import { toSarif } from '../src/toolkit/sarif.js';

describe('errors', () => {
  it('gives a damaged model file the code MODEL_INVALID, as a LurescanError', () => {
    let thrown: unknown;
    try {
      loadScorer('{"format": "lurescan-naive-bayes", "vers');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ModelFormatError);
    expect(thrown).toBeInstanceOf(LurescanError);
    expect(thrown).toMatchObject({ code: 'MODEL_INVALID', name: 'ModelFormatError', message: expect.stringMatching(/^not JSON/) });
  });

  it('makes a failed fetch a LurescanError with its code and details', () => {
    const failure = new FetchFailure('FETCH_HTTP', 'https://example.org/: HTTP 503', { retryable: true, status: 503 });
    expect(failure).toBeInstanceOf(LurescanError);
    expect(failure).toMatchObject({ code: 'FETCH_HTTP', name: 'FetchFailure', details: { retryable: true, status: 503 } });
  });
});

describe('problems', () => {
  const problem: Problem & { file: string } = {
    severity: 'warning',
    file: 'rules/x.yaml',
    line: 12,
    rule: 'EF-X',
    field: 'examples',
    code: 'NO_EXAMPLES',
    message: 'add one',
  };

  it('print as one line, painted or not', () => {
    expect(formatProblem(problem)).toBe('rules/x.yaml:12: rule EF-X field `examples`: warning NO_EXAMPLES: add one');
    expect(paintedProblem(problem, (t) => `<${t}>`)).toBe('rules/x.yaml:12: rule EF-X field `examples`: <warning NO_EXAMPLES>: add one');
    expect(formatProblem({ severity: 'error', file: 'a.yaml', rule: 'R', code: 'SCHEMA', message: 'bad' })).toBe('a.yaml: rule R: error SCHEMA: bad');
  });

  it('go into SARIF with their severity as the level, and their place', () => {
    const sarif = JSON.parse(toSarif([problem, { severity: 'error', code: 'CASE_FAILED', message: 'flagged' }], {}, { cwd: '/repo' }));
    const [located, bare] = sarif.runs[0].results;
    expect(located).toMatchObject({
      ruleId: 'NO_EXAMPLES',
      level: 'warning',
      message: { text: 'EF-X: add one' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'rules/x.yaml' }, region: { startLine: 12 } } }],
      properties: { lurescanRule: 'EF-X' },
    });
    expect(bare).toEqual({ ruleId: 'CASE_FAILED', ruleIndex: 0, level: 'error', message: { text: 'flagged' } });
  });
});
