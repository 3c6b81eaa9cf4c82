// Compiled rules and their evaluation against a posting's normalised fields (no I/O).
import { normalizeString, normalizeText, originalSpan, type NormalizedText } from '../normalize/index.js';
import { postingLanguage } from '../lang/detect.js';
import { deniedMatch, denialOf } from './denial.js';
import { keywordsToRegexSource } from './keywords.js';
import { Prefilter, requiredLiteralGroups, type PrefilterTables } from './prefilter.js';
import type { DeniedHit, Hit, Label, Posting } from '../types.js';
import type { MatcherDef, RuleDef, ScoringConfig, TermDef } from './schema.js';

export { keywordsToRegexSource };

export interface CompiledMatcher {
  /** The regex source as given, or the keywords it was built from, for messages. */
  source: string;
  /** Global and unicode, so a search can go on past a match it cannot use. */
  readonly re: RegExp;
  /** Uses ^ or $, which only make sense within one field. */
  anchored: boolean;
  /**
   * Groups of literals (in the rule set's prefilter, see `Prefilter.group`) each of which has one
   * that every match contains: the first from the plan's `literals`, the rest its `also`. Absent:
   * always run.
   */
  groups?: Int32Array;
  /**
   * Set on a matcher that several rules share (the same regex or keywords, such as a veto written
   * for both labels): its last unscoped search, so one posting runs it once.
   */
  memo?: { posting: PreparedPosting | undefined; found: Found | undefined };
}

export interface CompiledRule {
  def: RuleDef;
  /**
   * A prefilter group one literal of which the rule cannot match without: the union of its `any`
   * matchers' first sets when each has one. A posting the rule cannot match costs one look, not one
   * per matcher (a rule has up to 165 of them).
   */
  gate?: number;
  /**
   * Per `any` matcher, its first prefilter group, or -1 when it has none: the loop over a rule's
   * matchers (up to 165) passes over those whose literals did not occur with one look each.
   */
  anyFirst?: Int32Array;
  fields?: ReadonlySet<string>;
  /** Passes over a match inside a denial ("we never ask for a fee"): see denial.ts and `isNegatable`. */
  negatable: boolean;
  any?: CompiledMatcher[];
  all?: CompiledMatcher[];
  not?: CompiledMatcher[];
}

export interface CompiledRuleSet {
  patterns: CompiledRule[];
  combinations: RuleDef[];
  scoring: ScoringConfig;
  /** Every matcher's literals in one automaton, scanned once per posting (prefilter.ts). */
  prefilter: Prefilter;
}

/** One field of a posting, folded once and shared by every rule. */
export interface PreparedField {
  name: string;
  original: string;
  norm: NormalizedText;
}

/**
 * A posting's folded fields, also joined with newlines into one text, so an unscoped matcher runs
 * once per posting rather than once per field. Folded text has no newlines of its own (white space
 * is collapsed to single spaces), so a match never needs to cross a field boundary.
 */
export interface PreparedPosting {
  fields: PreparedField[];
  joined: string;
  /** Start of each field in `joined`. */
  offsets: number[];
  /** The posting's detected language: rules with `except-languages` leave it alone. */
  lang: string;
}

