// Rule-file parsing: YAML text in (line numbers kept), rule definitions, any scoring section and
// located problems out. Validation is validate.ts's. No I/O.
import YAML, { LineCounter, isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { RuleDef, ScoringConfig, Problem } from './definition.js';
import { problem, validateRule, validateScoring, type Ctx } from './validate.js';

export interface ParsedRuleFile {
  rules: RuleDef[];
  scoring?: Partial<ScoringConfig>;
  /** The line of each learned `points` entry, so the rule set can place the problems it finds in them. */
  pointLines?: Record<string, number>;
  /** The same for `points-no-model`. */
  noModelLines?: Record<string, number>;
  problems: Problem[];
}

/** Parse one rule file's text; returns the valid rules, any scoring section, and every problem found. */
export function parseRuleFile(text: string, file: string): ParsedRuleFile {
  const lines = new LineCounter();
  const ctx: Ctx = { file, lines, problems: [] };
  let doc: Document.Parsed;
  try {
    doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    problem(ctx, undefined, 'YAML_SYNTAX', `not valid YAML: ${(error as Error).message}`);
    return { rules: [], problems: ctx.problems };
  }
  for (const error of doc.errors) {
    const line = error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line;
    ctx.problems.push({ severity: 'error', file, line, code: 'YAML_SYNTAX', message: `not valid YAML: ${error.message.split('\n')[0]}` });
  }
  if (doc.errors.length > 0) return { rules: [], problems: ctx.problems };
  const root = doc.contents;
  if (root === null || root === undefined) {
    problem(ctx, undefined, 'EMPTY_FILE', 'rule file is empty', undefined, undefined, 'warning');
    return { rules: [], problems: ctx.problems };
  }
  if (!isMap(root)) {
    problem(ctx, root, 'SCHEMA', 'a rule file must be a mapping with a `rules:` list (and/or `scoring:`)');
    return { rules: [], problems: ctx.problems };
  }
  ctx.doc = doc;
  const rules: RuleDef[] = [];
  let scoring: Partial<ScoringConfig> | undefined;
  let pointLines: Record<string, number> | undefined;
  let noModelLines: Record<string, number> | undefined;
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (key === 'rules') {
      if (!isSeq(pair.value)) {
        problem(ctx, pair.value ?? pair.key, 'SCHEMA', '`rules` must be a list of rules');
        continue;
      }
      for (const item of pair.value.items) {
        const rule = validateRule(ctx, item as YamlNode);
        if (rule) rules.push(rule);
      }
    } else if (key === 'scoring') {
      pointLines = {};
      noModelLines = {};
      scoring = validateScoring(ctx, pair.value as YamlNode, pointLines, noModelLines);
    } else {
      problem(ctx, pair.key, 'UNKNOWN_KEY', `unknown top-level key \`${key}\` (expected \`rules\` or \`scoring\`)`);
    }
  }
  return { rules, ...(scoring ? { scoring } : {}), ...(pointLines ? { pointLines } : {}), ...(noModelLines ? { noModelLines } : {}), problems: ctx.problems };
}
