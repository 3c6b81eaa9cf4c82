// The shipped rule set: valid, complete over the taxonomy and sourced. That it is true to its own
// examples is test/toolkit-cli.test.ts's "runs every example and the ok.* / ng.* cases": `rules test`
// on the shipped rules scores every match and nomatch example as a scan scores a posting, which is
// what a rule author runs (checking them again here, each rule alone, cost 2 to 3 CPU-s).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../src/run/rules.js';
import { KNOWN_REFERENCES } from '../src/rules/references.js';
import { CATEGORIES, LABELS } from '../src/types.js';

const rulesDir = fileURLToPath(new URL('../rules/', import.meta.url));
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
});
