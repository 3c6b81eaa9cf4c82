// `lurescan rules lint|test|diff|stats` in-process through main() (runMain), on a copy of the shipped
// rules with planted problems, small rule sets and corpora, and a temporary git repo; a posting
// stalled by a catastrophic regex through the built binary (runBinary), for the time budget.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRuleFiles } from '../src/input/rule-files.js';
import { cachedRuleSet, loadRuleSet } from '../src/run/rules.js';
import { lintRuleFiles, type Finding } from '../src/toolkit/lint.js';
import { REDOS_VERDICTS_VERSION } from '../src/toolkit/redos.js';
import YAML from 'yaml';
import { type CliRun, runBinary, runMain as run, tempDir, unlearned } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Commands that several tests below read, run once a file, by their arguments, whichever test asks
 * first: the whole shipped rule set's lint, test and diff (each a claim about the whole set, made
 * once), and the commands the GitHub Action runs on a small clean rule folder.
 */
const runs = new Map<string, Promise<CliRun>>();
function runOnce(args: string[]): Promise<CliRun> {
  const key = JSON.stringify(args);
  let ran = runs.get(key);
  if (ran === undefined) runs.set(key, (ran = run(args)));
  return ran;
}

/**
 * A rule folder of two rules that lints and tests clean, and a labelled corpus: the Action's commands
 * with their flags, and what a clean lint writes as SARIF, need no more. Made on first use.
 */
let clean: { rules: string; corpus: string; sarif: string } | undefined;
function cleanFolder(): { rules: string; corpus: string; sarif: string } {
  if (clean === undefined) {
    const dir = tempDir('lurescan-clean-');
    const rules = smallRules(path.join(dir, 'rules'), true);
    const corpus = path.join(dir, 'corpus.csv');
    writeFileSync(corpus, LABELLED);
    clean = { rules, corpus, sarif: path.join(dir, 'lint.sarif') };
  }
  return clean;
}

/** `rules lint <clean folder> --format sarif --out`, as the GitHub Action runs it. */
const lintCleanSarif = (): Promise<CliRun> => runOnce(['rules', 'lint', cleanFolder().rules, '--format', 'sarif', '--out', cleanFolder().sarif]);

/** How many match and nomatch examples the rules of a rule file hold. */
function countExamples(file: string): number {
  const { rules } = YAML.parse(readFileSync(file, 'utf8')) as { rules: Array<{ examples?: { match?: unknown[]; nomatch?: unknown[] } }> };
  return rules.reduce((n, r) => n + (r.examples?.match?.length ?? 0) + (r.examples?.nomatch?.length ?? 0), 0);
}

/** A complete rule (metadata, examples) with overrides, as YAML list item text. */
function rule(id: string, body: string, label = 'forced-criminality', category = 'destination', points = 4): string {
  return `  - id: ${id}
    title: test rule ${id}
    label: ${label}
    category: ${category}
    points: ${points}
    references: [WIKI]
    falsepositives: Only in these tests; no real postings involved.
${body}`;
}

