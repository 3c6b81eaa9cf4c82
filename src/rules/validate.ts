// Rule-file validation: each rule, matcher, combination and the scoring section checked against
// the format (docs/rule-format.md), every problem located by file and line. No I/O.
import { type LineCounter, isMap, type Document, type Node as YamlNode } from 'yaml';
import { LABELS, type Label } from '../types.js';
import { keywordsToRegexSource } from './keywords.js';
import { parseBaseRates } from './scoring-values.js';
import {
  type Example,
  type MatcherDef,
  type TermDef,
  type CombineDef,
  type RuleStatus,
  type RuleDef,
  type ScoringConfig,
  type ModelPoints,
  type ModelLevels,
  type ModelLevel,
  type Problem,
  DEFAULT_SCORING,
  allowedCategories,
} from './definition.js';

const RULE_KEYS = new Set([
  'id',
  'type',
  'title',
  'label',
  'category',
  'points',
  'status',
  'languages',
  'except-languages',
  'fields',
  'any',
  'all',
  'not',
  'combine',
  'references',
  'falsepositives',
  'examples',
  'description',
  'severity',
  'author',
  'date',
  'modified',
  'redos-exempt',
  'veto',
  'negatable',
]);
const ID_PATTERN = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;
const STATUSES: readonly RuleStatus[] = ['stable', 'experimental', 'deprecated'];

export interface Ctx {
  file: string;
  lines: LineCounter;
  problems: Problem[];
  /** The parsed document: aliases (`*words`) resolve against its anchors (`&words`). */
  doc?: Document.Parsed;
}

function lineOf(ctx: Ctx, node: unknown): number | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return range ? ctx.lines.linePos(range[0]).line : undefined;
}

export function problem(ctx: Ctx, node: unknown, code: string, message: string, rule?: string, field?: string, severity: Problem['severity'] = 'error'): void {
  const line = lineOf(ctx, node);
  ctx.problems.push({
    severity,
    file: ctx.file,
    ...(line !== undefined ? { line } : {}),
    ...(rule !== undefined ? { rule } : {}),
    ...(field !== undefined ? { field } : {}),
    code,
    message,
  });
}

function nodeAt(map: YamlNode, key: string): YamlNode | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === key);
  return (pair?.value ?? pair?.key) as YamlNode | undefined;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

