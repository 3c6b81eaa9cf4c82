// A rule set with errors is refused before any posting is read, by every command that scores with
// it, and the message says which set when a command takes two (`rules diff`: base and head).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain as run, tempDir } from './helpers.js';

const broken = tempDir('lurescan-broken-rules-');
writeFileSync(
  path.join(broken, 'bad.yaml'),
  `rules:
  - id: FC-BROKEN-ONE
    title: a rule in a category its label does not have
    label: forced-criminality
    category: no-such-category
    points: 2
    any:
      - regex: 'bavet'
`,
);
const corpus = 'fixtures/postings/ef-en.csv';

/** Exit 2, and stderr names the set, its one error and the rule, with no verdict written. */
function expectRefused(result: { code: number; stdout: string; stderr: string }, which: string): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`lurescan: ${which} rule set has 1 error(s):\n`);
  expect(result.stderr).toMatch(/bad\.yaml:5: rule FC-BROKEN-ONE field `category`: error BAD_VALUE: category `no-such-category`/);
  expect(result.stdout).toBe('');
}

describe('a rule set with errors', () => {
  it('is refused by rules diff as the base or as the head, naming which', async () => {
    expectRefused(await run(['rules', 'diff', '--base', broken, '-j', '0', corpus]), `the base (${broken})`);
    expectRefused(await run(['rules', 'diff', '--base', 'rules', '--rules', broken, '-j', '0', corpus]), 'the head');
  });

  it('is refused by rules stats and by scan', async () => {
    expectRefused(await run(['rules', 'stats', '--rules', broken, '-j', '0', corpus]), 'the given');
    expectRefused(await run(['scan', '--rules', broken, '-j', '0', corpus]), 'the');
  });
});