describe('rules lint and rules test on a copy of a shipped rule file with planted problems', () => {
  // One shipped file (cover-job.yaml, clean on its own) and the shipped scoring file without its
  // learned points (they name rules of every file): the planted problems sit beside real rules, and
  // lint and test read a folder of three files, not the whole rule set, which the tests below check.
  const dir = tempDir('lurescan-toolkit-');
  const rules = path.join(dir, 'rules');
  mkdirSync(path.join(rules, 'forced-criminality'), { recursive: true });
  cpSync(path.join(root, 'rules/forced-criminality/cover-job.yaml'), path.join(rules, 'forced-criminality/cover-job.yaml'));
  writeFileSync(path.join(rules, 'scoring.yaml'), unlearned(readFileSync(path.join(root, 'rules/scoring.yaml'), 'utf8')));
  const examples = countExamples(path.join(rules, 'forced-criminality/cover-job.yaml'));
  writeFileSync(
    path.join(rules, 'planted.yaml'),
    `rules:
${rule(
  'FC-TEST-REDOS',
  `    any:
      - regex: '(a+)+b'
    examples:
      match: ["aab"]
      nomatch: ["xyz"]
`,
)}
${rule(
  'FC-COVER-DATA-TYPIST',
  `    any: [{keywords: [poipet]}]
    examples: {match: ["poipet"], nomatch: ["paris"]}
`,
)}
${rule(
  'FC-TEST-OVERCAP',
  `    any: [{keywords: [urgentissimo]}]
    examples: {match: ["urgentissimo"], nomatch: ["paris"]}
`,
  'forced-criminality',
  'urgency',
  4,
)}
${rule(
  'FC-TEST-BADREF',
  `    any: [{keywords: [badrefword]}]
    examples: {match: ["badrefword"], nomatch: ["paris"]}
`,
).replace('references: [WIKI]', 'references: [WIKII]')}
${rule(
  'FC-TEST-EXAMPLE',
  `    any: [{keywords: [bavet]}]
    examples:
      match: ["a job in Bavet", "a job in Phnom Penh"]
      nomatch: ["Bavet casino"]
`,
)}`,
  );
  writeFileSync(path.join(rules, 'broken.yaml'), 'rules:\n  - id: FC-TEST-BROKEN\n    title: [unclosed\n');

  it('lint names file, line and rule of each problem and exits 1', async () => {
    const { code, stdout } = await run(['rules', 'lint', rules, '--format', 'json']);
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: Finding[] }).findings;
    const planted = path.relative(root, path.join(rules, 'planted.yaml'));
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'error',
          file: planted,
          line: 10,
          rule: 'FC-TEST-REDOS',
          code: 'REDOS',
          message: expect.stringContaining('exponential'),
        }),
        expect.objectContaining({
          severity: 'error',
          file: planted,
          line: 15,
          rule: 'FC-COVER-DATA-TYPIST',
          code: 'DUPLICATE_ID',
          message: expect.stringContaining('cover-job.yaml'),
        }),
        expect.objectContaining({ severity: 'error', file: path.relative(root, path.join(rules, 'broken.yaml')), line: 4, code: 'YAML_SYNTAX' }),
        expect.objectContaining({
          severity: 'warning',
          rule: 'FC-TEST-OVERCAP',
          code: 'POINTS_OVER_CAP',
          message: expect.stringContaining('cap of category `urgency`'),
        }),
        expect.objectContaining({
          severity: 'error',
          rule: 'FC-TEST-BADREF',
          code: 'UNKNOWN_REFERENCE',
          message: expect.stringContaining('did you mean WIKI'),
        }),
      ]),
    );
    // The shipped file beside them adds nothing.
    expect(findings.every((f) => f.file.endsWith('planted.yaml') || f.file.endsWith('broken.yaml'))).toBe(true);
  }, 30_000);

  it('lint finds the same whether it parses the files or the rule-set cache holds their set', async () => {
    // Lint reads the set from the rule-set cache when a scan or `rules test` put it there. A copy of
    // the planted folder with a comment of its own, so the cache cannot hold its set yet.
    const copy = path.join(tempDir('lurescan-lint-cache-'), 'rules');
    cpSync(rules, copy, { recursive: true });
    writeFileSync(path.join(copy, 'scoring.yaml'), `${readFileSync(path.join(copy, 'scoring.yaml'), 'utf8')}# ${randomUUID()}\n`);
    expect(await cachedRuleSet(await readRuleFiles(copy))).toBeUndefined();
    const parsed = await run(['rules', 'lint', copy, '--format', 'json']);
    expect(parsed.code).toBe(1);
    expect((JSON.parse(parsed.stdout) as { findings: Finding[] }).findings.length).toBeGreaterThan(4);
    await loadRuleSet(copy);
    expect(await cachedRuleSet(await readRuleFiles(copy))).toBeDefined();
    const cached = await run(['rules', 'lint', copy, '--format', 'json']);
    expect(cached.stdout).toBe(parsed.stdout);
    expect(cached.code).toBe(1);
  }, 30_000);

  it('lint writes SARIF 2.1.0 with rule ids, levels and physical locations', async () => {
    const { code, stdout } = await run(['rules', 'lint', rules, '--format', 'sarif']);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'REDOS');
    expect(result).toMatchObject({ level: 'error', message: { text: expect.stringContaining('FC-TEST-REDOS') } });
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: expect.stringMatching(/planted\.yaml$/) },
      region: { startLine: 10 },
    });
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['DUPLICATE_ID', 'REDOS', 'YAML_SYNTAX']));
    expect(sarif.runs[0].results.every((r: { ruleIndex: number; ruleId: string }) => sarif.runs[0].tool.driver.rules[r.ruleIndex].id === r.ruleId)).toBe(true);
  }, 30_000);

  it('lint writes SARIF that code scanning takes: the whole catalogue, also when clean, and URIs from the repository root', async () => {
    // A repository of its own, its rules one folder down: URIs say rules/..., wherever lint ran.
    const repo = tempDir('lurescan-sarif-repo-');
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(path.join(repo, 'rules'));
    writeFileSync(path.join(repo, 'rules', 'one.yaml'), readFileSync(path.join(rules, 'planted.yaml'), 'utf8'));
    const { stdout } = await run(['rules', 'lint', path.join(repo, 'rules'), '--format', 'sarif', '--no-cache']);
    const sarif = JSON.parse(stdout);
    const uris = sarif.runs[0].results.map(
      (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }) =>
        r.locations[0]!.physicalLocation.artifactLocation,
    );
    expect(uris.length).toBeGreaterThan(0);
    expect(uris.every((u: { uri: string; uriBaseId: string }) => u.uri === 'rules/one.yaml' && u.uriBaseId === '%SRCROOT%')).toBe(true);
    // Clean: no results, and still every kind of problem described (the catalogue is the same for any rule set).
    expect((await lintCleanSarif()).code).toBe(0);
    const clean = JSON.parse(readFileSync(cleanFolder().sarif, 'utf8'));
    expect(clean.runs[0].results).toEqual([]);
    const catalogue = clean.runs[0].tool.driver.rules as Array<{ id: string; fullDescription: { text: string }; help: { text: string }; helpUri: string }>;
    expect(catalogue.length).toBeGreaterThan(20);
    for (const rule of catalogue) {
      expect(rule.fullDescription.text.length, rule.id).toBeGreaterThan(20);
      expect(rule.help.text.length, rule.id).toBeGreaterThan(20);
      expect(rule.helpUri).toMatch(/^https:\/\//);
    }
  }, 60_000);

  it('test names the rule, the example and what happened, and exits 1', async () => {
    const { code, stdout } = await run(['rules', 'test', '--jobs', '0', rules]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/planted\.yaml:\d+: FAIL FC-TEST-EXAMPLE match example 2 "a job in Phnom Penh" should fire but it did not fire/);
    expect(stdout).toMatch(/FAIL FC-TEST-EXAMPLE nomatch example 1 "Bavet casino" should not fire but it fired: matched "Bavet" in description/);
    expect(stdout).toMatch(/broken\.yaml:4: FAIL YAML_SYNTAX: not valid YAML/);
    expect(stdout).toMatch(/planted\.yaml:15: FAIL rule FC-COVER-DATA-TYPIST: DUPLICATE_ID/);
    expect(stdout).toMatch(/failed/);
  }, 30_000);

  it('test writes JUnit with one testcase per example', async () => {
    const { code, stdout } = await run(['rules', 'test', '--jobs', '0', rules, '--format', 'junit']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^<\?xml/);
    expect(stdout).toMatch(
      /<testcase classname="examples\.FC-TEST-EXAMPLE" name="match\[1\] a job in Phnom Penh" file="[^"]*planted\.yaml" line="\d+">\s*<failure message="[^"]*should fire but/,
    );
    expect(stdout).toMatch(/<testcase classname="examples\.FC-COVER-CSR-TELESALES" name="match\[0\] [^"]*"[^>]*\/>/);
    // One per example of the shipped file and of the planted rules: two each, three for FC-TEST-EXAMPLE
    // (the duplicate id's are not run: it fails as a rule).
    const testcases = [...stdout.matchAll(/<testcase classname="([^"]+)"/g)].map((m) => m[1]!);
    expect(testcases.filter((c) => c.startsWith('examples.FC-COVER-')).length).toBe(examples);
    expect(testcases.filter((c) => c.startsWith('examples.FC-TEST-')).length).toBe(3 * 2 + 3);
  }, 30_000);
});

