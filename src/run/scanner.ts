// lurescan as a library: a scanner built once (rules compiled, model tables loaded, scoring threads
// started on demand) that scores postings one at a time or as a stream, with the verdicts `scan`
// writes. What it does is `scan`'s path: the same rule loading, model tables, pool and ordered
// batches (run/batches.ts), so a verdict is the same whichever of the two produced it.
import { defaultJobs, ScorePool } from './pool.js';
import { prestartScoringThread } from './prestart.js';
import { DEFAULT_BUDGET_MS } from './budget.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import type { ModelSummary } from '../report/summary.js';
import { objectToPosting } from '../input/formats/jsonl.js';
import { DEFAULT_LIMITS } from '../input/records.js';
import type { RedactKey } from '../contacts/index.js';
import { LABELS, LurescanError, type Label, type OutputRecord, type Posting, type ReadItem } from '../types.js';
import { scoreInOrder, type ScoredItem } from './batches.js';
import { loadModelTables, modelSummary } from './model-tables.js';
import { loadPrefilterTables } from './prefilter-tables.js';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import { loadRuleSetHead, type RuleSetHead } from './rules-head.js';
import { loadRuleSet, refuseErrors } from './rules.js';

export interface ScannerOptions {
  /** A rules folder; the shipped rules when absent. */
  rules?: string;
  /** A model file, or `false` for rules only; the shipped model when absent. */
  model?: string | false;
  /** Scoring threads: 0 scores on the calling thread (no time budget); one per core (within memory) when absent. */
  jobs?: number;
  /** CPU time one posting may take on a scoring thread, in ms (default 5000). */
  budgetMs?: number;
  /** Each label's share of the feed, over the scoring file's (`--base-rate`). */
  baseRates?: Partial<Record<Label, number>>;
  /** Points a label needs, over the scoring file's. */
  thresholds?: Partial<Record<Label, number>>;
  /** Put the posting's text in each verdict (`--include-text`). */
  includeText?: boolean;
  /** Add the model's evidence, token by token (`--explain`). */
  explain?: boolean;
  /** Folder that relative model paths and the shown file names are taken from (default: the process's). */
  cwd?: string;
  /** Told of what a scan prints as warnings (a rule switched off, an untrusted model left out). */
  onWarning?: (message: string) => void;
  /**
   * Replace every contact (phone, handle, e-mail, domain, wallet) by a keyed hash, HMAC-SHA256 with
   * this key, wherever the records carry its text (`scan --redact`); 16 characters (bytes) at least.
   */
  redact?: { key: RedactKey };
}

/**
 * A posting as the library takes it: `{ id?, fields: { title, description, ... } }`, or a flat
 * object read as a JSONL line is (known keys and `--map`-free column names; nested values
 * flattened; `id` used when present).
 */
export type PostingInput = { id?: string; fields: Record<string, string> } | Record<string, unknown>;

export interface Scanner {
  /** The rule set: its fingerprint (sha256 over the files' places and texts), rules and files. */
  readonly ruleset: { fingerprint: string; rules: number; files: number };
  /** The model in use, or why none is. */
  readonly model: ModelSummary;
  /** One posting's verdict (or its error record: a posting over the time budget twice); `posting:1` when it has no id. */
  score(posting: PostingInput): Promise<OutputRecord>;
  /** Verdicts for many postings, in their order, scored in batches on the threads; `posting:<n>` (n from 1) for those without ids. */
  scan(postings: AsyncIterable<PostingInput> | Iterable<PostingInput>): AsyncGenerator<OutputRecord>;
  /** The same as `scan`. */
  scanStream(postings: AsyncIterable<PostingInput> | Iterable<PostingInput>): AsyncGenerator<OutputRecord>;
  /** Rules switched off so far because postings ran over their time budget in them (each verdict after says so). */
  readonly disabledRules: readonly string[];
  /** Stop the scoring threads; the scanner cannot score after. */
  close(): Promise<void>;
}

/** What `scan` uses beyond the library's scanner: records in order with their postings, from a reader's items. */
export interface RunScanner extends Scanner {
  /** Points each label needs, as scored (the scoring file's, with the options' over them). */
  thresholds: Record<Label, number>;
  scoreItems(items: AsyncIterable<ReadItem> | Iterable<ReadItem>): AsyncGenerator<ScoredItem>;
}

/** Build a scanner: rules and model are read once, here; threads start when there is work. */
export function createScanner(options: ScannerOptions = {}): Promise<Scanner> {
  return openScanner(options);
}

