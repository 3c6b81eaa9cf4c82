// `rules lint`: every problem of a rule set that can be found without running a corpus: the schema
// and cross-file checks of the rule set, required metadata, patterns that match nothing, the empty
// string or everything, literals the normaliser would never leave in the text, and ReDoS.
import type { FileProblem } from '../contracts/problem.js';
import { normalizeString } from '../normalize/index.js';
import { KNOWN_REFERENCES } from '../rules/references.js';
import type { ScoringConfig } from '../rules/schema.js';
import { assembleRuleSet, type RuleFileText } from '../rules/ruleset.js';
import type { MatcherDef, RuleDef } from '../rules/schema.js';
import { cachedRuleSet } from '../run/rules.js';
import { RuleLocator } from './locate.js';
import { checkRedos, type RedosOptions, type RedosResult } from './redos.js';
import { boundaryBesideNonAscii, literalRuns } from './regex-syntax.js';

/** A rule set's problem, or a note: not a problem, but worth seeing (a ReDoS exemption in force). */
export type Finding = FileProblem;

export interface LintReport {
  findings: Finding[];
  files: string[];
  /** Rule ids in the set, in file order (for reports that list every rule). */
  rules: { id: string; file: string; line: number }[];
  /** Regexes the ReDoS checker looked at. */
  regexes: number;
}

export interface LintOptions {
  redos?: RedosOptions;
}

const MATCHER_LISTS = ['any', 'all', 'not'] as const;

/**
 * Probes of one script each: a pattern that finds something in every probe of a group would fire
 * on nearly any posting written in that script.
 */
const EVERYTHING_PROBES: { script: string; probes: string[] }[] = [
  { script: 'Latin letter', probes: ['a', 'e', 'q', 'x', 'z'] },
  { script: 'digit', probes: ['0', '4', '7', '9'] },
  { script: 'Chinese character', probes: ['中', '的', '人'] },
  { script: 'Thai letter', probes: ['ก', 'น', 'ร'] },
];

interface MatcherRef {
  rule: RuleDef;
  list: (typeof MATCHER_LISTS)[number];
  index: number;
  matcher: MatcherDef;
}

function matchersOf(rule: RuleDef): MatcherRef[] {
  return MATCHER_LISTS.flatMap((list) => (rule[list] ?? []).map((matcher, index) => ({ rule, list, index, matcher })));
}

/** Lint a rule set given as file texts. */
export async function lintRuleFiles(files: readonly RuleFileText[], options: LintOptions = {}): Promise<LintReport> {
  // The set from the rule-set cache when a scan or `rules test` of these files put it there (parsing
  // and checking the YAML is 2 of the shipped set's 4.6 CPU-s of lint); else assembled here.
  const ruleset = (await cachedRuleSet(files)) ?? assembleRuleSet(files);
  const locator = new RuleLocator(files);
  const parsed = new Set(ruleset.rules.map((r) => r.id));
  const findings: Finding[] = [];
  for (const problem of ruleset.problems) {
    // Missing references/examples are warnings for a scan but required here; checked below.
    const required = problem.code === 'MISSING_FIELD' && (problem.field === 'references' || problem.field === 'examples');
    if (required && problem.rule !== undefined && parsed.has(problem.rule)) continue;
    findings.push({ ...problem });
  }

  const at = (rule: RuleDef, path: (string | number)[], field: string, severity: Finding['severity'], code: string, message: string): void => {
    const line = locator.lineOf(rule.id, path) ?? locator.lineOf(rule.id, path.slice(0, 1)) ?? rule.origin.line;
    findings.push({ severity, file: rule.origin.file, line, rule: rule.id, field, code, message });
  };

  for (const rule of ruleset.rules) {
    checkMetadata(rule, at);
    checkCap(rule, ruleset.scoring, at);
    for (const ref of matchersOf(rule)) checkMatcher(ref, at);
  }
  const regexes = ruleset.rules.flatMap(matchersOf).filter((ref) => ref.matcher.regex !== undefined && compiles(ref.matcher.regex));
  const verdicts = await checkRedos(
    regexes.map((ref) => ref.matcher.regex!),
    options.redos,
  );
  reportRedos(ruleset.rules, regexes, verdicts, at);

  findings.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return {
    findings,
    files: ruleset.files,
    rules: ruleset.rules.map((r) => ({ id: r.id, file: r.origin.file, line: r.origin.line })),
    regexes: new Set(regexes.map((r) => r.matcher.regex)).size,
  };
}

