// Option values shared by several commands, parsed and checked in one place.
import type { ScoringConfig } from '../rules/schema.js';
import { parseBaseRates } from '../rules/scoring-values.js';
import { LABELS, LurescanError, type Label, type Posting } from '../types.js';
import type { FetchOptions } from '../input/web/options.js';
import type { InputLimits } from '../input/records.js';
import { INPUT_FORMATS, type InputFormat } from '../input/format-names.js';
import { Chalk, type ChalkInstance } from 'chalk';
import { parseLabelMap, TRUTHS, truthOf, type Truth } from '../contracts/labels.js';
import type { LabelledReadOptions } from '../input/labelled.js';
import { parseMapOption } from '../input/fields.js';
import { DEFAULT_BUDGET_MS } from '../run/budget.js';
import type { CorpusOptions, ScoringOptions } from '../toolkit/corpus.js';
import type { InputUnit, ReadOptions } from '../input/index.js';
import type { ScannerOptions } from '../run/scanner.js';
import { warner, type CliIO } from './io.js';

/** `--input-format`: undefined when absent; a USAGE error listing the formats when it is none of them. */
export function parseInputFormat(value: string | undefined): InputFormat | undefined {
  if (value === undefined) return undefined;
  if (!(INPUT_FORMATS as string[]).includes(value)) {
    throw new LurescanError('USAGE', `--input-format must be one of ${INPUT_FORMATS.join(', ')} (got \`${value}\`)`);
  }
  return value as InputFormat;
}

/**
 * A whole-number flag: undefined when absent; a USAGE error naming the flag when the value is not a
 * whole number from `min` to `max`.
 */
export function wholeNumber(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new LurescanError('USAGE', `${name} must be a whole number ${range} (got \`${value}\`)`);
  }
  return n;
}

/** A positive number flag (a whole one with `integer`): undefined when absent, else a USAGE error naming the flag. */
export function positiveNumber(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new LurescanError('USAGE', `${name} must be a positive ${integer ? 'whole ' : ''}number (got \`${value}\`)`);
  return n;
}

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

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `10MB`, `500k`, `1048576` as bytes (binary multiples, as `ls -h` and browsers' download bars count). */
export function parseSize(value: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new LurescanError('USAGE', `${name} must be a size such as 10MB, 500KB or 1048576 (got \`${value}\`)`);
  }
  return Math.floor(Number(match[1]) * unit);
}

/** A positive number of seconds (fractions allowed) as milliseconds. */
export function parseSeconds(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new LurescanError('USAGE', `${name} must be a number of seconds > 0 (got \`${value}\`)`);
  return Math.round(n * 1000);
}

/** The fetch options as the command line gives them (strings, unvalidated). */
export interface FetchFlags {
  concurrency?: string;
  perHost?: string;
  delay?: string;
  timeout?: string;
  retries?: string;
  maxBody?: string;
  userAgent?: string;
  ignoreRobots?: boolean;
  cache?: string;
}