export function validateRule(ctx: Ctx, node: YamlNode): RuleDef | undefined {
  if (!isMap(node)) {
    problem(ctx, node, 'SCHEMA', 'each entry of `rules` must be a mapping');
    return undefined;
  }
  // Resolved against the document, so a rule may reuse a list anchored in another (`&voice` ... `*voice`).
  const raw = node.toJS(ctx.doc!) as Record<string, unknown>;
  const id = typeof raw.id === 'string' ? raw.id : undefined;
  const before = ctx.problems.filter((p) => p.severity === 'error').length;
  const err = (field: string, code: string, message: string): void => problem(ctx, nodeAt(node, field) ?? node, code, message, id, field);
  const warn = (field: string, code: string, message: string): void => problem(ctx, nodeAt(node, field) ?? node, code, message, id, field, 'warning');

  if (id === undefined) err('id', 'MISSING_FIELD', 'rule has no `id`');
  else if (!ID_PATTERN.test(id)) err('id', 'BAD_ID', `id \`${id}\` must be UPPER-KEBAB-CASE such as FC-DEST-HUB`);
  for (const key of Object.keys(raw)) {
    if (!RULE_KEYS.has(key)) err(key, 'UNKNOWN_KEY', `unknown key \`${key}\``);
  }
  const type = raw.type ?? 'pattern';
  if (type !== 'pattern' && type !== 'combination') err('type', 'BAD_VALUE', '`type` must be `pattern` or `combination`');
  if (typeof raw.title !== 'string' || raw.title.trim() === '') err('title', 'MISSING_FIELD', 'rule needs a `title`');
  const label = raw.label as Label;
  if (!LABELS.includes(label)) err('label', 'BAD_VALUE', `\`label\` must be one of ${LABELS.join(', ')}`);
  const category = raw.category as string;
  if (typeof category !== 'string') err('category', 'MISSING_FIELD', 'rule needs a `category`');
  else if (LABELS.includes(label) && !allowedCategories(label).includes(category)) {
    err('category', 'BAD_VALUE', `category \`${category}\` is not in the taxonomy for ${label} (${allowedCategories(label).join(', ')})`);
  }
  if (typeof raw.points !== 'number' || !Number.isFinite(raw.points)) err('points', 'BAD_VALUE', '`points` must be a number');
  else if (category === 'legitimacy' && raw.points > 0) err('points', 'BAD_VALUE', '`legitimacy` rules take negative points');
  const status = (raw.status ?? 'stable') as RuleStatus;
  if (!STATUSES.includes(status)) err('status', 'BAD_VALUE', `\`status\` must be one of ${STATUSES.join(', ')}`);
  if (raw.languages !== undefined && !isStringList(raw.languages)) err('languages', 'BAD_VALUE', '`languages` must be a list of strings');
  if (raw['except-languages'] !== undefined && (!isStringList(raw['except-languages']) || raw['except-languages'].length === 0)) {
    err('except-languages', 'BAD_VALUE', '`except-languages` must be a non-empty list of language codes (en, km, zh-Hans, ...)');
  }
  if (raw.fields !== undefined && (!isStringList(raw.fields) || raw.fields.length === 0)) {
    err('fields', 'BAD_VALUE', '`fields` must be a non-empty list of field names');
  }
  if (raw.references === undefined) warn('references', 'MISSING_FIELD', 'rule has no `references` (source ids from the domain reference)');
  else if (!isStringList(raw.references)) err('references', 'BAD_VALUE', '`references` must be a list of source ids');
  if (raw.falsepositives !== undefined && typeof raw.falsepositives !== 'string' && !isStringList(raw.falsepositives)) {
    err('falsepositives', 'BAD_VALUE', '`falsepositives` must be text');
  }
  const redosExempt = raw['redos-exempt'];
  if (redosExempt !== undefined && (typeof redosExempt !== 'string' || redosExempt.trim().length < 10)) {
    err('redos-exempt', 'BAD_VALUE', '`redos-exempt` must state the reason the ReDoS check is waived (at least 10 characters)');
  }

  if (raw.veto !== undefined) {
    if (typeof raw.veto !== 'boolean') err('veto', 'BAD_VALUE', '`veto` must be true or false');
    else if (raw.veto && (category !== 'legitimacy' || !(typeof raw.points === 'number' && raw.points < 0))) {
      err('veto', 'BAD_VALUE', '`veto: true` is for legitimacy rules with points below 0');
    }
  }

  if (raw.negatable !== undefined) {
    if (typeof raw.negatable !== 'boolean') err('negatable', 'BAD_VALUE', '`negatable` must be true or false');
    else if (raw.negatable && (type === 'combination' || category === 'legitimacy')) {
      err('negatable', 'BAD_VALUE', '`negatable: true` is for pattern rules that find an offer, not legitimacy or combination rules');
    }
  }

  if (type === 'combination') {
    if (category !== 'combination') err('category', 'BAD_VALUE', 'combination rules take `category: combination`');
    for (const key of ['any', 'all', 'not', 'fields']) {
      if (raw[key] !== undefined) err(key, 'UNKNOWN_KEY', `\`${key}\` is for pattern rules; a combination rule uses \`combine\``);
    }
    validateCombine(raw.combine, (code, message) => err('combine', code, message));
  } else {
    if (category === 'combination') err('category', 'BAD_VALUE', '`category: combination` is for `type: combination` rules');
    if (raw.combine !== undefined) err('combine', 'UNKNOWN_KEY', '`combine` needs `type: combination`');
    if (raw.any === undefined && raw.all === undefined) err('any', 'MISSING_FIELD', 'a pattern rule needs `any` or `all`');
    for (const key of ['any', 'all', 'not'] as const) {
      if (raw[key] !== undefined) validateMatchers(raw[key], (code, message) => err(key, code, message));
    }
  }

  const examples = raw.examples as { match?: unknown; nomatch?: unknown } | undefined;
  if (examples === undefined) warn('examples', 'MISSING_FIELD', 'rule has no `examples` (match and nomatch)');
  else if (typeof examples !== 'object' || examples === null) err('examples', 'BAD_VALUE', '`examples` must have `match` and `nomatch` lists');
  else {
    for (const key of ['match', 'nomatch'] as const) {
      const list = examples[key];
      if (list === undefined) warn('examples', 'MISSING_FIELD', `\`examples.${key}\` is missing`);
      else if (!Array.isArray(list) || !list.every(isExample)) {
        err('examples', 'BAD_VALUE', `\`examples.${key}\` must be a list of strings or field mappings`);
      }
    }
  }
  if (ctx.problems.filter((p) => p.severity === 'error').length > before) return undefined;
  return {
    id: id!,
    type: type as RuleDef['type'],
    title: raw.title as string,
    label,
    category,
    points: raw.points as number,
    status,
    languages: (raw.languages as string[] | undefined) ?? [],
    ...(raw['except-languages'] !== undefined ? { exceptLanguages: raw['except-languages'] as string[] } : {}),
    ...(raw.fields ? { fields: raw.fields as string[] } : {}),
    ...(raw.any ? { any: raw.any as MatcherDef[] } : {}),
    ...(raw.all ? { all: raw.all as MatcherDef[] } : {}),
    ...(raw.not ? { not: raw.not as MatcherDef[] } : {}),
    ...(raw.combine ? { combine: raw.combine as CombineDef } : {}),
    references: (raw.references as string[] | undefined) ?? [],
    ...(raw.falsepositives !== undefined
      ? { falsepositives: Array.isArray(raw.falsepositives) ? raw.falsepositives.join(' ') : (raw.falsepositives as string) }
      : {}),
    ...(typeof redosExempt === 'string' ? { redosExempt: redosExempt.trim() } : {}),
    ...(raw.veto === true ? { veto: true } : {}),
    ...(typeof raw.negatable === 'boolean' ? { negatable: raw.negatable } : {}),
    examples: {
      match: (examples?.match as Example[] | undefined) ?? [],
      nomatch: (examples?.nomatch as Example[] | undefined) ?? [],
    },
    origin: { file: ctx.file, line: lineOf(ctx, node) ?? 1 },
  };
}

