import { beforeAll, describe, expect, it } from 'vitest';
import { Prefilter, requiredLiteralGroups, requiredLiterals } from '../src/rules/prefilter.js';
import { type CompiledRuleSet, compileRuleSet, evaluatePattern, evaluateRules, mayMatch, type PreparedPosting, prepareFields } from '../src/rules/engine.js';
import { loadRuleSet } from '../src/run/rules.js';
import { normalizeString } from '../src/normalize/index.js';
import type { Posting } from '../src/types.js';
import { readAllItems } from './helpers.js';

describe('requiredLiterals', () => {
  it.each([
    // The longest shortest string wins: "flight"/"ticket" over "free ".
    ['\\bfree (?:flight|ticket)s?\\b', ['flight', 'ticket']],
    ['(?:包机票|报销机票)', ['包机票', '报销机票']],
    ['\\b(?:tourist|visit) visa (?:first|only)\\b', [' visa ']],
    ['캄보디아.{0,20}(?:고수익|고액)', ['캄보디아']],
    ['(?<!不)包(?:吃|住)', ['包']],
    ['[西东]港', ['港']],
    ['[西东](?:港|岸)', ['西', '东']],
  ])('%s needs one of %j', (source, expected) => {
    expect(requiredLiterals(source)?.sort()).toEqual([...expected].sort());
  });

  it.each([
    ['\\d{3,}\\s?usd'], // the literal run "usd" is required, but see below: kept
  ])('keeps ASCII literal runs of two or more characters: %s', (source) => {
    expect(requiredLiterals(source)).toEqual(['usd']);
  });

  it.each([
    // $ and @ are rare enough in postings to gate alone; other single ASCII characters are not.
    ['\\d+\\$', ['$']],
    ['[1-4],?\\d{3} ?(?:\\$|usd)', ['$', 'usd']],
    ['\\w+@\\w+\\.com', ['.com']],
    ['\\w+@\\w+', ['@']],
  ])('takes a rare ASCII character as a literal: %s', (source, expected) => {
    expect(requiredLiterals(source)?.sort()).toEqual([...expected].sort());
  });

  it.each([['\\d+%'], ['\\d+\\+'], ['(?:free|\\d+)'], ['[a-z]+'], ['a?b?'], ['x|y'], ['.{3}'], ['(?:a|(b))\\1']])('finds nothing certain in %s', (source) => {
    expect(requiredLiterals(source)).toBeUndefined();
  });
});

describe('requiredLiteralGroups', () => {
  it.each([
    // One sequence: every required part is a set of its own, strongest first (at most three).
    [
      '\\b(?:per|each|every)\\s(?:task|like|video)\\b',
      [
        ['task', 'like', 'video'],
        ['per', 'each', 'every'],
      ],
    ],
    ['(?:telegram|tg|飞机)面试', [['面试'], ['telegram', 'tg', '飞机']]],
    [
      'a(?:bb|cc)d(?:ee|ff)g(?:hh|ii)j(?:kk|ll)',
      [
        ['bb', 'cc'],
        ['ee', 'ff'],
        ['hh', 'ii'],
      ],
    ],
    // Alternatives at the top: only their union is certain.
    ['free (?:flight|ticket)|visa first', [['flight', 'ticket', 'visa first']]],
    // A part inside a look-around or an optional group is not required.
    ['(?<!no )free (?:visa )?ticket', [['ticket'], ['free ']]],
  ])('%s needs one of each of %j', (source, expected) => {
    expect(requiredLiteralGroups(source)).toEqual(expected);
    expect(requiredLiterals(source)).toEqual(expected[0]);
  });

  it('finds nothing certain where requiredLiterals finds nothing', () => {
    expect(requiredLiteralGroups('(?:free|\\d+)')).toBeUndefined();
    expect(requiredLiteralGroups('[a-z]+')).toBeUndefined();
  });
});

describe('Prefilter', () => {
  it('reports exactly the literals that occur, overlapping and nested ones included', () => {
    const words = ['he', 'she', 'his', 'hers', 'ushe', '西港', '港口', 'x', '캄보디아'];
    const prefilter = new Prefilter();
    const ids = words.map((w) => prefilter.add(w));
    prefilter.build();
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const alphabet = ['h', 'e', 's', 'i', 'r', 'u', 'x', '西', '港', '口', '캄', '보', '디', '아', ' '];
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      prefilter.scan(text);
      words.forEach((word, k) => {
        expect(prefilter.any(Int32Array.of(ids[k]!)), `${word} in ${text}`).toBe(text.includes(word));
      });
    }
  });
});

describe('Prefilter groups', () => {
  it('marks a group exactly when one of its literals occurs, a literal in several groups included', () => {
    const words = ['he', 'she', 'his', 'hers', 'ushe', '西港', '港口', 'x', '캄보디아'];
    const prefilter = new Prefilter();
    const ids = words.map((w) => prefilter.add(w));
    const sets = [[0], [1, 2], [2, 3, 4], [5, 6, 7], [8], [0, 8], [3]];
    const groups = sets.map((set) => prefilter.group(set.map((k) => ids[k]!)));
    // A set with a repeat is found as the set.
    sets.push([4, 3, 4]);
    groups.push(prefilter.group([ids[4]!, ids[3]!, ids[4]!]));
    prefilter.build();
    expect(() => prefilter.group([ids[5]!])).toThrow(/after build/);
    let seed = 11;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const alphabet = ['h', 'e', 's', 'i', 'r', 'u', 'x', '西', '港', '口', '캄', '보', '디', '아', ' '];
    let marked = 0;
    for (let round = 0; round < 400; round++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      prefilter.scan(text);
      sets.forEach((set, g) => {
        const expected = set.some((k) => text.includes(words[k]!));
        expect(prefilter.has(groups[g]!), `${set.map((k) => words[k]).join('|')} in ${text}`).toBe(expected);
        expect(prefilter.has(groups[g]!)).toBe(prefilter.any(Int32Array.from(set, (k) => ids[k]!)));
        if (expected) marked++;
      });
    }
    expect(marked).toBeGreaterThan(100);
  });
});

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
    ruleset = await loadRuleSet(new URL('../rules', import.meta.url).pathname);
    set = compileRuleSet(ruleset.rules, ruleset.scoring);
    for (const rule of ruleset.rules)
      for (const example of [...rule.examples.match, ...rule.examples.nomatch])
        examples.push({ rule: rule.id, fields: typeof example === 'string' ? { description: example } : example });
    for (const item of await readAllItems([new URL('../fixtures/postings', import.meta.url).pathname]))
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

  it("enters a keyword list's folded keywords, so folded text finds them", () => {
    expect(normalizeString('包機票')).toBe('包机票');
    const prefilter = new Prefilter();
    const id = prefilter.add(normalizeString('包機票'));
    prefilter.scan(normalizeString('月薪3万，包機票'));
    expect(prefilter.any(Int32Array.of(id))).toBe(true);
  });
});