/** Validate the fetch flags; a bad value is a USAGE error naming the flag. */
export function parseFetchFlags(flags: FetchFlags): Partial<FetchOptions> {
  const options: Partial<FetchOptions> = {};
  const set = <K extends keyof FetchOptions>(key: K, value: FetchOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('concurrency', wholeNumber(flags.concurrency, '--concurrency', 1, 256));
  set('perHost', wholeNumber(flags.perHost, '--per-host', 1, 64));
  set('delayMs', wholeNumber(flags.delay, '--delay', 0, 3_600_000));
  set('retries', wholeNumber(flags.retries, '--retries', 0, 20));
  if (flags.timeout !== undefined) options.timeoutMs = parseSeconds(flags.timeout, '--timeout');
  if (flags.maxBody !== undefined) options.maxBodyBytes = parseSize(flags.maxBody, '--max-body');
  if (flags.userAgent !== undefined) {
    if (flags.userAgent.trim() === '' || /[\r\n]/.test(flags.userAgent)) throw new LurescanError('USAGE', '--user-agent must be one line of text, not empty');
    options.userAgent = flags.userAgent.trim();
  }
  if (flags.ignoreRobots) options.ignoreRobots = true;
  if (flags.cache !== undefined) {
    if (flags.cache.trim() === '') throw new LurescanError('USAGE', '--cache needs a folder');
    options.cacheDir = flags.cache;
  }
  return options;
}

export const GROUPINGS = ['lang', 'source', 'none'] as const;

/** `--by`: lang, source, none or meta.<key>. */
export function parseGrouping(value: string | undefined): string {
  const by = value ?? 'lang';
  if (!(GROUPINGS as readonly string[]).includes(by) && !/^meta\.\S+$/.test(by))
    throw new LurescanError('USAGE', `--by must be one of ${GROUPINGS.join(', ')} or meta.<key> (got \`${by}\`)`);
  return by;
}

/** `--folds <k>`, which replaces the model file with models trained per fold. */
export function parseFolds(value: string | undefined, model: string | false | undefined): number | undefined {
  if (value === undefined) return undefined;
  const folds = Number(value);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) throw new LurescanError('USAGE', `--folds must be a whole number from 2 to 20 (got \`${value}\`)`);
  if (model !== undefined)
    throw new LurescanError('USAGE', '--folds trains a model per fold from the inputs; it cannot be combined with --model or --no-model');
  return folds;
}

/** `--format`, `-o/--out`, `--color`: how a report is written (the `rules` commands). */
export interface ReportFlags {
  format?: string;
  out?: string;
  color?: string | boolean;
}

/** The report's colours: `--color`, else on when it goes to a terminal (see colorFor). */
export function reportColor(options: ReportFlags, io: CliIO): ChalkInstance {
  return colorFor(options.color, io.env, !options.out && io.stdout.isTTY === true);
}

/** `--jobs`, `--time-budget`: how the `rules` commands score a corpus. */
export interface ScoringFlags {
  jobs?: string;
  timeBudget?: string;
}

export function parseScoringFlags(options: ScoringFlags, io: CliIO): ScoringOptions {
  return {
    ...(options.jobs !== undefined ? { jobs: wholeNumber(options.jobs, '--jobs', 0)! } : {}),
    budgetMs: wholeNumber(options.timeBudget, '--time-budget', 1) ?? DEFAULT_BUDGET_MS,
    onWarning: warner(io),
  };
}

/** `--label`, `--map`, `--label-map`: how a labelled corpus is read, as for train and eval. */
export interface CorpusFlags {
  label?: string;
  map?: string;
  labelMap?: string;
}

export function parseCorpusFlags(options: CorpusFlags): CorpusOptions {
  const map = parseMapOption(options.map);
  if (options.label !== undefined) map.label = options.label;
  let labelMap;
  try {
    labelMap = parseLabelMap(options.labelMap);
  } catch (error) {
    throw new LurescanError('USAGE', (error as Error).message);
  }
  return { map, labelMap };
}

/** `--fail-on`: labels whose flags fail the run, and whether error records do (`error`). */
export interface FailOn {
  labels: Set<Label>;
  errors: boolean;
  /** As given, for the line that says why the exit code is 1. */
  spec: string;
}

export function parseFailOn(value: string | undefined): FailOn | undefined {
  if (value === undefined) return undefined;
  const failOn: FailOn = { labels: new Set<Label>(), errors: false, spec: value };
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (part === 'any') for (const label of LABELS) failOn.labels.add(label);
    else if (part === 'error') failOn.errors = true;
    else if ((LABELS as readonly string[]).includes(part)) failOn.labels.add(part as Label);
    else throw new LurescanError('USAGE', `--fail-on must be a label (${LABELS.join(', ')}), \`any\` or \`error\`, comma-separated (got \`${part}\`)`);
  }
  return failOn;
}