type ReportFinding = (rule: RuleDef, path: (string | number)[], field: string, severity: Finding['severity'], code: string, message: string) => void;

function checkMetadata(rule: RuleDef, report: ReportFinding): void {
  if (rule.references.length === 0) {
    report(rule, ['references'], 'references', 'error', 'MISSING_METADATA', 'rule cites no `references` (source ids from the domain reference)');
  }
  for (const [i, id] of rule.references.entries()) {
    if (!KNOWN_REFERENCES.has(id)) {
      const near = nearestIds(id, KNOWN_REFERENCES);
      const hint =
        near.length > 0
          ? `; did you mean ${near.join(', ')}?`
          : ` (the ${KNOWN_REFERENCES.size} known ids are in src/rules/references.ts, from the Sources table of the domain reference)`;
      report(rule, ['references', i], 'references', 'error', 'UNKNOWN_REFERENCE', `\`${id}\` is not a source id of the domain reference${hint}`);
    }
  }
  if (rule.status !== 'deprecated') {
    for (const kind of ['match', 'nomatch'] as const) {
      if (rule.examples[kind].length === 0) {
        report(rule, ['examples'], 'examples', 'error', 'MISSING_EXAMPLES', `rule has no \`examples.${kind}\`: every rule needs at least one ${kind} example`);
      }
    }
  }
  if (rule.falsepositives === undefined || rule.falsepositives.trim() === '') {
    report(rule, ['id'], 'falsepositives', 'warning', 'MISSING_METADATA', 'rule has no `falsepositives` note (where legitimate postings trip it)');
  }
}

/**
 * A rule whose points are beyond its category's cap gives no more than the cap: the rest does
 * nothing (and a learned refit cannot use it). Combination and legitimacy rules are capped too.
 */
function checkCap(rule: RuleDef, scoring: ScoringConfig, report: ReportFinding): void {
  const cap = scoring.caps[rule.label]?.[rule.category] ?? scoring.defaultCap;
  if (Math.abs(rule.points) > cap + 1e-9) {
    report(
      rule,
      ['points'],
      'points',
      'warning',
      'POINTS_OVER_CAP',
      `points ${rule.points} exceed the cap of category \`${rule.category}\` for ${rule.label} (${cap}): the category adds at most ${cap}, so ${Math.round((Math.abs(rule.points) - cap) * 10) / 10} of them never count; lower the points or raise the cap in the scoring file`,
    );
  }
}

/** Known ids within a small edit distance of `id`, or sharing a part of it (at most three). */
function nearestIds(id: string, known: ReadonlySet<string>): string[] {
  const wanted = id.toUpperCase();
  const parts = wanted.split(/[-_]/).filter((p) => p.length >= 3);
  const scored: { id: string; distance: number }[] = [];
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate.toUpperCase());
    const sharesPart = parts.some((p) => candidate.toUpperCase().includes(p));
    if (distance <= Math.max(2, Math.floor(wanted.length / 3)) || sharesPart)
      scored.push({ id: candidate, distance: sharesPart ? Math.min(distance, 1) : distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
    .slice(0, 3)
    .map((s) => s.id);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source.normalize('NFKC'), 'u');
    return true;
  } catch {
    return false;
  }
}

/** Whether a regex finds a non-empty match in the text (the engine ignores empty matches). */
function findsText(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] !== '') return true;
    re.lastIndex = m.index + 1;
  }
  return false;
}

