// `rules test`: every rule's own match/nomatch examples, scored as postings exactly as a scan scores
// them, and the fixture cases: `ok.*` folders whose postings must not be flagged, `ng.*` folders
// whose `expected.yaml` gives each posting's labels and the rules that must fire.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML, { LineCounter, isMap } from 'yaml';
import { existsSync } from 'node:fs';
import type { Location, Problem } from '../contracts/problem.js';
import { DEFAULT_RULES_DIR, PACKAGE_ROOT } from '../paths.js';
import { examplePosting } from '../rules/examples.js';
import type { RuleFileText, RuleSetDefinition } from '../rules/ruleset.js';
import type { Example, RuleDef } from '../rules/schema.js';
import type { ScorePool } from '../run/pool.js';
import { planInputs, readInputs } from '../input/index.js';
import type { ReadItem } from '../contracts/read-item.js';
import { LABELS, LurescanError, isErrorRecord, type Label, type Posting, type Verdict } from '../types.js';
import { scorePostings } from './corpus.js';
import { exampleLineFinder } from './locate.js';
import { relativeToCwd } from '../display-path.js';

/** One test's result, at the place it comes from (the rule's line, the case's file). */
export interface TestCase extends Location {
  /** `examples` or `cases/<folder>`. */
  suite: string;
  /** The rule id (examples) or the case folder (cases). */
  group: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** For a failure: what happened instead. */
  message?: string;
}

const EXPECTED_FILE = 'expected.yaml';

function exampleText(example: Example): string {
  const text = typeof example === 'string' ? example : JSON.stringify(example);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeHits(verdict: Verdict): string {
  return verdict.hits.map((h) => h.rule).join(', ') || 'none';
}

/** Why a rule did or did not fire on an example, from the verdict. */
function whyOf(rule: RuleDef, verdict: Verdict, expectedMatch: boolean): string {
  const hit = verdict.hits.find((h) => h.rule === rule.id);
  if (!expectedMatch && hit) {
    return hit.combines ? `it fired, combining ${hit.combines.join(', ')}` : `it fired: matched ${JSON.stringify(hit.match)} in ${hit.field}`;
  }
  return rule.type === 'combination' ? `it did not fire; rules that fired: ${describeHits(verdict)}` : 'it did not fire: no matcher matched';
}

/** Run every example of every live rule; deprecated rules' examples are reported as skipped. */
export async function runExamples(ruleset: RuleSetDefinition, files: readonly RuleFileText[], pool: ScorePool): Promise<TestCase[]> {
  const lineOf = await exampleLineFinder(ruleset.rules, files);
  const cases: TestCase[] = [];
  const postings: { posting: Posting; rule: RuleDef; kind: 'match' | 'nomatch'; index: number; base: Omit<TestCase, 'status'> }[] = [];
  for (const rule of ruleset.rules) {
    for (const kind of ['match', 'nomatch'] as const) {
      rule.examples[kind].forEach((example, index) => {
        const line = lineOf(rule.id, kind, index) ?? rule.origin.line;
        const base = { suite: 'examples', group: rule.id, name: `${kind}[${index}] ${exampleText(example)}`, file: rule.origin.file, line };
        if (rule.status === 'deprecated') cases.push({ ...base, status: 'skipped', message: 'deprecated rules never score' });
        else postings.push({ posting: { ...examplePosting(rule, example), id: `${rule.id} ${kind}[${index}]` }, rule, kind, index, base });
      });
    }
  }
  async function* all(): AsyncGenerator<ReadItem> {
    for (const p of postings) yield { kind: 'posting', posting: p.posting };
  }
  let i = 0;
  for await (const item of scorePostings(all(), [pool])) {
    const { rule, kind, index, posting, base } = postings[i++]!;
    const record = 'records' in item ? item.records[0]! : item.readError;
    const example = rule.examples[kind][index]!;
    if (isErrorRecord(record)) {
      cases.push({
        ...base,
        status: 'failed',
        message: `${kind} example ${index + 1} of ${rule.id} could not be scored: ${record.error.code}: ${record.error.message}`,
      });
      continue;
    }
    const fired = record.hits.some((h) => h.rule === rule.id);
    if (fired === (kind === 'match')) cases.push({ ...base, status: 'passed' });
    else {
      const expected = kind === 'match' ? 'should fire but' : 'should not fire but';
      cases.push({
        ...base,
        status: 'failed',
        message: `${rule.id} ${kind} example ${index + 1} ${JSON.stringify(exampleText(example))} ${expected} ${whyOf(rule, record, kind === 'match')} (posting id ${posting.id})`,
      });
    }
  }
  return cases;
}

interface Expectation {
  labels: Label[];
  rules: string[];
  line: number;
}

/** `expected.yaml`: posting id -> {labels: [...], rules: [...]}. */
function parseExpectations(text: string, file: string): Map<string, Expectation> {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new LurescanError('BAD_CASES', `${file}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new LurescanError('BAD_CASES', `${file}: expected a mapping of posting id to {labels, rules}`);
  const out = new Map<string, Expectation>();
  for (const pair of doc.contents.items) {
    const id = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const value = (pair.value as { toJSON?: () => unknown })?.toJSON?.() as { labels?: unknown; rules?: unknown } | undefined;
    const labels = value?.labels ?? [];
    const rules = value?.rules ?? [];
    const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!strings(labels) || !labels.every((l) => (LABELS as readonly string[]).includes(l)) || !strings(rules)) {
      throw new LurescanError('BAD_CASES', `${file}: \`${id}\` needs \`labels\` (from ${LABELS.join(', ')}) and \`rules\` (rule ids) lists`);
    }
    const range = (pair.key as unknown as { range?: [number] })?.range;
    out.set(id, { labels: labels as Label[], rules, line: range ? lines.linePos(range[0]).line : 1 });
  }
  return out;
}

