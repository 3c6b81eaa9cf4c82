// The rule set a run scores with: loaded (from the cache when it can be) and refused, with every
// located problem, when it has errors.
import { DEFAULT_RULES_DIR } from '../paths.js';
import { formatProblem } from '../rules/problems.js';
import { loadRuleSet } from '../rules/files.js';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import { LurescanError } from '../types.js';

/** Load a rule set, failing with every located problem when it has errors. */
export async function loadRulesOrFail(location: string | undefined): Promise<RuleSetDefinition> {
  return refuseErrors(await loadRuleSet(location ?? DEFAULT_RULES_DIR));
}

/** The rule set itself, or a BAD_RULES error naming every located problem when it has errors. */
export function refuseErrors(ruleset: RuleSetDefinition): RuleSetDefinition {
  const errors = ruleset.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new LurescanError('BAD_RULES', `the rule set has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
  }
  return ruleset;
}
