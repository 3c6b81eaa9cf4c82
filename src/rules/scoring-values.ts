// What scoring reads from a rule set's scoring section at run time, apart from the YAML parser
// (schema.ts): a scan's threads import this, not the parser, so they do not load \`yaml\`.
import { LABELS, type Label } from '../types.js';
import type { ModelLevels, ModelPoints } from './schema.js';

export function isModelLevels(config: ModelPoints): config is ModelLevels {
  return 'levels' in config;
}

/**
 * Base rates from a mapping of label to probability (the scoring file's `base-rates`, or the
 * pairs of `--base-rate`); a message when they are not valid.
 */
export function parseBaseRates(value: unknown): Partial<Record<Label, number>> | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return '`base-rates` must map labels to probabilities, e.g. {employment-fraud: 0.05}';
  const out: Partial<Record<Label, number>> = {};
  for (const [label, rate] of Object.entries(value)) {
    if (!LABELS.includes(label as Label)) return `unknown label \`${label}\` in base rates (one of ${LABELS.join(', ')})`;
    if (typeof rate !== 'number' || !(rate > 0 && rate < 1))
      return `base rate of ${label} must be a probability between 0 and 1, exclusive (got ${JSON.stringify(rate)})`;
    out[label as Label] = rate;
  }
  if (Object.values(out).reduce((a, b) => a + b, 0) >= 1) return 'base rates must add up to less than 1 (legitimate postings take the rest)';
  return out;
}
