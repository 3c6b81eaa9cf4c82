// The engine's fast paths against every shipped rule (npm run test:shipped): the prefilter's path
// gives the hits running every matcher gives, on the rules' own examples and the labelled fixtures,
// and the rule set's cached plan compiles to the hits compiling without one gives.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledRuleSet,
  compileRuleSet,
  evaluatePattern,
  evaluateRules,
  mayMatch,
  planRuleSet,
  type PreparedPosting,
  prepareFields,
} from '../../src/rules/engine.js';
import { loadRuleSet } from '../../src/run/rules.js';
import type { Posting } from '../../src/types.js';
import { readAllItems } from '../helpers.js';

describe('the engine with its prefilter', () => {
  // The prefilter skips a matcher whose required literals are not in the posting; it must never skip
  // one that would match. Two checks of the prefilter's path against running without it:
  // - every pattern rule on each of its own match and nomatch examples, where a wrongly skipped rule
  //   would show (all 200 rules hit some of theirs, 3,590 hits when written): the rule as evaluateRules
  //   runs it (the prefilter having scanned the text) against the rule alone;
  // - evaluateRules against every matcher on a sample of texts, a fiftieth of the examples and a fifth
  //   of the labelled fixtures (long postings that many rules hit at once): the whole hit lists equal,
  //   shared matchers included, for rules that hit texts written for other rules.
  // Before, every matcher ran on every seventh text (950 texts): 15 s, and 34 rules never hit.
  let ruleset: Awaited<ReturnType<typeof loadRuleSet>>;
  let set: CompiledRuleSet;
  const examples: Array<{ rule: string; fields: Record<string, string> }> = [];
  const postings: Posting[] = [];
  /** Each fixture posting prepared (folded, its language found) once, for the three passes over them below. */
  const prepared = new Map<Posting, PreparedPosting>();
  beforeAll(async () => {
    ruleset = await loadRuleSet(new URL('../../rules', import.meta.url).pathname);
    set = compileRuleSet(ruleset.rules, ruleset.scoring);
    for (const rule of ruleset.rules)
      for (const example of [...rule.examples.match, ...rule.examples.nomatch])
        examples.push({ rule: rule.id, fields: typeof example === 'string' ? { description: example } : example });
    for (const item of await readAllItems([new URL('../../fixtures/postings', import.meta.url).pathname]))
      if (item.kind === 'posting') postings.push(item.posting);
    for (const posting of postings) prepared.set(posting, prepareFields(posting));
  });

  it('gives each rule on its own examples the hit it gives without the prefilter', () => {
    expect(examples.length).toBeGreaterThan(3000);
    const byId = new Map(set.patterns.map((rule) => [rule.def.id, rule]));
    const differ: string[] = [];
    const hitRules = new Set<string>();
    let own = 0;
    for (const { rule: id, fields } of examples) {
      const rule = byId.get(id);
      if (rule === undefined) continue; // a combination: no matchers of its own
      const prepared = prepareFields({ id: 'x', source: {}, fields });
      set.prefilter.scan(prepared.joined);
      const fast = evaluatePattern(rule, prepared, set.prefilter);
      const alone = evaluatePattern(rule, prepared);
      if (JSON.stringify(fast) !== JSON.stringify(alone)) differ.push(`${id} on its example ${JSON.stringify(fields)}`);
      if (alone) {
        own++;
        hitRules.add(id);
      }
    }
    expect(differ).toEqual([]);
    expect(own).toBeGreaterThan(3000);
    expect(hitRules.size).toBe(set.patterns.length);
  });

  it('finds the same hits as running every matcher, on a sample of the examples and the labelled fixtures', () => {
    // Rules share matchers (a veto written for both labels), which run once a posting: covered here too.
    expect(set.patterns.filter((rule) => [...(rule.any ?? []), ...(rule.all ?? []), ...(rule.not ?? [])].some((m) => m.memo)).length).toBeGreaterThan(10);
    const sample = [
      ...examples.filter((_, i) => i % 50 === 0).map((e) => prepareFields({ id: 'x', source: {}, fields: e.fields })),
      ...postings.filter((_, i) => i % 5 === 0).map((p) => prepared.get(p)!),
    ];
    expect(sample.length).toBeGreaterThan(180);
    let skipped = 0;
    const hitRules = new Set<string>();
    for (const text of sample) {
      const fast = evaluateRules(set, text).filter((h) => !h.combines);
      const slow = set.patterns.map((rule) => evaluatePattern(rule, text)).filter((h) => h !== undefined);
      expect(fast).toEqual(slow);
      skipped += set.patterns.length - fast.length;
      for (const hit of slow) hitRules.add(hit.rule);
    }
    expect(skipped).toBeGreaterThan(0);
    expect(hitRules.size).toBeGreaterThan(100);
  });

  it("gates a rule of many matchers on their literals' union, and the gate only ever says no", () => {
    const gated = set.patterns.filter((rule) => rule.gate !== undefined);
    expect(gated.length).toBeGreaterThan(50);
    let closed = 0;
    const wrong: string[] = [];
    expect(postings.length).toBeGreaterThan(250);
    for (const [posting, text] of prepared) {
      set.prefilter.scan(text.joined);
      for (const rule of gated) {
        if (set.prefilter.has(rule.gate!)) continue;
        closed++;
        // A closed gate: no matcher of the rule would have matched, run without the prefilter.
        // (Collected, one expect at the end: an expect a rule and posting cost more than the rule.)
        if (evaluatePattern(rule, text) !== undefined) wrong.push(`${rule.def.id} on ${posting.id}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(closed).toBeGreaterThan(1000);
  });

  it('passes over a rule the literals rule out before any of its regexes runs, and only then', () => {
    // mayMatch: every `all` matcher and one `any` matcher must have their literals. It saves a run
    // where the matcher evaluatePattern would try first has none (a long alternation) while another
    // part of the rule is already ruled out; it must never rule out a rule that would hit.
    const first = (rule: CompiledRuleSet['patterns'][number]) => (rule.all ?? rule.any ?? [])[0];
    let ruledOut = 0;
    let saved = 0;
    const wrong: string[] = [];
    for (const [posting, text] of prepared) {
      set.prefilter.scan(text.joined);
      for (const rule of set.patterns) {
        if (mayMatch(rule, set.prefilter)) continue;
        ruledOut++;
        // What evaluatePattern would have run first had its literals, so its regex would have run.
        if (rule.gate === undefined && [...(first(rule)?.groups ?? [])].every((g) => set.prefilter.has(g))) saved++;
        if (evaluatePattern(rule, text) !== undefined) wrong.push(`${rule.def.id} on ${posting.id}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(ruledOut).toBeGreaterThan(1000);
    expect(saved).toBeGreaterThan(50);
  });

  it("compiles with the rule set's cached plan to the hits it gives without one", () => {
    // The set loadRuleSet gave above, through the rule-set cache as a scan loads it, against the
    // compile without a plan the passes above use. The plan is still held to a fresh planRuleSet,
    // so a cached plan that went stale fails here too.
    expect(ruleset.plan).toBeDefined();
    expect(Object.keys(ruleset.plan!).length).toBeGreaterThan(1000);
    expect(ruleset.plan).toEqual(planRuleSet(ruleset.rules));
    const planned = compileRuleSet(ruleset.rules, ruleset.scoring, ruleset.plan);
    let hits = 0;
    for (const text of prepared.values()) {
      const a = evaluateRules(planned, text);
      expect(a).toEqual(evaluateRules(set, text));
      hits += a.length;
    }
    expect(hits).toBeGreaterThan(100);
  });
});