describe('rules lint checks', () => {
  it('finds patterns matching the empty string or everything, literals that cannot occur, and unnormalised keywords', async () => {
    const dir = tempDir('lurescan-lint-');
    writeFileSync(
      path.join(dir, 'r.yaml'),
      `rules:
${rule(
  'FC-TEST-EMPTY',
  `    any: [{regex: '(?:poipet)?'}]
    examples: {match: ["poipet"], nomatch: ["paris"]}
`,
)}
${rule(
  'FC-TEST-ALL',
  `    any: [{regex: '\\w+'}]
    examples: {match: ["poipet"], nomatch: ["!!"]}
`,
)}
${rule(
  'FC-TEST-UPPER',
  `    any: [{regex: '\\bTelegram\\b'}, {keywords: [WhatsApp, 'Теlеgrаm']}]
    examples: {match: ["whatsapp"], nomatch: ["paris"]}
`,
)}
${rule(
  'FC-TEST-BOUNDARY',
  `    any: [{regex: '\\bcaf[eé]\\b'}, {regex: '\\b(?:tour|đêm)'}, {regex: '(?<![\\p{L}\\p{N}])đêm(?![\\p{L}\\p{N}])|\\bcafe\\b'}]
    examples: {match: ["cafe"], nomatch: ["paris"]}
`,
)}`,
    );
    const { code, stdout } = await run(['rules', 'lint', dir, '--format', 'json', '--no-cache']);
    expect(code).toBe(1);
    const got = (JSON.parse(stdout) as { findings: Finding[] }).findings.map((f) => `${f.rule} ${f.severity} ${f.code}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'FC-TEST-EMPTY error MATCHES_EMPTY',
        'FC-TEST-ALL error MATCHES_EVERYTHING',
        'FC-TEST-UPPER error REGEX_NEVER_MATCHES',
        'FC-TEST-UPPER warning KEYWORD_NOT_NORMALISED',
        'FC-TEST-BOUNDARY warning BOUNDARY_BESIDE_NON_ASCII',
      ]),
    );
    expect(got.filter((g) => g.includes('KEYWORD_NOT_NORMALISED'))).toHaveLength(2);
    // \b beside "é" (in a class) and beside "đ" (in an alternative) never holds; lookarounds and ASCII-only words are fine.
    const boundary = (JSON.parse(stdout) as { findings: Finding[] }).findings.filter((f) => f.code === 'BOUNDARY_BESIDE_NON_ASCII');
    expect(boundary.map((f) => f.message)).toEqual([
      expect.stringContaining('matcher 1: \\b beside "é"'),
      expect.stringContaining('matcher 2: \\b beside "đ"'),
    ]);
  }, 30_000);

  it('reads the ReDoS verdicts shipped beside the rules before its cache, and only those of its recheck', async () => {
    const dir = tempDir('lurescan-seed-');
    writeFileSync(
      path.join(dir, 'r.yaml'),
      `rules:
${rule(
  'FC-TEST-SEEDED',
  `    any: [{regex: '\\bseedcheck\\d{2}\\b'}]
    examples: {match: ["seedcheck42"], nomatch: ["paris"]}
`,
)}`,
    );
    const files = await readRuleFiles(dir);
    const redosOf = async (seed?: object): Promise<Finding[]> => {
      const seedFile = path.join(dir, `seed-${randomUUID()}.json`);
      if (seed) writeFileSync(seedFile, JSON.stringify(seed));
      const report = await lintRuleFiles(files, { redos: { ...(seed ? { seedFile } : {}), cacheFile: path.join(dir, `cache-${randomUUID()}.json`) } });
      return report.findings.filter((f) => f.code.startsWith('REDOS'));
    };
    // The pattern is safe: checked afresh, lint finds nothing.
    expect(await redosOf()).toEqual([]);
    // A seed that says otherwise is believed (it is read instead of checking), so it is what lint used.
    const verdicts = { '\\bseedcheck\\d{2}\\b': { status: 'vulnerable', complexity: 'exponential', attack: "'seedcheck'.repeat(9)" } };
    const planted = await redosOf({ recheck: REDOS_VERDICTS_VERSION, verdicts });
    expect(planted.map((f) => [f.rule, f.code])).toEqual([['FC-TEST-SEEDED', 'REDOS']]);
    // A seed written under another recheck is ignored.
    expect(await redosOf({ recheck: '0.0.0+steps', verdicts })).toEqual([]);
    // The shipped seed is of the recheck in use, and holds decided verdicts only.
    const shipped = JSON.parse(readFileSync(path.join(root, 'rules/redos-verdicts.json'), 'utf8'));
    expect(shipped.recheck).toBe(REDOS_VERDICTS_VERSION);
    expect(Object.values(shipped.verdicts).every((v) => (v as { status: string }).status !== 'unknown')).toBe(true);
  }, 30_000);

  it('accepts a ReDoS exemption by rule id with a stated reason, and refuses one without', async () => {
    const dir = tempDir('lurescan-exempt-');
    const body = (exempt: string) => `rules:
${rule(
  'FC-TEST-EXEMPT',
  `    redos-exempt: ${exempt}
    any: [{regex: '\\b(?:x+x+)+y'}]
    examples: {match: ["xxy"], nomatch: ["paris"]}
`,
)}`;
    writeFileSync(path.join(dir, 'r.yaml'), body('"bounded by the 5 s time budget; measured 2 ms on 64 kB inputs"'));
    const exempt = await run(['rules', 'lint', dir]);
    expect(exempt.code).toBe(0);
    expect(exempt.stdout).toMatch(/rule FC-TEST-EXEMPT field `any`: note REDOS_EXEMPT: .*exempt: bounded by the 5 s time budget/);
    writeFileSync(path.join(dir, 'r.yaml'), body('""'));
    const refused = await run(['rules', 'lint', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/rule FC-TEST-EXEMPT field `redos-exempt`: error BAD_VALUE: `redos-exempt` must state the reason/);
  }, 30_000);

  it('exits 2 when it cannot run', async () => {
    // That the shipped rules lint clean is test/shipped/rules.test.ts's (npm run test:shipped).
    const missing = await run(['rules', 'lint', 'no/such/rules']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/rules folder no\/such\/rules does not exist/);
    expect((await run(['rules', 'lint', '--format', 'xml'])).code).toBe(2);
  });
});

describe('rules test and the cases beside a rules folder', () => {
  it('runs the cases kept beside a rules folder it is given, and says so when there are none', async () => {
    const dir = tempDir('lurescan-beside-');
    const rules = smallRules(path.join(dir, 'rules'), true);
    const alone = await run(['rules', 'test', rules, '--format', 'json', '--jobs', '0']);
    expect(alone.stderr).toContain(`no fixture cases run for ${rules}`);
    mkdirSync(path.join(dir, 'cases', 'ok.plain'), { recursive: true });
    writeFileSync(path.join(dir, 'cases', 'ok.plain', 'p.csv'), 'id,title,description\nk1,Clerk,Office work in Paris\n');
    const beside = await run(['rules', 'test', rules, '--format', 'json', '--jobs', '0']);
    expect(beside.stderr).not.toContain('no fixture cases');
    expect((JSON.parse(beside.stdout) as { cases: { suite: string }[] }).cases.map((c) => c.suite)).toContain('cases/ok.plain');
    // Each example's line (match and nomatch share one here), found once for these files' texts and
    // then read from the cache folder, and found again once an edit moves it.
    const file = path.join(rules, 'r.yaml');
    const where = (): number =>
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('match: ["poipet"]')) + 1;
    const poipet = (stdout: string): number[] =>
      (JSON.parse(stdout) as { cases: { group: string; line: number }[] }).cases.filter((c) => c.group === 'FC-TEST-POIPET').map((c) => c.line);
    expect(where()).toBeGreaterThan(1);
    expect(poipet(alone.stdout)).toEqual([where(), where()]);
    expect(poipet(beside.stdout)).toEqual([where(), where()]);
    writeFileSync(file, `# one line down\n${readFileSync(file, 'utf8')}`);
    const moved = await run(['rules', 'test', rules, '--format', 'json', '--jobs', '0']);
    expect(poipet(moved.stdout)).toEqual([where(), where()]);
  }, 30_000);

  // binary: the scoring thread's time budget, as a user's process runs it. The test's time-out is the
  // guard against a hang: no assertion rests on how long the run took. The budget is 50 ms: the
  // stalled example burns it twice (its run and the retry), and the other postings need well under a
  // millisecond of work each on the warmed-up thread, counted on its CPU clock.
  it('binary: reports a case whose expectation fails, and a posting stalled by a catastrophic regex, and goes on', async () => {
    const dir = tempDir('lurescan-cases-');
    const rules = path.join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      path.join(rules, 'r.yaml'),
      `rules:
${rule(
  'FC-TEST-HUB',
  `    any: [{keywords: [poipet]}]
    examples: {match: ["job in poipet"], nomatch: ["job in paris"]}
`,
  'forced-criminality',
  'destination',
  8,
)}
${rule(
  'FC-TEST-SLOW',
  `    redos-exempt: "planted to prove the time budget; never shipped"
    any: [{regex: '(a+)+$'}]
    examples: {match: ["aa"], nomatch: ["${'a'.repeat(40)}!"]}
`,
  'forced-criminality',
  'pay',
  1,
)}`,
    );
    const cases = path.join(dir, 'cases');
    mkdirSync(path.join(cases, 'ng.hubs'), { recursive: true });
    mkdirSync(path.join(cases, 'ok.plain'), { recursive: true });
    writeFileSync(path.join(cases, 'ng.hubs', 'p.csv'), 'id,title,description\nh1,Clerk,Office work in Poipet\nh2,Clerk,Office work in Paris\n');
    writeFileSync(
      path.join(cases, 'ng.hubs', 'expected.yaml'),
      'h1:\n  labels: [forced-criminality]\n  rules: [FC-TEST-HUB]\nh2:\n  labels: [forced-criminality]\n  rules: [FC-TEST-HUB]\nh3:\n  labels: []\n  rules: []\n',
    );
    writeFileSync(path.join(cases, 'ok.plain', 'p.csv'), 'id,title,description\nk1,Clerk,Office work in Paris\nk2,Clerk,Office work in Poipet\n');
    const { code, stdout } = await runBinary(['rules', 'test', rules, '--cases', cases, '--time-budget', '50', '--jobs', '1']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL nomatch example 1 of FC-TEST-SLOW could not be scored: SCORE_TIMEOUT: .*in rule FC-TEST-SLOW/);
    expect(stdout).toMatch(/expected\.yaml:4: FAIL ng\.hubs\/h2: labels \[\], expected \[forced-criminality\].*; rules FC-TEST-HUB did not fire/);
    expect(stdout).toMatch(/expected\.yaml:7: FAIL ng\.hubs\/h3: listed in expected\.yaml but no such posting/);
    expect(stdout).toMatch(/FAIL ok\.plain\/k2: flagged forced-criminality/);
    expect(stdout).not.toMatch(/ng\.hubs\/h1:/);
  }, 30_000);
});