/** A posting's name within its case folder: its id, or for a whole-file posting its file name. */
function caseId(posting: Posting, folder: string): string {
  const file = posting.source.file;
  if (file !== undefined && posting.id === file) return path.relative(folder, path.resolve(file)).split(path.sep).join('/');
  return posting.id;
}

function checkCase(kind: 'ok' | 'ng', verdict: Verdict, expected: Expectation | undefined): string | undefined {
  if (kind === 'ok') {
    return verdict.flagged
      ? `flagged ${verdict.labels.join(', ')} (score ${JSON.stringify(verdict.scores)}; rules ${describeHits(verdict)}), expected not flagged`
      : undefined;
  }
  if (!expected) return `no entry in ${EXPECTED_FILE}`;
  const problems: string[] = [];
  const got = [...verdict.labels].sort();
  const want = [...expected.labels].sort();
  if (got.join() !== want.join()) problems.push(`labels [${got.join(', ')}], expected [${want.join(', ')}] (scores ${JSON.stringify(verdict.scores)})`);
  const fired = new Set(verdict.hits.map((h) => h.rule));
  const missing = expected.rules.filter((r) => !fired.has(r));
  if (missing.length > 0) problems.push(`rules ${missing.join(', ')} did not fire (fired: ${describeHits(verdict)})`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Run the case folders (`ok.*`, `ng.*`) below `dir`. */
export async function runCases(dir: string, pool: ScorePool): Promise<TestCase[]> {
  let entries;
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && /^(ok|ng)\./.test(e.name));
  } catch (error) {
    throw new LurescanError('CASES_UNREADABLE', `cannot read cases folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (entries.length === 0) throw new LurescanError('NO_CASES', `no ok.* or ng.* folders in ${dir}`);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const cases: TestCase[] = [];
  for (const entry of entries) {
    const folder = path.join(dir, entry.name);
    const kind = entry.name.startsWith('ok.') ? 'ok' : 'ng';
    const expectedPath = path.join(folder, EXPECTED_FILE);
    const expectedFile = relativeToCwd(expectedPath, process.cwd());
    let expectations = new Map<string, Expectation>();
    if (kind === 'ng') {
      const text = await readFile(expectedPath, 'utf8').catch(() => {
        throw new LurescanError('BAD_CASES', `${expectedFile} is missing: an ng.* folder lists each posting's expected labels and rules there`);
      });
      expectations = parseExpectations(text, expectedFile);
    }
    const units = (await planInputs([folder])).filter((u) => path.basename(u.path ?? '') !== EXPECTED_FILE);
    const suite = `cases/${entry.name}`;
    const seen = new Set<string>();
    for await (const item of scorePostings(readInputs(units), [pool])) {
      if ('readError' in item) {
        const e = item.readError;
        cases.push({
          suite,
          group: entry.name,
          name: e.id,
          status: 'failed',
          message: `${e.error.code}: ${e.error.message}`,
          ...(e.source.file ? { file: e.source.file } : {}),
        });
        continue;
      }
      const id = caseId(item.posting, folder);
      seen.add(id);
      const record = item.records[0]!;
      const expected = expectations.get(id);
      const where = expected
        ? { file: expectedFile, line: expected.line }
        : { file: item.posting.source.file ?? folder, ...(item.posting.source.line ? { line: item.posting.source.line } : {}) };
      const message = isErrorRecord(record) ? `${record.error.code}: ${record.error.message}` : checkCase(kind, record, expected);
      cases.push({
        suite,
        group: entry.name,
        name: id,
        status: message ? 'failed' : 'passed',
        ...(message ? { message: `${entry.name}/${id}: ${message}` } : {}),
        ...where,
      });
    }
    for (const [id, expected] of expectations) {
      if (!seen.has(id))
        cases.push({
          suite,
          group: entry.name,
          name: id,
          status: 'failed',
          message: `${entry.name}/${id}: listed in ${EXPECTED_FILE} but no such posting in the folder`,
          file: expectedFile,
          line: expected.line,
        });
    }
  }
  return cases;
}

