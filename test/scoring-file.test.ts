import { describe, expect, it } from 'vitest';
import { parseRuleFile, DEFAULT_SCORING } from '../src/rules/schema.js';
import { updateScoringText } from '../src/rules/scoring-file.js';

const ORIGINAL = `# Thresholds and caps.
scoring:
  thresholds:
    forced-criminality: 8
    employment-fraud: 6
  caps:
    forced-criminality:
      destination: 4          # aligned comment, kept as it is
  # The model, hand-set.
  model:
    employment-fraud: { from: 0.15, alone: 0.3, max: 4 }
    forced-criminality: { from: 0.5, alone: 0.95, max: 4 }
`;

const UPDATE = {
  points: { 'FC-B': 2.5, 'FC-A': 0 },
  model: {
    'forced-criminality': {
      levels: [
        { at: 0.5, points: 1.5 },
        { at: 0.9, points: 4 },
      ],
    },
  },
  rescored: { command: 'lurescan rescore x.csv', inputs: [{ file: 'x.csv', postings: 3, fingerprint: '0123456789' }], 'target-fpr': 0.01 },
};

describe('writing learned numbers into a scoring file', () => {
  it('sets points, rescored and the fitted model entry, and keeps every other byte', () => {
    const text = updateScoringText(ORIGINAL, UPDATE, DEFAULT_SCORING);
    expect(text.startsWith(ORIGINAL.slice(0, ORIGINAL.indexOf('    forced-criminality: { from')))).toBe(true);
    expect(text).toContain('      destination: 4          # aligned comment, kept as it is\n  # The model, hand-set.\n');
    expect(text).toContain('    employment-fraud: { from: 0.15, alone: 0.3, max: 4 }\n    forced-criminality: { levels: { 0.5: 1.5, 0.9: 4 } }\n');
    expect(text).toContain('  points:\n    FC-A: 0\n    FC-B: 2.5\n');
    const parsed = parseRuleFile(text, 'scoring.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.scoring!.points).toEqual({ 'FC-A': 0, 'FC-B': 2.5 });
    expect(parsed.scoring!.model!['forced-criminality']).toEqual(UPDATE.model['forced-criminality']);
    expect(parsed.scoring!.rescored).toEqual(UPDATE.rescored);
  });

  it('keeps the hand-set points below a level when it writes learned levels', () => {
    const vetoed = { 'forced-criminality': { levels: [{ at: 0.5, points: 1.5 }], below: [{ at: 0.01, points: -8 }] } };
    const text = updateScoringText(ORIGINAL, { ...UPDATE, model: vetoed }, DEFAULT_SCORING);
    expect(text).toContain('    forced-criminality: { levels: { 0.5: 1.5 }, below: { 0.01: -8 } }\n');
    expect(parseRuleFile(text, 'scoring.yaml').scoring!.model!['forced-criminality']).toEqual(vetoed['forced-criminality']);
  });

  it('writes a no-model score set beside the points, leaving the points and the model alone', () => {
    const withPoints = updateScoringText(ORIGINAL, UPDATE, DEFAULT_SCORING);
    const text = updateScoringText(
      withPoints,
      { points: { 'FC-A': 3 }, rescored: { command: 'lurescan rescore x.csv --no-model' }, set: 'no-model' },
      DEFAULT_SCORING,
    );
    expect(text.startsWith(withPoints.trimEnd())).toBe(true);
    const parsed = parseRuleFile(text, 'scoring.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.scoring!.points).toEqual({ 'FC-A': 0, 'FC-B': 2.5 });
    expect(parsed.scoring!.pointsNoModel).toEqual({ 'FC-A': 3 });
    expect(parsed.scoring!.rescoredNoModel).toEqual({ command: 'lurescan rescore x.csv --no-model' });
    expect(parsed.scoring!.model!['forced-criminality']).toEqual(UPDATE.model['forced-criminality']);
    expect(parsed.noModelLines!['FC-A']).toBe(text.split('\n').indexOf('    FC-A: 3') + 1);
  });

  it('replaces what an earlier run wrote, and gives the same text for the same update', () => {
    const once = updateScoringText(ORIGINAL, UPDATE, DEFAULT_SCORING);
    expect(updateScoringText(once, UPDATE, DEFAULT_SCORING)).toBe(once);
    const changed = updateScoringText(once, { ...UPDATE, points: { 'FC-C': 1 } }, DEFAULT_SCORING);
    expect(parseRuleFile(changed, 's.yaml').scoring!.points).toEqual({ 'FC-C': 1 });
    expect(changed.match(/# Learned points/g)).toHaveLength(1);
  });

  it('writes a complete scoring section where there was none', () => {
    const text = updateScoringText(undefined, UPDATE, DEFAULT_SCORING);
    const parsed = parseRuleFile(text, 'scoring.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.scoring).toMatchObject({
      thresholds: DEFAULT_SCORING.thresholds,
      defaultCap: DEFAULT_SCORING.defaultCap,
      points: { 'FC-A': 0, 'FC-B': 2.5 },
    });
    expect(parsed.scoring!.model!['employment-fraud']).toEqual(DEFAULT_SCORING.model['employment-fraud']);
  });
});