const ANCHOR = /(?:^|[^\\[])\^|(?:^|[^\\])\$/;

/** What compiling a matcher works out before any regex is built: kept with a rule set (files.ts), it makes compiling cheap. */
export interface MatcherPlan {
  /** The regex source to compile (`gu`); absent when it is the rule's regex as written (most are). */
  pattern?: string;
  anchored: boolean;
  /** Strings one of which every match contains (for the prefilter); absent: always run. */
  literals?: string[];
  /** More sets of strings, one of each of which every match also contains. */
  also?: string[][];
  /**
   * In place of `literals` and `also` on a plan for shared prefilter tables (`threadPlan`): how many
   * sets there were. Compiling needs only their count there, and a thread is not sent the strings.
   */
  sets?: number;
}

/** Plans by matcher (see `planKey`): JSON, so a rule set's cache holds it and threads are sent it. */
export type CompilePlan = Record<string, MatcherPlan>;

function planKey(matcher: MatcherDef): string {
  return matcher.keywords !== undefined ? `k\u0000${matcher.keywords.join('\u0001')}` : `r\u0000${matcher.regex}`;
}

/**
 * The plan of one matcher: a keyword list's regex and its folded keywords as literals, or a regex
 * and the strings it cannot match without (walking its syntax tree, which costs most of compiling).
 */
export function planMatcher(matcher: MatcherDef): MatcherPlan {
  if (matcher.keywords !== undefined) {
    const folded = matcher.keywords.map((k) => normalizeString(k)).filter((k) => k !== '');
    return { pattern: keywordsToRegexSource(matcher.keywords), anchored: false, ...(folded.length > 0 ? { literals: folded } : {}) };
  }
  // NFKC like the text (Thai ำ becomes ํ + า in both), but no case folding: \S, \W and \P{...} must keep their case.
  const pattern = matcher.regex!.normalize('NFKC');
  const [literals, ...also] = requiredLiteralGroups(pattern) ?? [];
  return {
    ...(pattern !== matcher.regex ? { pattern } : {}),
    anchored: ANCHOR.test(pattern),
    ...(literals !== undefined ? { literals } : {}),
    ...(also.length > 0 ? { also } : {}),
  };
}

/** The plans of every matcher of the live pattern rules. */
export function planRuleSet(rules: readonly RuleDef[]): CompilePlan {
  const plan: CompilePlan = {};
  for (const rule of rules) {
    if (rule.status === 'deprecated' || rule.type !== 'pattern') continue;
    for (const matcher of [...(rule.any ?? []), ...(rule.all ?? []), ...(rule.not ?? [])]) plan[planKey(matcher)] ??= planMatcher(matcher);
  }
  return plan;
}

/**
 * Compile one matcher (from its plan when one is given); with a prefilter, its literals are entered
 * there: a keyword list's folded keywords, or the strings a regex cannot match without.
 */
export function compileMatcher(matcher: MatcherDef, prefilter?: Prefilter, plan?: CompilePlan): CompiledMatcher {
  const { pattern, anchored, literals, also, sets } = plan?.[planKey(matcher)] ?? planMatcher(matcher);
  const source = matcher.keywords !== undefined ? `keywords: ${matcher.keywords.join(', ')}` : matcher.regex!;
  const compiled = new LazyMatcher(source, pattern ?? matcher.regex!, anchored);
  if (prefilter && literals) {
    const sets = [literals, ...(also ?? [])];
    compiled.groups = Int32Array.from(sets, (set) => prefilter.groupOf(set));
  } else if (sets !== undefined) {
    // A plan without its strings is only good with the tables they were entered in.
    if (!prefilter?.shared) throw new Error('compileMatcher: a plan without its literals needs the prefilter tables it was made for');
    compiled.groups = Int32Array.from({ length: sets }, () => prefilter.groupOf([]));
  }
  return compiled;
}

/**
 * A matcher whose regex is built the first time it runs. Building all of a rule set's regexes took
 * a quarter of a second (V8 parses each, Unicode classes and all), and with the prefilter most of
 * them never run on a given input: a one-posting scan builds a few dozen. Rule files are checked
 * before they are compiled, so building late cannot fail.
 */
class LazyMatcher implements CompiledMatcher {
  groups?: Int32Array;
  private built: RegExp | undefined;
  constructor(
    readonly source: string,
    private readonly pattern: string,
    readonly anchored: boolean,
  ) {}
  get re(): RegExp {
    return (this.built ??= new RegExp(this.pattern, 'gu'));
  }
}

/**
 * Whether a rule passes over matches inside a denial: as its `negatable` says, else every job-scam
 * pattern rule (they read what a scam asks for, which a denial says is not asked) and no other.
 */
export function isNegatable(def: RuleDef): boolean {
  return def.negatable ?? (def.type === 'pattern' && def.label === 'employment-fraud' && def.category !== 'legitimacy');
}

/**
 * Compile validated rule definitions once; deprecated rules are left out. `plan`: see planRuleSet.
 * `prefilter`: the tables of a compile of these same rules and plan (`sharedPrefilter`), scanned
 * with as they are rather than built again. Groups are numbered in the order this walk asks for
 * them: a change to that order must bump PREFILTER_TABLES_VERSION, or cached tables mislead.
 */
export function compileRuleSet(rules: readonly RuleDef[], scoring: ScoringConfig, plan?: CompilePlan, prefilterTables?: PrefilterTables): CompiledRuleSet {
  const live = rules.filter((rule) => rule.status !== 'deprecated');
  const prefilter = prefilterTables !== undefined ? Prefilter.fromTables(prefilterTables) : new Prefilter();
  // One compiled matcher per distinct regex or keyword list: a matcher two rules share runs once a posting.
  const shared = new Map<string, CompiledMatcher>();
  const compileOne = (matcher: MatcherDef): CompiledMatcher => {
    const key = planKey(matcher);
    const known = shared.get(key);
    if (known) {
      known.memo ??= { posting: undefined, found: undefined };
      return known;
    }
    const compiled = compileMatcher(matcher, prefilter, plan);
    shared.set(key, compiled);
    return compiled;
  };
  const compileList = (list?: MatcherDef[]): CompiledMatcher[] | undefined => list?.map(compileOne);
  const patterns = live
    .filter((rule) => rule.type === 'pattern')
    .map((def) => {
      const compiled: CompiledRule = { def, negatable: isNegatable(def) };
      if (def.fields) compiled.fields = new Set(def.fields);
      const any = compileList(def.any);
      const all = compileList(def.all);
      const not = compileList(def.not);
      if (any) {
        compiled.any = any;
        compiled.anyFirst = Int32Array.from(any, (matcher) => matcher.groups?.[0] ?? -1);
      }
      if (any && any.length > 1 && any.every((matcher) => matcher.groups !== undefined))
        compiled.gate = prefilter.union(any.map((matcher) => matcher.groups![0]!));
      if (all) compiled.all = all;
      if (not) compiled.not = not;
      return compiled;
    });
  prefilter.build();
  return { patterns, combinations: live.filter((rule) => rule.type === 'combination'), scoring, prefilter };
}

/**
 * The prefilter of a rule set, built once and put in shared memory: each scoring thread's
 * `compileRuleSet` of the same rules and plan takes it instead of building its own.
 */
export function sharedPrefilter(rules: readonly RuleDef[], scoring: ScoringConfig, plan?: CompilePlan): PrefilterTables {
  return compileRuleSet(rules, scoring, plan).prefilter.share();
}

/** Fold every non-empty field of a posting once; `lang` is detected unless the caller already knows it. */
export function prepareFields(posting: Posting, lang: string = postingLanguage(posting.fields).lang): PreparedPosting {
  const fields: PreparedField[] = [];
  const offsets: number[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const [name, original] of Object.entries(posting.fields)) {
    if (original === '') continue;
    const norm = normalizeText(original);
    fields.push({ name, original, norm });
    offsets.push(at);
    parts.push(norm.text);
    at += norm.text.length + 1;
  }
  return { fields, joined: parts.join('\n'), offsets, lang };
}

export interface Found {
  field: PreparedField;
  start: number;
  end: number;
}

/** The first non-empty match at or after `from`, as [start, end]. */
function firstMatch(re: RegExp, text: string, from: number): [number, number] | undefined {
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(text);
    if (!m) return undefined;
    // A global regex's lastIndex is the end of its match: no need to read the matched text.
    const end = re.lastIndex;
    if (end !== m.index) return [m.index, end];
    // An empty match counts for nothing: try again one step on.
    re.lastIndex = m.index + 1;
  }
}

