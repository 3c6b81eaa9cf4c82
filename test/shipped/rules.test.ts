// The shipped rule set: valid, complete over the taxonomy and sourced; lint-clean as a whole; true
// to every one of its examples and fixture cases: `rules test` on the shipped rules scores every
// match and nomatch example as a scan scores a posting, which is what a rule author runs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers.js';
import { loadRuleSet } from '../../src/run/rules.js';
import { KNOWN_REFERENCES } from '../../src/rules/references.js';
import { CATEGORIES, LABELS } from '../../src/types.js';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

/** How many match and nomatch examples the rules of a rule file hold. */
function countExamples(file: string): number {
  const { rules } = YAML.parse(readFileSync(file, 'utf8')) as { rules: Array<{ examples?: { match?: unknown[]; nomatch?: unknown[] } }> };
  return rules.reduce((n, r) => n + (r.examples?.match?.length ?? 0) + (r.examples?.nomatch?.length ?? 0), 0);
}
const ruleset = await loadRuleSet(rulesDir);

describe('shipped rules', () => {
  it('load without problems', () => {
    expect(ruleset.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(ruleset.problems).toEqual([]);
    expect(ruleset.rules.length).toBeGreaterThanOrEqual(60);
  });

  it('cover every category of the taxonomy for both labels', () => {
    for (const label of LABELS) {
      for (const category of CATEGORIES[label]) {
        const found = ruleset.rules.filter((r) => r.label === label && r.category === category && r.status !== 'deprecated');
        expect(found.length, `${label}/${category}`).toBeGreaterThan(0);
      }
    }
  });

  it('cite the domain reference and carry false-positive notes and examples', () => {
    for (const rule of ruleset.rules) {
      expect(rule.references.length, rule.id).toBeGreaterThan(0);
      for (const ref of rule.references) expect(KNOWN_REFERENCES.has(ref), `${rule.id} cites unknown ${ref}`).toBe(true);
      expect(rule.falsepositives?.length ?? 0, rule.id).toBeGreaterThan(10);
      expect(rule.examples.match.length, rule.id).toBeGreaterThan(0);
      expect(rule.examples.nomatch.length, rule.id).toBeGreaterThan(0);
    }
  });

  it('have lure phrasing in the languages of the reference', () => {
    const languages = new Set(ruleset.rules.flatMap((r) => r.languages));
    for (const lang of ['en', 'zh', 'th', 'vi', 'id', 'ms', 'tl']) expect(languages.has(lang), lang).toBe(true);
  });

  it('cap weak categories so that weak signals alone cannot flag', () => {
    const caps = ruleset.scoring.caps['forced-criminality'];
    const weak = ['cover-job', 'requirements', 'urgency', 'pay'];
    const total = weak.reduce((sum, category) => sum + (caps[category] ?? ruleset.scoring.defaultCap), 0);
    expect(total).toBeLessThan(ruleset.scoring.thresholds['forced-criminality']);
  });

  it('lint clean, with the folder named as the pre-commit hook names it', async () => {
    const shipped = await runMain(['rules', 'lint', 'rules']);
    expect(shipped.stdout).toMatch(/\d{3} rules in \d+ files, \d+ regexes checked for ReDoS: 0 error\(s\), 0 warning\(s\)/);
    expect(shipped.code, shipped.stderr).toBe(0);
  }, 60_000);

  it('pass every example and the ok.* / ng.* cases', async () => {
    const { code, stdout } = await runMain(['rules', 'test', '--jobs', '0', '--format', 'json']);
    expect(code).toBe(0);
    const cases = (JSON.parse(stdout) as { cases: { suite: string; status: string }[] }).cases;
    const ruleFiles = (readdirSync(path.join(root, 'rules'), { recursive: true }) as string[]).filter(
      (file) => file.endsWith('.yaml') && file !== 'scoring.yaml',
    );
    const examples = ruleFiles.reduce((n, file) => n + countExamples(path.join(root, 'rules', file)), 0);
    expect(examples).toBeGreaterThan(790);
    expect(cases.filter((c) => c.suite === 'examples').length).toBe(examples);
    const suites = new Set(cases.map((c) => c.suite));
    expect([...suites]).toEqual(expect.arrayContaining(['cases/ok.legit-look-alikes', 'cases/ng.forced-criminality-multilingual', 'cases/ng.obfuscated-text']));
    expect(cases.filter((c) => c.status !== 'passed')).toEqual([]);
  }, 60_000);
});
