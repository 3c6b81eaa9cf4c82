// Option values shared by several commands, parsed and checked in one place.
import type { ScoringConfig } from '../rules/schema.js';
import { parseBaseRates } from '../rules/scoring-values.js';
import { LurescanError, type Label } from '../types.js';
import { parseSize } from '../input/web/options.js';
import type { InputLimits } from '../input/records.js';
import { Chalk, type ChalkInstance } from 'chalk';

/**
 * `--base-rate employment-fraud=0.46` (repeatable, or comma-separated): the share of each label in
 * the feed, overriding the scoring file's `base-rates`.
 */
export function parseBaseRateOption(values: readonly string[] | string | undefined): Partial<Record<Label, number>> {
  if (values === undefined) return {};
  const pairs: Record<string, number> = {};
  for (const part of (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(','))) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const rate = Number(trimmed.slice(eq + 1));
    if (eq <= 0 || trimmed.slice(eq + 1).trim() === '' || !Number.isFinite(rate)) {
      throw new LurescanError('USAGE', `--base-rate: \`${trimmed}\` is not label=probability (e.g. --base-rate employment-fraud=0.46)`);
    }
    pairs[trimmed.slice(0, eq).trim()] = rate;
  }
  const parsed = parseBaseRates(pairs);
  if (typeof parsed === 'string') throw new LurescanError('USAGE', `--base-rate: ${parsed}`);
  return parsed;
}

/** The scoring file's settings with `--base-rate` values laid over its base rates. */
export function withBaseRates(scoring: ScoringConfig, option: readonly string[] | string | undefined): ScoringConfig {
  return { ...scoring, baseRates: { ...scoring.baseRates, ...parseBaseRateOption(option) } };
}

/** `--encoding <label>`: a WHATWG encoding label TextDecoder knows (gbk, gb18030, big5, shift_jis, euc-kr, windows-1252, ...). */
export function parseEncodingOption(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new LurescanError(
      'USAGE',
      `--encoding: \`${label}\` is not an encoding this Node knows (e.g. utf-8, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252)`,
    );
  }
}

/** `--max-record <size>` and `--max-ratio <n>`: the bounds on one input record and on gzip unpacking. */
export function parseLimitOptions(options: { maxRecord?: string; maxRatio?: string }): Partial<InputLimits> {
  const limits: Partial<InputLimits> = {};
  if (options.maxRecord !== undefined) limits.maxRecord = parseSize(options.maxRecord, '--max-record');
  if (options.maxRatio !== undefined) {
    const ratio = Number(options.maxRatio);
    if (!Number.isFinite(ratio) || ratio < 1)
      throw new LurescanError('USAGE', `--max-ratio must be a number of at least 1, such as 100 or 1000 (got \`${options.maxRatio}\`)`);
    limits.maxRatio = ratio;
  }
  return limits;
}

/**
 * The one colour policy: `--color always|never` decides; else NO_COLOR (set and not empty) turns
 * colours off, FORCE_COLOR (not 0 or false) on, and otherwise they are used only on a terminal.
 */
export function colorFor(choice: string | boolean | undefined, env: Readonly<Record<string, string | undefined>>, toTerminal: boolean): ChalkInstance {
  let on: boolean;
  if (choice === false || choice === 'never') on = false;
  else if (choice === 'always') on = true;
  else if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') on = false;
  else if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') on = env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  else on = toTerminal;
  return new Chalk({ level: on ? 1 : 0 });
}