/** Index of the field that holds position `at` of the joined text. */
function fieldAt(offsets: readonly number[], at: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The first non-empty match of a matcher in the rule's fields, in field order. `scanned` is the
 * rule set's prefilter when it has scanned this posting: a matcher whose literals it did not see is
 * not run.
 */
function findFirst(matcher: CompiledMatcher, posting: PreparedPosting, scope?: ReadonlySet<string>, scanned?: Prefilter): Found | undefined {
  const memo = scanned && !scope ? matcher.memo : undefined;
  if (memo) {
    if (memo.posting === posting) return memo.found;
    memo.posting = posting;
    return (memo.found = search(matcher, posting, scope, scanned));
  }
  return search(matcher, posting, scope, scanned);
}

function search(matcher: CompiledMatcher, posting: PreparedPosting, scope?: ReadonlySet<string>, scanned?: Prefilter, after?: Found): Found | undefined {
  if (scanned && matcher.groups) {
    const { groups } = matcher;
    for (let k = 0; k < groups.length; k++) if (!scanned.has(groups[k]!)) return undefined;
  }
  const { fields, joined, offsets } = posting;
  const afterField = after ? fields.indexOf(after.field) : -1;
  if (!scope && !matcher.anchored) {
    let from = after ? offsets[afterField]! + after.start + 1 : 0;
    while (from < joined.length) {
      const span = firstMatch(matcher.re, joined, from);
      if (!span) return undefined;
      const index = fieldAt(offsets, span[0]);
      const field = fields[index]!;
      const start = span[0] - offsets[index]!;
      const end = span[1] - offsets[index]!;
      if (end <= field.norm.text.length) return { field, start, end };
      // The match runs into the next field: look again one step on.
      from = span[0] + 1;
    }
    return undefined;
  }
  for (let index = Math.max(0, afterField); index < fields.length; index++) {
    const field = fields[index]!;
    if (scope && !scope.has(field.name)) continue;
    const span = firstMatch(matcher.re, field.norm.text, index === afterField ? after!.start + 1 : 0);
    if (span) return { field, start: span[0], end: span[1] };
  }
  return undefined;
}

/** Whether a match lies inside a denial of its field (denial.ts). */
function denied(found: Found): boolean {
  return deniedMatch(found.field.norm, found.field.original, found.start, found.end);
}

/**
 * The first match of a negatable rule's matcher that no denial holds, searching on past `found`
 * (its first match) when a denial does.
 */
function undenied(matcher: CompiledMatcher, posting: PreparedPosting, scope: ReadonlySet<string> | undefined, found: Found | undefined): Found | undefined {
  while (found && denied(found)) found = search(matcher, posting, scope, undefined, found);
  return found;
}

const MAX_MATCH_TEXT = 200;

/** Code points in `text` from `from` to `to` (UTF-16 offsets): a surrogate pair is one. */
function codePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    // A low surrogate that follows a high one is the second half of one code point.
    if (!(unit >= 0xdc00 && unit <= 0xdfff && i > from && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800)) n++;
  }
  return n;
}