function isExample(value: unknown): value is Example {
  if (typeof value === 'string') return true;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

type ReportProblem = (code: string, message: string) => void;

function validateMatchers(value: unknown, report: ReportProblem): void {
  if (!Array.isArray(value) || value.length === 0) {
    report('BAD_VALUE', 'must be a non-empty list of matchers (`- regex: ...` or `- keywords: [...]`)');
    return;
  }
  for (const [i, matcher] of value.entries()) {
    if (typeof matcher !== 'object' || matcher === null) {
      report('BAD_VALUE', `matcher ${i + 1} must be a mapping with \`regex\` or \`keywords\``);
      continue;
    }
    const keys = Object.keys(matcher);
    const m = matcher as MatcherDef;
    if (keys.length !== 1 || (m.regex === undefined && m.keywords === undefined)) {
      report('BAD_VALUE', `matcher ${i + 1} must have exactly one of \`regex\` or \`keywords\` (has ${keys.join(', ') || 'nothing'})`);
      continue;
    }
    if (m.regex !== undefined) {
      if (typeof m.regex !== 'string' || m.regex === '') report('BAD_VALUE', `matcher ${i + 1}: \`regex\` must be a non-empty string`);
      else {
        try {
          new RegExp(m.regex, 'u');
        } catch (error) {
          report('BAD_REGEX', `matcher ${i + 1}: regex does not compile: ${(error as Error).message}`);
        }
      }
    }
    if (m.keywords !== undefined) {
      if (!isStringList(m.keywords) || m.keywords.length === 0 || m.keywords.some((k) => k.trim() === '')) {
        report('BAD_VALUE', `matcher ${i + 1}: \`keywords\` must be a non-empty list of non-empty strings`);
        continue;
      }
      try {
        new RegExp(keywordsToRegexSource(m.keywords), 'u');
      } catch (error) {
        report('BAD_KEYWORD', `matcher ${i + 1}: keywords do not compile: ${(error as Error).message}`);
      }
    }
  }
}

function validateTerms(value: unknown, what: string, report: ReportProblem): void {
  if (!Array.isArray(value) || value.length === 0) {
    report('BAD_VALUE', `\`combine.${what}\` must be a non-empty list of terms ({rule: ID} or {category: NAME})`);
    return;
  }
  for (const [i, term] of value.entries()) {
    const t = term as TermDef;
    const ok =
      typeof term === 'object' &&
      term !== null &&
      Object.keys(term).every((k) => k === 'rule' || k === 'category' || k === 'label') &&
      (typeof t.rule === 'string') !== (typeof t.category === 'string') &&
      (t.label === undefined || LABELS.includes(t.label));
    if (!ok) report('BAD_VALUE', `\`combine.${what}\` term ${i + 1} must be {rule: ID} or {category: NAME} (with an optional label)`);
  }
}

function validateCombine(value: unknown, report: ReportProblem): void {
  if (typeof value !== 'object' || value === null) {
    report('MISSING_FIELD', 'a combination rule needs `combine` with `all` and/or `atLeast` + `of`');
    return;
  }
  const c = value as CombineDef & Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['all', 'atLeast', 'of', 'not'].includes(key)) report('UNKNOWN_KEY', `unknown key \`combine.${key}\``);
  }
  if (c.all === undefined && c.of === undefined) report('MISSING_FIELD', '`combine` needs `all` and/or `atLeast` + `of`');
  if (c.all !== undefined) validateTerms(c.all, 'all', report);
  if (c.not !== undefined) validateTerms(c.not, 'not', report);
  if ((c.of === undefined) !== (c.atLeast === undefined)) report('MISSING_FIELD', '`combine.atLeast` and `combine.of` go together');
  if (c.of !== undefined) {
    validateTerms(c.of, 'of', report);
    if (!Number.isInteger(c.atLeast) || (c.atLeast as number) < 1 || (Array.isArray(c.of) && (c.atLeast as number) > c.of.length)) {
      report('BAD_VALUE', '`combine.atLeast` must be a whole number from 1 to the length of `of`');
    }
  }
}

