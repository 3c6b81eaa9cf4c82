// Runs each rule's own match/nomatch examples through the same normalisation and engine as a scan.
import type { FileProblem } from '../contracts/problem.js';
import type { Posting } from '../types.js';
import { compileRuleSet, evaluatePattern, evaluateRules, prepareFields, type CompiledRuleSet } from './engine.js';
import type { Example, RuleDef, ScoringConfig } from './schema.js';

/** An example that does not behave as its rule says: a problem (EXAMPLE_FAILED) at the rule, with the example. */
export interface ExampleFailure extends FileProblem {
  code: 'EXAMPLE_FAILED';
  severity: 'error';
  rule: string;
  line: number;
  expected: 'match' | 'nomatch';
  example: Example;
}

/** An example as a posting: a string is the description (or the rule's first field). */
export function examplePosting(rule: RuleDef, example: Example): Posting {
  if (typeof example !== 'string') return { id: rule.id, source: {}, fields: { ...example } };
  const field = !rule.fields || rule.fields.includes('description') ? 'description' : rule.fields[0]!;
  return { id: rule.id, source: {}, fields: { [field]: example } };
}

function firesOn(set: CompiledRuleSet, rule: RuleDef, posting: Posting): { fired: boolean; why: string } {
  const fields = prepareFields(posting);
  if (rule.type === 'pattern') {
    const compiled = set.patterns.find((p) => p.def.id === rule.id)!;
    const hit = evaluatePattern(compiled, fields);
    return { fired: hit !== undefined, why: hit ? `matched \`${hit.match}\` in ${hit.field}` : 'no matcher matched' };
  }
  const hits = evaluateRules(set, fields);
  const hit = hits.find((h) => h.rule === rule.id);
  const present = hits.filter((h) => h.rule !== rule.id).map((h) => h.rule);
  return {
    fired: hit !== undefined,
    why: hit ? `fired on ${hit.combines?.join(', ')}` : `pattern hits present: ${present.join(', ') || 'none'}`,
  };
}

/** Every example that does not behave as its rule says. Deprecated rules are not checked. */
export function checkExamples(rules: readonly RuleDef[], scoring: ScoringConfig): ExampleFailure[] {
  const set = compileRuleSet(rules, scoring);
  const failures: ExampleFailure[] = [];
  for (const rule of rules) {
    if (rule.status === 'deprecated') continue;
    for (const expected of ['match', 'nomatch'] as const) {
      for (const example of rule.examples[expected]) {
        const { fired, why } = firesOn(set, rule, examplePosting(rule, example));
        if (fired === (expected === 'match')) continue;
        failures.push({
          code: 'EXAMPLE_FAILED',
          severity: 'error',
          rule: rule.id,
          file: rule.origin.file,
          line: rule.origin.line,
          expected,
          example,
          message: expected === 'match' ? `should match but did not (${why})` : `should not match but did (${why})`,
        });
      }
    }
  }
  return failures;
}