function hitFrom(def: RuleDef, found: Found): Hit {
  const { original } = found.field;
  const [start, end] = originalSpan(found.field.norm, found.start, found.end);
  let match = original.slice(start, end);
  if (match.length > MAX_MATCH_TEXT) match = `${match.slice(0, MAX_MATCH_TEXT)}…`;
  // Code-point offsets beside the UTF-16 ones: Python, pandas, spaCy and Label Studio count code points.
  const cpStart = codePoints(original, 0, start);
  const cpEnd = cpStart + codePoints(original, start, end);
  return { rule: def.id, label: def.label, category: def.category, points: def.points, field: found.field.name, start, end, cpStart, cpEnd, match };
}

/** Whether the prefilter's findings leave `matcher` a chance: each of its groups has a literal in the posting. */
function seen(matcher: CompiledMatcher, scanned: Prefilter): boolean {
  const { groups } = matcher;
  if (groups) for (let k = 0; k < groups.length; k++) if (!scanned.has(groups[k]!)) return false;
  return true;
}

/**
 * Whether the rule can match at all, by the prefilter alone: every `all` matcher and one `any`
 * matcher must have their literals. Looked at before any regex runs, so a rule whose first `all`
 * or `any` matcher has no literals to gate it (a long alternation) does not run it when another
 * part of the rule has already failed.
 */