const SCORING_KEYS = [
  'thresholds',
  'caps',
  'default-cap',
  'model',
  'base-rates',
  'report-mute',
  'quote-mute',
  'points',
  'rescored',
  'points-no-model',
  'rescored-no-model',
];

/** Validate the `scoring` section; the line of each learned `points` (`points-no-model`) entry goes into `pointLines` (`noModelLines`). */
export function validateScoring(
  ctx: Ctx,
  node: YamlNode,
  pointLines: Record<string, number>,
  noModelLines: Record<string, number>,
): Partial<ScoringConfig> | undefined {
  const raw = (node as { toJSON?: () => unknown })?.toJSON?.() as Record<string, unknown> | undefined;
  const err = (field: string, message: string): void => problem(ctx, nodeAt(node, field) ?? node, 'BAD_SCORING', message, undefined, `scoring.${field}`);
  if (typeof raw !== 'object' || raw === null) {
    err('', '`scoring` must be a mapping with `thresholds` and `caps`');
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!SCORING_KEYS.includes(key)) err(key, `unknown key \`scoring.${key}\``);
  }
  const result: Partial<ScoringConfig> = {};
  const thresholds = raw.thresholds as Record<string, unknown> | undefined;
  if (thresholds !== undefined) {
    const out = { ...DEFAULT_SCORING.thresholds };
    for (const [label, value] of Object.entries(thresholds ?? {})) {
      if (!LABELS.includes(label as Label)) err('thresholds', `unknown label \`${label}\` in thresholds`);
      else if (typeof value !== 'number' || value <= 0) err('thresholds', `threshold for ${label} must be a positive number`);
      else out[label as Label] = value;
    }
    result.thresholds = out;
  }
  const caps = raw.caps as Record<string, Record<string, unknown>> | undefined;
  if (caps !== undefined) {
    const out: ScoringConfig['caps'] = { 'forced-criminality': {}, 'employment-fraud': {} };
    for (const [label, perCategory] of Object.entries(caps ?? {})) {
      if (!LABELS.includes(label as Label)) {
        err('caps', `unknown label \`${label}\` in caps`);
        continue;
      }
      for (const [category, value] of Object.entries(perCategory ?? {})) {
        if (!allowedCategories(label as Label).includes(category)) err('caps', `unknown category \`${category}\` for ${label} in caps`);
        else if (typeof value !== 'number' || value <= 0) err('caps', `cap for ${label}/${category} must be a positive number`);
        else out[label as Label][category] = value;
      }
    }
    result.caps = out;
  }
  if (raw['default-cap'] !== undefined) {
    if (typeof raw['default-cap'] !== 'number' || raw['default-cap'] <= 0) err('default-cap', '`default-cap` must be a positive number');
    else result.defaultCap = raw['default-cap'];
  }
  const model = raw.model as Record<string, Record<string, unknown>> | undefined;
  if (model !== undefined) {
    const out = structuredClone(DEFAULT_SCORING.model);
    for (const [label, value] of Object.entries(model ?? {})) {
      if (!LABELS.includes(label as Label)) {
        err('model', `unknown label \`${label}\` in model`);
        continue;
      }
      const parsed = parseModelPoints(value, label);
      if (typeof parsed === 'string') err('model', parsed);
      else out[label as Label] = parsed;
    }
    result.model = out;
  }
  for (const [key, into] of [
    ['points', 'points'],
    ['points-no-model', 'pointsNoModel'],
  ] as const) {
    if (raw[key] === undefined) continue;
    const pointsNode = nodeAt(node, key);
    if (!isMap(pointsNode)) {
      err(key, `\`${key}\` must map rule ids to numbers, e.g. {FC-DEST-HUB-MM: 4.5}`);
      continue;
    }
    const out: Record<string, number> = {};
    const lines: Record<string, number> = into === 'points' ? pointLines : noModelLines;
    for (const pair of pointsNode.items) {
      const id = String((pair.key as { value?: unknown })?.value ?? pair.key);
      const value = (pair.value as { value?: unknown } | null)?.value;
      const where = (pair.key ?? pair.value) as YamlNode;
      const line = lineOf(ctx, where);
      const at = (message: string): void => problem(ctx, where, 'BAD_SCORING', message, ID_PATTERN.test(id) ? id : undefined, `scoring.${key}.${id}`);
      if (!ID_PATTERN.test(id)) at(`\`${id}\` in \`${key}\` is not a rule id (UPPER-KEBAB-CASE such as FC-DEST-HUB)`);
      else if (typeof value !== 'number' || !Number.isFinite(value)) at(`points of ${id} must be a number`);
      else {
        out[id] = value;
        if (line !== undefined) lines[id] = line;
      }
    }
    result[into] = out;
  }
  if (raw.rescored !== undefined && (typeof raw.rescored !== 'object' || raw.rescored === null || Array.isArray(raw.rescored))) {
    err('rescored', '`rescored` must be a mapping (where the learned points came from, as `lurescan rescore` writes it)');
  } else if (raw.rescored !== undefined) result.rescored = raw.rescored as Record<string, unknown>;
  const noModelRecord = raw['rescored-no-model'];
  if (noModelRecord !== undefined && (typeof noModelRecord !== 'object' || noModelRecord === null || Array.isArray(noModelRecord))) {
    err('rescored-no-model', '`rescored-no-model` must be a mapping (where the no-model points came from, as `lurescan rescore --no-model` writes it)');
  } else if (noModelRecord !== undefined) result.rescoredNoModel = noModelRecord as Record<string, unknown>;
  if (raw['base-rates'] !== undefined) {
    const parsed = parseBaseRates(raw['base-rates']);
    if (typeof parsed === 'string') err('base-rates', parsed);
    else result.baseRates = parsed;
  }
  const mute = raw['report-mute'];
  if (mute !== undefined) {
    if (typeof mute !== 'number' || !(mute > 0 && mute <= 1))
      err('report-mute', `\`report-mute\` must be a probability above 0 and at most 1 (got ${JSON.stringify(mute)})`);
    else result.reportMute = mute;
  }
  const quotes = raw['quote-mute'];
  if (quotes !== undefined) {
    if (typeof quotes !== 'boolean') err('quote-mute', `\`quote-mute\` must be true or false (got ${JSON.stringify(quotes)})`);
    else result.quoteMute = quotes;
  }
  return result;
}

