// A whole rule set: every file parsed, cross-file checks (duplicate ids, dangling references), scoring
// merged, and a fingerprint for reproducible runs. Pure: callers pass the file texts.
import { createHash } from 'node:crypto';
import type { CompilePlan } from './engine.js';
import type { RuleFileText } from '../contracts/rule-file.js';
import { DEFAULT_SCORING, parseRuleFile, type Problem, type RuleDef, type ScoringConfig } from './schema.js';

export type { RuleFileText } from '../contracts/rule-file.js';

export interface RuleSetDefinition {
  rules: RuleDef[];
  scoring: ScoringConfig;
  problems: Problem[];
  files: string[];
  /** The file that holds the `scoring` section, when one does (`rescore --write` updates it). */
  scoringFile?: string;
  /** sha256 over the files' paths inside the rule set and their contents: two runs with the same fingerprint used the same rules. */
  fingerprint: string;
  /** What compiling its matchers works out beforehand (engine.ts `planRuleSet`): filled and cached by `loadRuleSet`. */
  plan?: CompilePlan;
}

export function assembleRuleSet(files: readonly RuleFileText[]): RuleSetDefinition {
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const problems: Problem[] = [];
  const rules: RuleDef[] = [];
  const scoring: ScoringConfig = structuredClone(DEFAULT_SCORING);
  let scoringFile: string | undefined;
  let pointLines: Record<string, number> = {};
  let noModelLines: Record<string, number> = {};
  const hash = createHash('sha256');
  for (const { file, text, key } of sorted) {
    // Named by its place in the rule set, not by where the run started, so the fingerprint is the same from any folder.
    hash.update(`${key ?? file}\u0000${text}\u0000`);
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
      if (parsed.scoring.reportMute !== undefined) scoring.reportMute = parsed.scoring.reportMute;
      if (parsed.scoring.quoteMute !== undefined) scoring.quoteMute = parsed.scoring.quoteMute;
      if (parsed.scoring.points) scoring.points = parsed.scoring.points;
      if (parsed.scoring.rescored) scoring.rescored = parsed.scoring.rescored;
      if (parsed.scoring.pointsNoModel) scoring.pointsNoModel = parsed.scoring.pointsNoModel;
      if (parsed.scoring.rescoredNoModel) scoring.rescoredNoModel = parsed.scoring.rescoredNoModel;
      pointLines = parsed.pointLines ?? {};
      noModelLines = parsed.noModelLines ?? {};
    }
  }
  const seen = new Map<string, RuleDef>();
  const unique: RuleDef[] = [];
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first) {
      problems.push({
        severity: 'error',
        file: rule.origin.file,
        line: rule.origin.line,
        rule: rule.id,
        field: 'id',
        code: 'DUPLICATE_ID',
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
  const rulesWithPoints = applyLearnedPoints(unique, scoring, { file: scoringFile ?? '(scoring)', lines: pointLines, noModelLines }, problems);
  if (unique.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push({ severity: 'error', file: sorted[0]?.file ?? '(rules)', code: 'NO_RULES', message: 'the rule set holds no rules' });
  }
  return {
    rules: rulesWithPoints,
    scoring,
    problems,
    files: sorted.map((f) => f.file),
    ...(scoringFile !== undefined ? { scoringFile } : {}),
    fingerprint: hash.digest('hex'),
  };
}

/**
 * The scoring file's learned points laid over the rules' own, here where the set is assembled so
 * that every consumer (scan, eval, the rule toolkit, the hits in verdicts) scores with the same
 * points. An entry for an unknown rule, or with the wrong sign for its rule (legitimacy rules take 0
 * or less, every other rule 0 or more), is a located error and is not applied.
 */
function applyLearnedPoints(
  rules: readonly RuleDef[],
  scoring: ScoringConfig,
  where: { file: string; lines: Record<string, number>; noModelLines: Record<string, number> },
  problems: Problem[],
): RuleDef[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const check = (entries: Record<string, number>, key: string, lines: Record<string, number>): Map<string, number> => {
    const valid = new Map<string, number>();
    for (const [id, points] of Object.entries(entries)) {
      const rule = byId.get(id);
      const line = lines[id];
      const report = (message: string): void => {
        problems.push({
          severity: 'error',
          file: where.file,
          ...(line !== undefined ? { line } : {}),
          rule: id,
          field: `scoring.${key}.${id}`,
          code: 'BAD_SCORING',
          message,
        });
      };
      if (!rule) report(`learned points for ${id}, which is not a rule of this set`);
      else if (rule.category === 'legitimacy' && points > 0) report(`${id} is a legitimacy rule: its points must be 0 or negative (got ${points})`);
      else if (rule.category !== 'legitimacy' && points < 0)
        report(`${id} is a ${rule.category} rule: its points must be 0 or more (got ${points}); only legitimacy rules count against a label`);
      else valid.set(id, points);
    }
    return valid;
  };
  const learned = check(scoring.points, 'points', where.lines);
  if (scoring.pointsNoModel !== undefined) {
    // Every rule's points for a posting the model does not judge: learned without the model, else its own file's.
    const noModel = check(scoring.pointsNoModel, 'points-no-model', where.noModelLines);
    scoring.noModel = Object.fromEntries(rules.map((rule) => [rule.id, noModel.get(rule.id) ?? rule.points]));
  }
  return rules.map((rule) => {
    const points = learned.get(rule.id);
    return points === undefined ? rule : { ...rule, points, authoredPoints: rule.points };
  });
}

/**
 * sha256 over the rules as their own files define them (learned points left out, where they are
 * defined and comments ignored): what a rescore's points were fitted to, unchanged by the rescore.
 */
export function definitionsFingerprint(rules: readonly RuleDef[]): string {
  const hash = createHash('sha256');
  for (const rule of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const { origin: _origin, authoredPoints, ...definition } = rule;
    hash.update(`${JSON.stringify({ ...definition, points: authoredPoints ?? rule.points })}\u0000`);
  }
  return hash.digest('hex');
}