/**
 * `--source-name` and `--line-offset`: a shard's place in the whole file, which only one input (a
 * file or -) can have; what the readers take.
 */
export function parseShardFlags(
  sourceName: string | undefined,
  lineOffsetText: string | undefined,
  units: readonly InputUnit[],
): { sourceName?: string; lineOffset?: number } {
  const lineOffset = wholeNumber(lineOffsetText, '--line-offset', 0);
  if (sourceName === undefined && lineOffset === undefined) return {};
  const flag = sourceName !== undefined ? '--source-name' : '--line-offset';
  if (units.length !== 1 || units[0]!.kind === 'url')
    throw new LurescanError('USAGE', `${flag} names one input (a file or -, one shard of a whole): give exactly one`);
  if (sourceName?.trim() === '') throw new LurescanError('USAGE', '--source-name needs a name');
  return { ...(sourceName !== undefined ? { sourceName } : {}), ...(lineOffset !== undefined ? { lineOffset } : {}) };
}

/** `--input-format`, `--map`, `--encoding`, `--max-record`, `--max-ratio`: how inputs are read. */
export interface ReadFlags {
  inputFormat?: string;
  map?: string;
  encoding?: string;
  maxRecord?: string;
  maxRatio?: string;
}

/** The read flags as the readers' options (checked in that order: a bad value is a USAGE error naming its flag). */
export function parseReadFlags(flags: ReadFlags): Pick<ReadOptions, 'inputFormat' | 'map' | 'encoding' | 'limits'> {
  const inputFormat = parseInputFormat(flags.inputFormat);
  const map = parseMapOption(flags.map);
  const encoding = parseEncodingOption(flags.encoding);
  return { ...(inputFormat ? { inputFormat } : {}), map, ...(encoding ? { encoding } : {}), limits: parseLimitOptions(flags) };
}

/** `--similarity`, `--generic-over`, `--min-size` (link): a bad value is a USAGE error naming the flag; an absent one takes `defaults`. */
export function parseLinkFlags(
  flags: { similarity?: string; genericOver?: string; minSize?: string },
  defaults: { similarity: number; genericOver: number; minSize: number },
): { similarity: number; genericOver: number; minSize: number } {
  const similarity = flags.similarity === undefined ? defaults.similarity : Number(flags.similarity);
  if (!(similarity > 0 && similarity <= 1) || flags.similarity?.trim() === '')
    throw new LurescanError('USAGE', `--similarity must be a number above 0 and at most 1, such as 0.6 (got \`${flags.similarity}\`)`);
  return {
    similarity,
    genericOver: wholeNumber(flags.genericOver, '--generic-over', 1) ?? defaults.genericOver,
    minSize: wholeNumber(flags.minSize, '--min-size', 2) ?? defaults.minSize,
  };
}

/** `--rules`, `--model` or `--no-model`, and the --redact key: what a scanner scores with (scan, link, serve). */
export function scannerFlags(
  flags: { rules?: string; model?: string | false },
  redactKey: string | undefined,
): Pick<ScannerOptions, 'rules' | 'model' | 'redact'> {
  return {
    ...(flags.rules !== undefined ? { rules: flags.rules } : {}),
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(redactKey !== undefined ? { redact: { key: redactKey } } : {}),
  };
}

/**
 * `--target-fpr 0.01` (legitimate postings flagged with either label), or per label,
 * `--target-fpr forced-criminality=0.005 --target-fpr employment-fraud=0.01`: each label's own rate,
 * its cost searched on its own; a label not named then takes the plain rate (default `fallback`).
 */