/** `createScanner` for the CLI's `scan`, which reads items (postings and a reader's error records). */
export async function openScanner(options: ScannerOptions = {}): Promise<RunScanner> {
  const cwd = options.cwd ?? process.cwd();
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 0) throw new LurescanError('USAGE', `jobs must be a whole number >= 0 (got ${jobs})`);
  // The first scoring thread loads its code while the rules and the model are read.
  if (jobs > 0) prestartScoringThread();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  if (!(budgetMs > 0)) throw new LurescanError('USAGE', `budgetMs must be a number of milliseconds > 0 (got ${budgetMs})`);
  for (const [name, values] of [
    ['baseRates', options.baseRates],
    ['thresholds', options.thresholds],
  ] as const) {
    for (const label of Object.keys(values ?? {})) {
      if (!LABELS.includes(label as Label)) throw new LurescanError('USAGE', `${name}: \`${label}\` is not a label (labels: ${LABELS.join(', ')})`);
    }
  }
  const redactKey = options.redact?.key;
  if (options.redact !== undefined && (redactKey === undefined || redactKey.length < 16)) {
    throw new LurescanError('USAGE', 'redact: the key must be 16 characters (or bytes) at least: a short key can be guessed');
  }
  /** A record and its posting with their contacts hashed, when redacting. */
  // Loaded only to redact: the contact finders bring the normaliser and the phone regions, which a
  // scan's main thread otherwise never needs (its threads score).
  const redactRecord = redactKey !== undefined ? (await import('../contacts/index.js')).redactRecord : undefined;
  const redactItem = (item: ScoredItem): ScoredItem =>
    redactKey === undefined || redactRecord === undefined ? item : redactRecord(item.record, redactKey, item.posting);
  // Scoring threads parse the rules themselves, so a scan with threads reads the set's head only
  // (run/rules-head.ts); one that scores on this thread needs the whole set.
  const location = options.rules ?? DEFAULT_RULES_DIR;
  const ruleset: RuleSetDefinition | RuleSetHead = refuseErrors(jobs > 0 ? await loadRuleSetHead(location) : await loadRuleSet(location));
  const scoring = {
    ...ruleset.scoring,
    baseRates: { ...ruleset.scoring.baseRates, ...options.baseRates },
    thresholds: { ...ruleset.scoring.thresholds, ...options.thresholds },
  };
  // The prefilter, once for every thread (each built its own: a third of its start-up), read while
  // the model's tables are.
  const prefilter = loadPrefilterTables(ruleset);
  // A model too small to trust is left out, and `model` says why.
  let model: ModelSummary = { used: false, reason: '--no-model: rules only' };
  let tables;
  if (options.model !== false) {
    const loaded = await loadModelTables(options.model, cwd);
    model = modelSummary(loaded.file, loaded.header);
    if (model.used) tables = loaded.tables;
  }
  const prefilterTables = await prefilter;
  // Without the prefilter's tables (a set with no plan) the threads get the whole set's rules and plan.
  const rules = 'rules' in ruleset || prefilterTables !== undefined ? ruleset : await ruleset.load();
  const pool = new ScorePool('rules' in rules ? rules.rules : rules, scoring, {
    jobs,
    budgetMs,
    budgetPerMbMs: 2000,
    ...('rules' in rules && rules.plan !== undefined ? { plan: rules.plan } : {}),
    ...(prefilterTables !== undefined ? { prefilter: prefilterTables } : {}),
    fingerprint: ruleset.fingerprint,
    includeText: options.includeText ?? false,
    ...(tables !== undefined ? { model: tables } : {}),
    explain: options.explain ?? false,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  let closed = false;
  /** A posting by its place (from 1) in what one call was given: the id it gets when it has none. */
  const read = (input: PostingInput, index: number): ReadItem => {
    if (closed) throw new LurescanError('USAGE', 'this scanner is closed');
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return {
        kind: 'error',
        record: { id: `posting:${index}`, source: { index }, error: { code: 'NOT_A_POSTING', message: `posting ${index} is not an object` } },
      };
    }
    const { fields } = input as { fields?: unknown };
    if (fields !== null && typeof fields === 'object' && !Array.isArray(fields)) {
      const strings: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) if (typeof value === 'string') strings[name] = value;
      const id = typeof input.id === 'string' && input.id !== '' ? input.id : `posting:${index}`;
      const posting: Posting = { id, source: { index }, fields: strings };
      return { kind: 'posting', posting };
    }
    const context = { file: 'posting', map: {}, decode: { invalidUtf8: false, nul: false }, maxRecord: DEFAULT_LIMITS.maxRecord };
    const item = objectToPosting(input as Record<string, unknown>, context, { file: 'posting', index }, `posting:${index}`);
    // Where a posting came from is the caller's business: here only its place in what was given.
    if (item.kind === 'posting') item.posting.source = { index };
    return item;
  };
  async function* scan(inputs: AsyncIterable<PostingInput> | Iterable<PostingInput>): AsyncGenerator<OutputRecord> {
    async function* items(): AsyncGenerator<ReadItem> {
      let index = 0;
      for await (const input of inputs) yield read(input, ++index);
    }
    for await (const item of scoreInOrder(pool, items(), Math.max(2, jobs * 3))) yield redactItem(item).record;
  }
  async function* scoreItems(items: AsyncIterable<ReadItem> | Iterable<ReadItem>): AsyncGenerator<ScoredItem> {
    for await (const item of scoreInOrder(pool, items, Math.max(2, jobs * 3))) yield redactItem(item);
  }
  return {
    ruleset: { fingerprint: ruleset.fingerprint, rules: 'rules' in ruleset ? ruleset.rules.length : ruleset.ruleCount, files: ruleset.files.length },
    model,
    async score(input) {
      const item = read(input, 1);
      if (item.kind === 'error') return item.record;
      const [record] = await pool.score([item.posting]);
      return redactItem({ record: record!, posting: item.posting }).record;
    },
    thresholds: scoring.thresholds,
    scan,
    scanStream: scan,
    get disabledRules() {
      return pool.disabled;
    },
    scoreItems,
    async close() {
      if (closed) return;
      closed = true;
      await pool.close();
    },
  };
}
