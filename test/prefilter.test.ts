// The prefilter on its own; against every shipped rule: test/shipped/prefilter.test.ts.
import { describe, expect, it } from 'vitest';
import { Prefilter, requiredLiteralGroups, requiredLiterals } from '../src/rules/prefilter.js';
import { normalizeString } from '../src/normalize/index.js';

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

describe('a keyword list in the prefilter', () => {
  it("enters a keyword list's folded keywords, so folded text finds them", () => {
    expect(normalizeString('包機票')).toBe('包机票');
    const prefilter = new Prefilter();
    const id = prefilter.add(normalizeString('包機票'));
    prefilter.scan(normalizeString('月薪3万，包機票'));
    expect(prefilter.any(Int32Array.of(id))).toBe(true);
  });
});