export function mayMatch(rule: CompiledRule, scanned: Prefilter): boolean {
  if (rule.all) for (const matcher of rule.all) if (!seen(matcher, scanned)) return false;
  if (rule.any && rule.gate === undefined) {
    for (const matcher of rule.any) if (seen(matcher, scanned)) return true;
    return false;
  }
  return true;
}

/**
 * Evaluate one pattern rule; the hit carries the first `any` match, else the first `all` match.
 * `scanned`: the rule set's prefilter, when it has scanned this posting (see evaluateRules).
 */
export function evaluatePattern(rule: CompiledRule, fields: PreparedPosting, scanned?: Prefilter): Hit | undefined {
  if (scanned && rule.gate !== undefined && !scanned.has(rule.gate)) return undefined;
  if (rule.def.exceptLanguages?.includes(fields.lang)) return undefined;
  if (scanned && !mayMatch(rule, scanned)) return undefined;
  let evidence: Found | undefined;
  if (rule.all) {
    for (const matcher of rule.all) {
      let found = findFirst(matcher, fields, rule.fields, scanned);
      if (found && rule.negatable) found = undenied(matcher, fields, rule.fields, found);
      if (!found) return undefined;
      evidence ??= found;
    }
  }
  if (rule.any) {
    let anyFound: Found | undefined;
    const { any, anyFirst } = rule;
    for (let k = 0; k < any.length; k++) {
      if (scanned && anyFirst !== undefined && anyFirst[k]! >= 0 && !scanned.has(anyFirst[k]!)) continue;
      anyFound = findFirst(any[k]!, fields, rule.fields, scanned);
      if (anyFound && rule.negatable) anyFound = undenied(any[k]!, fields, rule.fields, anyFound);
      if (anyFound) break;
    }
    if (!anyFound) return undefined;
    evidence = anyFound;
  }
  if (!evidence) return undefined;
  if (rule.not) {
    for (const matcher of rule.not) if (findFirst(matcher, fields, rule.fields, scanned)) return undefined;
  }
  return hitFrom(rule.def, evidence);
}

/**
 * The negatable rules that did not hit but would have if no denial held their matches: each with
 * the first match a denial held and that denial's cue ("we will never ask you to"), as `--explain`
 * shows them. It runs each such rule's regexes again, without the prefilter: only to explain.
 */
export function deniedHits(set: CompiledRuleSet, fields: PreparedPosting, hits: readonly Hit[], options: EvaluateOptions = {}): DeniedHit[] {
  const hitRules = new Set(hits.map((hit) => hit.rule));
  const held: DeniedHit[] = [];
  for (let i = 0; i < set.patterns.length; i++) {
    const rule = set.patterns[i]!;
    // A rule switched off (it ran over its time) stays off; the watchdog is told which rule runs.
    if (!rule.negatable || hitRules.has(rule.def.id) || options.skip?.has(rule.def.id)) continue;
    options.onRule?.(i);
    if (!evaluatePattern({ ...rule, negatable: false }, fields)) continue;
    const denied = firstDenied(rule, fields);
    if (denied) held.push(denied);
  }
  return held;
}

