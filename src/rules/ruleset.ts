// A whole rule set: every file parsed, cross-file checks (duplicate ids, dangling references), scoring
// merged, and a fingerprint for reproducible runs. Pure: callers pass the file texts.
import { createHash } from 'node:crypto';
import { DEFAULT_SCORING, parseRuleFile, type Problem, type RuleDef, type ScoringConfig } from './schema.js';

export interface RuleFileText {
  /** Path as shown in messages (relative to the rules folder's parent when possible). */
  file: string;
  text: string;
}

export interface RuleSetDefinition {
  rules: RuleDef[];
  scoring: ScoringConfig;
  problems: Problem[];
  files: string[];
  /** sha256 over the file names and contents: two runs with the same fingerprint used the same rules. */
  fingerprint: string;
}

export function assembleRuleSet(files: readonly RuleFileText[]): RuleSetDefinition {
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const problems: Problem[] = [];
  const rules: RuleDef[] = [];
  const scoring: ScoringConfig = structuredClone(DEFAULT_SCORING);
  let scoringFile: string | undefined;
  const hash = createHash('sha256');
  for (const { file, text } of sorted) {
    hash.update(`${file}\u0000${text}\u0000`);
    const parsed = parseRuleFile(text, file);
    problems.push(...parsed.problems);
    rules.push(...parsed.rules);
    if (parsed.scoring) {
      if (scoringFile !== undefined) {
        problems.push({ severity: 'error', file, code: 'DUPLICATE_SCORING', message: `a second \`scoring\` section (the first is in ${scoringFile})` });
        continue;
      }
      scoringFile = file;
      if (parsed.scoring.thresholds) scoring.thresholds = parsed.scoring.thresholds;
      if (parsed.scoring.caps) scoring.caps = parsed.scoring.caps;
      if (parsed.scoring.defaultCap !== undefined) scoring.defaultCap = parsed.scoring.defaultCap;
      if (parsed.scoring.model) scoring.model = parsed.scoring.model;
      if (parsed.scoring.baseRates) scoring.baseRates = parsed.scoring.baseRates;
    }
  }
  const seen = new Map<string, RuleDef>();
  const unique: RuleDef[] = [];
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first) {
      problems.push({
        severity: 'error', file: rule.origin.file, line: rule.origin.line, rule: rule.id, field: 'id', code: 'DUPLICATE_ID',
        message: `id ${rule.id} is already used in ${first.origin.file}:${first.origin.line}`,
      });
      continue;
    }
    seen.set(rule.id, rule);
    unique.push(rule);
  }
  for (const rule of unique) {
    if (rule.type !== 'combination' || !rule.combine) continue;
    const terms = [...(rule.combine.all ?? []), ...(rule.combine.of ?? []), ...(rule.combine.not ?? [])];
    for (const term of terms) {
      if (term.rule === undefined) continue;
      const target = seen.get(term.rule);
      const message = !target
        ? `combine refers to unknown rule ${term.rule}`
        : target.type === 'combination'
          ? `combine refers to ${term.rule}, a combination rule; terms may refer to pattern rules only`
          : undefined;
      if (message) {
        problems.push({ severity: 'error', file: rule.origin.file, line: rule.origin.line, rule: rule.id, field: 'combine', code: 'BAD_REFERENCE', message });
      }
    }
  }
  if (unique.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push({ severity: 'error', file: sorted[0]?.file ?? '(rules)', code: 'NO_RULES', message: 'the rule set holds no rules' });
  }
  return { rules: unique, scoring, problems, files: sorted.map((f) => f.file), fingerprint: hash.digest('hex') };
}