const LABELLED = `id,title,description,label
fc1,Clerk,Typing job in Poipet. Free flight.,forced-criminality
fc2,Clerk,Typing job in Bavet.,forced-criminality
fc3,Clerk,Office job in Poipet,forced-criminality
ef1,Helper,Pay a registration fee first,employment-fraud
lg1,Clerk,Office job in Paris,legit
lg2,Clerk,Free flight to Paris for our new chef,legit
`;

function smallRules(dir: string, withBavet: boolean): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'r.yaml'),
    `rules:
${rule(
  'FC-TEST-POIPET',
  `    any: [{keywords: [poipet]}]
    examples: {match: ["poipet"], nomatch: ["paris"]}
`,
  'forced-criminality',
  'destination',
  8,
)}
${
  withBavet
    ? rule(
        'FC-TEST-BAVET',
        `    any: [{keywords: [bavet]}]
    examples: {match: ["bavet"], nomatch: ["paris"]}
`,
        'forced-criminality',
        'routing',
        8,
      )
    : ''
}
${rule(
  'FC-TEST-FLIGHT',
  `    any: [{keywords: [free flight]}]
    examples: {match: ["free flight"], nomatch: ["paris"]}
`,
  'forced-criminality',
  'travel-paid',
  2,
)}
${rule(
  'EF-TEST-FEE',
  `    any: [{keywords: [registration fee]}]
    examples: {match: ["registration fee"], nomatch: ["paris"]}