function checkMatcher({ rule, list, index, matcher }: MatcherRef, report: ReportFinding): void {
  const path = [list, index];
  const name = `matcher ${index + 1}`;
  if (matcher.keywords !== undefined) {
    for (const keyword of matcher.keywords) {
      const folded = normalizeString(keyword);
      // Compared in NFKC: the text is NFKC-folded too, so Thai ำ (split by NFKC) is written naturally.
      if (folded === '')
        report(
          rule,
          path,
          list,
          'error',
          'KEYWORD_NEVER_MATCHES',
          `${name}: keyword ${JSON.stringify(keyword)} is empty once normalised, so it can never match`,
        );
      else if (folded !== keyword.normalize('NFKC').trim()) {
        report(
          rule,
          path,
          list,
          'warning',
          'KEYWORD_NOT_NORMALISED',
          `${name}: keyword ${JSON.stringify(keyword)} is matched as ${JSON.stringify(folded)} (text is normalised: lower case, look-alikes folded); write it as it is matched`,
        );
      }
    }
    return;
  }
  const source = matcher.regex!.normalize('NFKC');
  if (!compiles(source)) return; // the schema has reported it
  const re = new RegExp(source, 'gu');
  // One compiled regex for every probe, the empty string first (from lastIndex 0, as a non-global test).
  re.lastIndex = 0;
  if (re.test('')) {
    report(rule, path, list, 'error', 'MATCHES_EMPTY', `${name}: regex matches the empty string; make every alternative require at least one character`);
  }
  for (const { script, probes } of EVERYTHING_PROBES) {
    if (probes.every((probe) => findsText(re, probe))) {
      report(rule, path, list, 'error', 'MATCHES_EVERYTHING', `${name}: regex matches any single ${script}, so it fires on nearly every posting`);
      break;
    }
  }
  const letter = boundaryBesideNonAscii(source);
  if (letter !== undefined) {
    report(
      rule,
      path,
      list,
      'warning',
      'BOUNDARY_BESIDE_NON_ASCII',
      `${name}: \\b beside ${JSON.stringify(letter)} never holds there (a JavaScript word boundary knows only A-Z, 0-9 and _, even with the u flag); write (?<![\\p{L}\\p{N}]) before or (?![\\p{L}\\p{N}]) after the word instead`,
    );
  }
  for (const run of literalRuns(source)) {
    // Sentinels keep edge spaces, which the normaliser would trim at the ends of a text.
    const folded = normalizeString(`#${run}#`).slice(1, -1);
    if (folded !== run) {
      report(
        rule,
        path,
        list,
        'error',
        'REGEX_NEVER_MATCHES',
        `${name}: the literal ${JSON.stringify(run)} can never occur in normalised text (it becomes ${JSON.stringify(folded)}); patterns see lower case, folded text`,
      );
      break;
    }
  }
}

function reportRedos(rules: readonly RuleDef[], regexes: readonly MatcherRef[], verdicts: Map<string, RedosResult>, report: ReportFinding): void {
  const flaggedRules = new Set<string>();
  for (const { rule, list, index, matcher } of regexes) {
    const verdict = verdicts.get(matcher.regex!)!;
    if (verdict.status === 'safe') continue;
    flaggedRules.add(rule.id);
    const part = verdict.part ? ` (in the part \`${verdict.part}\`)` : '';
    const what =
      verdict.status === 'vulnerable'
        ? `matcher ${index + 1}: regex can backtrack catastrophically${part}: ${verdict.complexity} time on input such as ${verdict.attack}`
        : `matcher ${index + 1}: regex could not be proven free of catastrophic backtracking${part} (${verdict.reason})`;
    if (rule.redosExempt !== undefined) report(rule, [list, index], list, 'note', 'REDOS_EXEMPT', `${what}; exempt: ${rule.redosExempt}`);
    else if (verdict.status === 'vulnerable') {
      report(
        rule,
        [list, index],
        list,
        'error',
        'REDOS',
        `${what}. Bound the repetition (e.g. .{0,40}) or remove the overlap; or add \`redos-exempt: <reason>\` to the rule`,
      );
    } else report(rule, [list, index], list, 'warning', 'REDOS_UNKNOWN', `${what}. Simplify it (bounded repetition helps the checker)`);
  }
  for (const rule of rules) {
    if (rule.redosExempt !== undefined && !flaggedRules.has(rule.id)) {
      report(rule, ['redos-exempt'], 'redos-exempt', 'warning', 'REDOS_EXEMPT_UNUSED', 'every regex of this rule is proven safe: remove `redos-exempt`');
    }
  }
}