export function parseTargetFpr(values: readonly string[] = [], fallback: number): { targetFpr: number; labelTargets?: Record<Label, number> } {
  let targetFpr = fallback;
  const labelTargets: Partial<Record<Label, number>> = {};
  const rateOf = (text: string, part: string): number => {
    const rate = Number(text);
    if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
      throw new LurescanError('USAGE', `--target-fpr must be a rate from 0 up to 1, or label=rate, e.g. 0.01 or forced-criminality=0.005 (got \`${part}\`)`);
    }
    return rate;
  };
  for (const raw of values.flatMap((v) => v.split(','))) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq < 0) {
      targetFpr = rateOf(part, part);
      continue;
    }
    const label = part.slice(0, eq).trim();
    if (!(LABELS as readonly string[]).includes(label)) throw new LurescanError('USAGE', `--target-fpr: \`${label}\` is not a label (${LABELS.join(', ')})`);
    labelTargets[label as Label] = rateOf(part.slice(eq + 1), part);
  }
  if (Object.keys(labelTargets).length === 0) return { targetFpr };
  return { targetFpr, labelTargets: Object.fromEntries(LABELS.map((label) => [label, labelTargets[label] ?? targetFpr])) as Record<Label, number> };
}

/** `train --reports column=value`: a test of a posting; the column is a field or `meta.<key>`, values (`a,b`) compared case-blind. */
export function parseReportsOption(spec: string | undefined): ((posting: Posting) => boolean) | undefined {
  if (spec === undefined) return undefined;
  const eq = spec.indexOf('=');
  const column = spec.slice(0, eq).trim();
  const values = new Set(
    spec
      .slice(eq + 1)
      .split(',')
      .map((value) => value.trim().toLowerCase())
      .filter((value) => value !== ''),
  );
  if (eq <= 0 || column === '' || values.size === 0 || column === 'meta.')
    throw new LurescanError('USAGE', `--reports must be column=value or meta.<key>=value, e.g. meta.genre=report (got \`${spec}\`)`);
  const meta = column.startsWith('meta.') ? column.slice(5) : undefined;
  return (posting) => {
    const value = meta !== undefined ? posting.meta?.[meta] : posting.fields[column];
    return value !== undefined && values.has(value.trim().toLowerCase());
  };
}

/** `train --date`: the training date, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC). */
export function parseTrainingDate(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (option !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(option) || Number.isNaN(Date.parse(option)))
      throw new LurescanError('USAGE', `--date must be YYYY-MM-DD (got \`${option}\`)`);
    return option;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().slice(0, 10);
  return new Date().toISOString().slice(0, 10);
}

/** The flags of a command that reads a labelled corpus (`train`, `eval`, `rescore`). */
export interface LabelledOptions {
  label?: string;
  labelMap?: string;
  map?: string;
  inputFormat?: string;
  encoding?: string;
  maxRecord?: string;
  maxRatio?: string;
  /** What a posting without a label is taken to be (`--default-label legit` for sets presumed legitimate). */
  defaultLabel?: string;
}

/** How input/labelled.ts is to read a labelled corpus, from those flags. */
export function labelledReadOptions(options: LabelledOptions, io: CliIO): LabelledReadOptions {
  const inputFormat = parseInputFormat(options.inputFormat);
  const map = parseMapOption(options.map);
  if (options.label !== undefined) map.label = options.label;
  let labelMap: Record<string, Truth>;
  try {
    labelMap = parseLabelMap(options.labelMap);
  } catch (error) {
    throw new LurescanError('USAGE', (error as Error).message);
  }
  const fallback = options.defaultLabel === undefined ? undefined : truthOf(options.defaultLabel, labelMap);
  if (options.defaultLabel !== undefined && fallback === undefined)
    throw new LurescanError('USAGE', `--default-label must be one of ${TRUTHS.join(', ')} (got \`${options.defaultLabel}\`)`);
  const encoding = parseEncodingOption(options.encoding);
  return {
    read: { map, stdin: io.stdin, limits: parseLimitOptions(options), ...(inputFormat ? { inputFormat } : {}), ...(encoding ? { encoding } : {}) },
    labelMap,
    ...(fallback !== undefined ? { fallback } : {}),
    ...(options.label !== undefined ? { labelColumn: options.label } : {}),
  };
}