`,
  'employment-fraud',
  'advance-fee',
  6,
)}
${rule(
  'EF-TEST-NEVER',
  `    any: [{keywords: [zzzz]}]
    examples: {match: ["zzzz"], nomatch: ["paris"]}
`,
  'employment-fraud',
  'advance-fee',
  6,
)}`,
  );
  return dir;
}

describe('rules diff', () => {
  const dir = tempDir('lurescan-diff-');
  const base = smallRules(path.join(dir, 'base'), true);
  const head = smallRules(path.join(dir, 'head'), false);
  const corpus = path.join(dir, 'corpus.csv');
  writeFileSync(corpus, LABELLED);

  it('reports postings no longer flagged with the rule responsible, hit counts and the recall drop', async () => {
    const { code, stdout } = await run(['rules', 'diff', '--jobs', '0', '--base', base, '--rules', head, corpus, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.scoring).toBe('rules only');
    expect(report.rules).toEqual({ added: [], removed: ['FC-TEST-BAVET'], changed: [] });
    expect(report.newlyFlagged).toEqual([]);
    expect(report.noLongerFlagged).toEqual([
      expect.objectContaining({
        id: 'fc2',
        label: 'forced-criminality',
        truth: 'forced-criminality',
        scoreBefore: 8,
        scoreAfter: 0,
        removed: ['FC-TEST-BAVET'],
        added: [],
      }),
    ]);
    expect(report.hitCounts).toEqual(
      expect.arrayContaining([
        { rule: 'FC-TEST-BAVET', before: 1, after: 0, gained: [], gainedTotal: 0, lost: ['fc2'], lostTotal: 1 },
        { rule: 'FC-TEST-POIPET', before: 2, after: 2, gained: [], gainedTotal: 0, lost: [], lostTotal: 0 },
      ]),
    );
    const text = await run(['rules', 'diff', '--jobs', '0', '--base', base, '--rules', head, corpus]);
    expect(text.stdout).toMatch(/FC-TEST-BAVET\s+1 -> 0 {2}\(no longer on fc2\)/);
    const fc = report.metrics.find((m: { key: string }) => m.key === 'forced-criminality');
    expect(fc.before).toMatchObject({ tp: 3, fp: 0, fn: 0, recall: 1, precision: 1 });
    expect(fc.after).toMatchObject({ tp: 2, fn: 1, recall: 0.6667 });
  }, 30_000);

  it('exits 1 with --fail-on regression, and writes Markdown for a pull request', async () => {
    const { code, stdout } = await run([
      'rules',
      'diff',
      '--jobs',
      '0',
      '--base',
      base,
      '--rules',
      head,
      corpus,
      '--format',
      'markdown',
      '--fail-on',
      'regression',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('## lurescan rules diff');
    expect(stdout).toContain('rules only (the model is held out of diffs)');
    expect(stdout).toMatch(/Regression:\*\* recall of forced-criminality fell from 1 to 0\.6667/);
    expect(stdout).toMatch(/\| `fc2` Clerk \| forced-criminality \| forced-criminality \| 8 → 0 \| -FC-TEST-BAVET \|/);
    expect(stdout).toMatch(/\| forced-criminality \| 6 \| 100\.0% → 100\.0% \(±0\) \| 100\.0% → 66\.7% \(-33\.3 pt\) \|/);
    // Adding the rule back is no regression.
    expect((await run(['rules', 'diff', '--jobs', '0', '--base', head, '--rules', base, corpus, '--fail-on', 'regression'])).code).toBe(0);
  }, 30_000);

  it('reads the base rules from a git ref without touching the work tree', async () => {
    const repo = path.join(dir, 'repo');
    smallRules(path.join(repo, 'rules'), true);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'rules');
    smallRules(path.join(repo, 'rules'), false);
    const { code, stdout } = await run(['rules', 'diff', '--jobs', '0', '--base', 'HEAD', '--rules', path.join(repo, 'rules'), corpus, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.rules.removed).toEqual(['FC-TEST-BAVET']);
    expect(report.noLongerFlagged.map((c: { id: string }) => c.id)).toEqual(['fc2']);
    expect(git('status', '--porcelain')).toBe(' M rules/r.yaml\n');
    const bad = await run(['rules', 'diff', '--base', 'no-such-branch', '--rules', path.join(repo, 'rules'), corpus]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--base no-such-branch: no such folder, and no such git ref/);
    rmSync(repo, { recursive: true, force: true });
  }, 30_000);

  it('diffs against the target branch on the shipped fixtures by default', async () => {
    // The one diff of the whole shipped rule set, on the shipped fixtures.
    const { code, stdout } = await runOnce(['rules', 'diff', '--jobs', '0', '--base', 'rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/corpus: fixtures\/postings: \d{3} postings, \d{3} labelled/);
    expect(stdout).toMatch(/newly flagged: 0\nno longer flagged: 0/);
  }, 30_000);
});

describe('rules stats', () => {
  it('gives per-rule hits per label, precision, overlap and rules that never fire', async () => {
    const dir = tempDir('lurescan-stats-');
    const rules = smallRules(path.join(dir, 'rules'), true);
    const corpus = path.join(dir, 'corpus.csv');
    writeFileSync(corpus, LABELLED);
    const { code, stdout } = await run(['rules', 'stats', '--jobs', '0', corpus, '--rules', rules, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ postings: 6, labelled: 6, neverFired: ['EF-TEST-NEVER'] });
    const flight = report.rules.find((r: { rule: string }) => r.rule === 'FC-TEST-FLIGHT');
    expect(flight).toMatchObject({ hits: 2, byTruth: { 'forced-criminality': 1, legit: 1 }, target: 'forced-criminality', precision: 0.5 });
    expect(flight.overlap).toEqual([{ rule: 'FC-TEST-POIPET', together: 1, share: 0.5 }]);
    const text = await run(['rules', 'stats', '--jobs', '0', corpus, '--rules', rules]);
    expect(text.stdout).toMatch(/never fired \(1\): EF-TEST-NEVER/);
    expect((await run(['rules', 'stats', path.join(dir, 'none.csv'), '--rules', rules])).code).toBe(2);
  }, 30_000);

  it('reads an answer key in another column and coding with --label, --label-map and --map, as train and eval do', async () => {
    const dir = tempDir('lurescan-stats-');
    const rules = smallRules(path.join(dir, 'rules'), true);
    const corpus = path.join(dir, 'coded.csv');
    const coded = LABELLED.replace('id,title,description,label', 'ref,headline,body,klass')
      .replaceAll(',forced-criminality', ',2')
      .replaceAll(',employment-fraud', ',1')
      .replaceAll(',legit', ',0');
    writeFileSync(corpus, coded);
    const args = [
      'rules',
      'stats',
      '--jobs',
      '0',
      corpus,
      '--rules',
      rules,
      '--format',
      'json',
      '--label',
      'klass',
      '--label-map',
      '2=forced-criminality,1=employment-fraud,0=legit',
      '--map',
      'title=headline,description=body,id=ref',
    ];
    const report = JSON.parse((await run(args)).stdout);
    expect(report).toMatchObject({ postings: 6, labelled: 6, byTruth: { 'forced-criminality': 3, 'employment-fraud': 1, legit: 2 } });
    expect(report.rules.find((r: { rule: string }) => r.rule === 'FC-TEST-FLIGHT')).toMatchObject({ byTruth: { 'forced-criminality': 1, legit: 1 } });
    const diff = JSON.parse(
      (
        await run([
          'rules',
          'diff',
          '--jobs',
          '0',
          corpus,
          '--base',
          rules,
          '--rules',
          rules,
          '--format',
          'json',
          '--label',
          'klass',
          '--label-map',
          '2=forced-criminality,1=employment-fraud,0=legit',
          '--map',
          'title=headline,description=body',
        ])
      ).stdout,
    );
    expect(diff.corpus.labelled).toBe(6);
  }, 30_000);
});

describe('output files', () => {
  it('writes --out whole', async () => {
    const { code, stdout } = await lintCleanSarif();
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(cleanFolder().sarif, 'utf8')).runs[0].results).toEqual([]);
  }, 30_000);
});

describe('the problem codes', () => {
  it('are all in the docs table, with their description', async () => {
    const { PROBLEM_CODES } = await import('../src/toolkit/problem-codes.js');
    const doc = readFileSync(path.join(root, 'docs/rules-toolkit.md'), 'utf8');
    for (const [code, problem] of Object.entries(PROBLEM_CODES)) expect(doc, code).toContain(`| \`${code}\` | ${problem.description.replace(/\|/g, '\\|')} |`);
  });
});

describe('the GitHub Action and the pre-commit hooks', () => {
  /** Words of a shell command line, with "$VAR" expanded from `vars`. */
  const words = (line: string, vars: Record<string, string>): string[] =>
    (line.match(/"[^"]*"|\S+/g) ?? []).flatMap((word) => {
      const quoted = word.startsWith('"');
      const expanded = word.replace(/^"|"$/g, '').replace(/\$\{?(\w+)\}?/g, (_, name: string) => vars[name] ?? '');
      return quoted ? [expanded] : expanded.split(/\s+/).filter((w) => w !== '');
    });

  it('run commands lurescan has, with flags it takes, and pass on a clean rule folder', async () => {
    // The commands run as the Action runs them, on a small clean rule folder and corpus: what they
    // prove is that lurescan takes them and they pass when the rules do. That the shipped rules pass
    // is the whole set's one lint and one test in test/shipped/rules.test.ts (npm run test:shipped)
    // and its one diff above ("diffs against the target branch").
    const out = tempDir('lurescan-action-');
    const action = YAML.parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as { runs: { steps: Array<{ run: string }> } };
    const { rules, corpus, sarif } = cleanFolder();
    const vars = { RULES: rules, SARIF: sarif, CORPUS: corpus, FAIL_ON: 'regression', BASE: rules };
    const commands = action.runs.steps
      .flatMap((step) => step.run.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line.startsWith('node "$LURESCAN"'))
      .map((line) => words(line.replace(/\s*\|\|.*$/, '').replace(/^node "\$LURESCAN"\s*/, ''), vars));
    expect(commands.map((c) => c.slice(0, 2).join(' '))).toEqual(['rules lint', 'rules lint', 'rules test', 'rules diff']);
    for (const args of commands) {
      const ran = await runOnce(args.map((a) => (a === 'lurescan-diff.md' ? path.join(out, 'diff.md') : a)).concat(args[1] === 'lint' ? [] : ['--jobs', '0']));
      expect(ran.code, `${args.join(' ')}: ${ran.stderr}`).toBe(0);
    }
    expect(JSON.parse(readFileSync(vars.SARIF, 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(path.join(out, 'diff.md'), 'utf8')).toContain('## lurescan rules diff');
    const hooks = YAML.parse(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; args: string[] }>;
    expect(hooks.map((h) => h.id)).toEqual(['lurescan-rules-lint', 'lurescan-rules-test']);
    // The hooks as written name the shipped `rules` (which test/shipped/rules.test.ts lints and
    // tests whole); run here with the folder named as a user's `args` would name another (the clean one).
    expect(hooks.map((h) => h.args[0])).toEqual(['rules', 'rules']);
    for (const hook of hooks) {
      const args = [rules, ...hook.args.slice(1)];
      const ran = await runOnce([...hook.entry.split(' ').slice(1), ...args]);
      expect(ran.code, `${hook.id}: ${ran.stderr}`).toBe(0);
    }
  }, 120_000);
});