/**
 * The fixture cases run with a rule set: `--cases <dir>`; none with `--no-cases`; else the shipped
 * cases for the shipped rules, or a cases folder beside the rules (see casesBeside).
 */
export function casesFor(location: string, option: string | boolean | undefined): string | undefined {
  if (typeof option === 'string') return option;
  if (option === false) return undefined;
  const shippedCases = path.join(PACKAGE_ROOT, 'fixtures', 'cases');
  const shipped = path.resolve(location) === path.resolve(DEFAULT_RULES_DIR);
  return shipped && existsSync(shippedCases) ? shippedCases : casesBeside(location);
}

/** The rule set's own errors as failed checks: tests of a broken rule set cannot pass. */
export function loadFailures(ruleset: RuleSetDefinition): TestCase[] {
  return ruleset.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({
      suite: 'ruleset',
      group: p.file,
      name: `${p.code} ${p.rule ?? ''}`.trim(),
      status: 'failed' as const,
      message: `${p.rule ? `rule ${p.rule}: ` : ''}${p.code}: ${p.message} (run \`lurescan rules lint\`)`,
      file: p.file,
      ...(p.line !== undefined ? { line: p.line } : {}),
    }));
}

/** Fixture cases kept beside a rules folder, as the shipped ones are: `../fixtures/cases`, `../cases`, or `cases` inside it. */
function casesBeside(location: string): string | undefined {
  const dir = path.resolve(location);
  return [path.join(path.dirname(dir), 'fixtures', 'cases'), path.join(path.dirname(dir), 'cases'), path.join(dir, 'cases')].find((candidate) =>
    existsSync(candidate),
  );
}

/** Failed cases as SARIF results: an example names its rule, a broken rule set its problem's code. */
export function failedAsProblems(cases: readonly TestCase[]): Problem[] {
  return cases
    .filter((c) => c.status === 'failed')
    .map((c) => ({
      code: c.suite === 'examples' ? 'EXAMPLE_FAILED' : c.suite === 'ruleset' ? c.name.split(' ')[0]! : 'CASE_FAILED',
      severity: 'error',
      message: c.message ?? 'failed',
      ...(c.file ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
      ...(c.suite === 'examples' ? { rule: c.group } : {}),
    }));
}