/**
 * One label's `scoring.model` entry: the hand-set ramp `{from, alone, max}` or learned
 * `{levels: {probability: points, ...}}`; a message when it is neither.
 */
export function parseModelPoints(value: unknown, label: string): ModelPoints | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `model.${label} must be {from, alone, max} or {levels: {probability: points, ...}}`;
  const { from, alone, max, levels, below, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return `unknown key \`${unknown[0]}\` in model.${label} (expected from, alone, max; or levels and below)`;
  if (below !== undefined && levels === undefined)
    return `model.${label}.below goes with \`levels\` (learned points), not with the hand-set \`from\`, \`alone\`, \`max\``;
  if (levels !== undefined) {
    if (from !== undefined || alone !== undefined || max !== undefined)
      return `model.${label}: give either \`levels\` (learned) or \`from\`, \`alone\`, \`max\` (hand-set), not both`;
    if (typeof levels !== 'object' || levels === null || Array.isArray(levels))
      return `model.${label}.levels must map probabilities to points, e.g. {0.5: 1.5, 0.9: 4}`;
    const out: ModelLevel[] = [];
    for (const [key, points] of Object.entries(levels)) {
      const at = Number(key);
      if (key.trim() === '' || !(at > 0 && at < 1)) return `model.${label}.levels: \`${key}\` is not a probability between 0 and 1, exclusive`;
      if (typeof points !== 'number' || !Number.isFinite(points) || points < 0)
        return `model.${label}.levels: the points at ${key} must be a number, 0 or more`;
      if (out.some((level) => level.at === at)) return `model.${label}.levels: ${key} is given twice`;
      out.push({ at, points });
    }
    const result: ModelLevels = { levels: out.sort((a, b) => a.at - b.at) };
    if (below !== undefined) {
      if (typeof below !== 'object' || below === null || Array.isArray(below))
        return `model.${label}.below must map probabilities to points of 0 or fewer, e.g. {0.01: -8}`;
      const under: ModelLevel[] = [];
      for (const [key, points] of Object.entries(below)) {
        const at = Number(key);
        if (key.trim() === '' || !(at > 0 && at < 1)) return `model.${label}.below: \`${key}\` is not a probability between 0 and 1, exclusive`;
        if (typeof points !== 'number' || !Number.isFinite(points) || points > 0)
          return `model.${label}.below: the points under ${key} must be a number, 0 or fewer`;
        if (under.some((level) => level.at === at)) return `model.${label}.below: ${key} is given twice`;
        under.push({ at, points });
      }
      result.below = under.sort((a, b) => a.at - b.at);
    }
    return result;
  }
  const probability = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  if (!probability(from) || !probability(alone) || from >= alone) return `model.${label}: \`from\` and \`alone\` must be probabilities with from < alone`;
  if (typeof max !== 'number' || max < 0) return `model.${label}: \`max\` must be a number of points, 0 or more`;
  return { from, alone, max };
}