/** A rule's first match, over its `all` then its `any` matchers, that a denial holds, with the denial's cue. */
function firstDenied(rule: CompiledRule, fields: PreparedPosting): DeniedHit | undefined {
  for (const matcher of [...(rule.all ?? []), ...(rule.any ?? [])]) {
    for (let found = findFirst(matcher, fields, rule.fields); found; found = search(matcher, fields, rule.fields, undefined, found)) {
      const cue = denialOf(found.field.norm, found.field.original, found.start, found.end);
      if (!cue) continue;
      const [start, end] = originalSpan(found.field.norm, cue[0], cue[1]);
      return { ...hitFrom(rule.def, found), cue: found.field.original.slice(start, end) };
    }
  }
  return undefined;
}

function termHits(term: TermDef, owner: RuleDef, hits: readonly Hit[]): Hit[] {
  if (term.rule !== undefined) return hits.filter((hit) => hit.rule === term.rule);
  const label = term.label ?? owner.label;
  return hits.filter((hit) => hit.category === term.category && hit.label === label);
}

/** Evaluate a combination rule over the pattern hits already found. */
export function evaluateCombination(def: RuleDef, hits: readonly Hit[]): Hit | undefined {
  const combine = def.combine!;
  const used = new Set<string>();
  for (const term of combine.all ?? []) {
    const found = termHits(term, def, hits);
    if (found.length === 0) return undefined;
    for (const hit of found) used.add(hit.rule);
  }
  if (combine.of) {
    let present = 0;
    for (const term of combine.of) {
      const found = termHits(term, def, hits);
      if (found.length > 0) present++;
      for (const hit of found) used.add(hit.rule);
    }
    if (present < (combine.atLeast ?? 1)) return undefined;
  }
  for (const term of combine.not ?? []) if (termHits(term, def, hits).length > 0) return undefined;
  return { rule: def.id, label: def.label, category: def.category, points: def.points, combines: [...used].sort() };
}

export interface EvaluateOptions {
  /** Called before each pattern rule with its index, so a watchdog can say which rule ran long. */
  onRule?: (index: number) => void;
  /** Rule ids to skip (for example, rules disabled after timing out). */
  skip?: ReadonlySet<string>;
}

/** Every hit of a rule set on a posting's prepared fields: pattern hits, then combination hits. */
export function evaluateRules(set: CompiledRuleSet, fields: PreparedPosting, options: EvaluateOptions = {}): Hit[] {
  const hits: Hit[] = [];
  set.prefilter.scan(fields.joined);
  for (let i = 0; i < set.patterns.length; i++) {
    const rule = set.patterns[i]!;
    if (options.skip?.has(rule.def.id)) continue;
    options.onRule?.(i);
    const hit = evaluatePattern(rule, fields, set.prefilter);
    if (hit) hits.push(hit);
  }
  const patternHits = hits.slice();
  for (const def of set.combinations) {
    if (options.skip?.has(def.id) || def.exceptLanguages?.includes(fields.lang)) continue;
    const hit = evaluateCombination(def, patternHits);
    if (hit) hits.push(hit);
  }
  return hits;
}

/** Points per label: each category's sum clamped to its cap, then added up. */
export function scoreHits(hits: readonly Hit[], scoring: ScoringConfig): Record<Label, number> {
  const perCategory = new Map<string, number>();
  for (const hit of hits) {
    const key = `${hit.label}\u0000${hit.category}`;
    perCategory.set(key, (perCategory.get(key) ?? 0) + hit.points);
  }
  const scores: Record<Label, number> = { 'forced-criminality': 0, 'employment-fraud': 0 };
  for (const [key, sum] of perCategory) {
    const [label, category] = key.split('\u0000') as [Label, string];
    const cap = scoring.caps[label]?.[category] ?? scoring.defaultCap;
    scores[label] += Math.max(-cap, Math.min(cap, sum));
  }
  for (const label of Object.keys(scores) as Label[]) scores[label] = Math.round(scores[label] * 100) / 100;
  return scores;
}
